#!/usr/bin/env python3
"""The checks behind test_distributed.sh, one per command.

    torchrun --nproc_per_node 2 scripts/torch/check_distributed.py loss
        NT-Xent over embeddings split across the processes and gathered equals the
        single-process loss on the same 2N embeddings, and so do the gradients that reach
        each process's embeddings and, through DistributedDataParallel, a layer's weights.
    python scripts/torch/check_distributed.py sample CHECKPOINT OUT [--data DIR]
        loads a checkpoint of the lessons into PyTorch (strictly, by simclr_torch.py) and
        writes 64 test images with PyTorch's h and z for them, for Swift to compare.
    python scripts/torch/check_distributed.py same A B
        two checkpoints hold the same weights, batch-norm statistics, optimizer state and
        progress, to the bit (an interrupted and resumed run against an uninterrupted one).

Each prints its numbers and exits 1 if a check fails.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_env  # noqa: E402  (must run before torch is imported)

torch_env.require_torch()

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from train_simclr import nt_xent_share  # noqa: E402

ROOT = torch_env.ROOT


def nt_xent_reference(z, temperature):
    """NT-Xent of one process on all 2N rows (rows 0..N-1 first views, positives at i ± N),
    written independently of `nt_xent_share`: the mean over rows of the cross entropy of the
    cosine similarities over temperature, each row's own column excluded."""
    rows, n = z.shape[0], z.shape[0] // 2
    zn = F.normalize(z, dim=1)
    similarities = (zn @ zn.t()).fill_diagonal_(float("-inf")) / temperature
    positives = (torch.arange(rows) + n) % rows
    return F.cross_entropy(similarities, positives)


def check_fixture():
    """The reference loss against the project's fixture (numbers PyTorch computed for the
    Swift tests): the single-process loss here is the one the Swift NT-Xent is tested against."""
    with open(os.path.join(ROOT, "Tests", "Fixtures", "ntxent_tau0.5.json")) as f:
        fixture = json.load(f)

    def tensor(key):
        return torch.tensor(fixture[key]["data"], dtype=torch.float32).reshape(fixture[key]["shape"])

    z = torch.cat([tensor("z1"), tensor("z2")]).requires_grad_()
    loss = nt_xent_reference(z, fixture["meta"]["tau"])
    loss.backward()
    gradient = torch.cat([tensor("gz1"), tensor("gz2")])
    return abs(loss.item() - tensor("loss").item()), (z.grad - gradient).abs().max().item()


def check_loss():
    """Under torchrun: the distributed loss and gradients against one process's."""
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    n, dim, tau = 16, 32, 0.5  # 16 images per process, 2N = 2 x 16 x K embeddings in all
    generator = torch.Generator().manual_seed(2024)
    z = torch.randn(2 * n * world, dim, generator=generator) * 3  # the global batch, same in every process
    first, second = z[: n * world], z[n * world:]
    mine = torch.cat([first[rank * n:(rank + 1) * n], second[rank * n:(rank + 1) * n]]).clone().requires_grad_()

    share, _ = nt_xent_share(mine, tau)
    share.backward()
    loss = share.detach().clone()
    dist.all_reduce(loss)  # the shares add up to the global loss
    gradients = [torch.empty_like(mine) for _ in range(world)]
    dist.all_gather(gradients, mine.grad)

    # The usual mistake, for contrast: gathering without gradients (this process's rows kept
    # differentiable) loses what the other processes' losses say about this process's rows.
    careless = mine.detach().clone().requires_grad_()
    copies = [torch.empty_like(careless) for _ in range(world)]
    dist.all_gather(copies, careless.detach())
    copies[rank] = careless
    everyone = torch.cat(copies)
    rows = 2 * n
    similarities = F.normalize(careless, dim=1) @ F.normalize(everyone, dim=1).t() / tau
    own = rank * rows + torch.arange(rows)
    similarities = similarities.masked_fill(F.one_hot(own, world * rows).bool(), float("-inf"))
    positive = rank * rows + (torch.arange(rows) + n) % rows
    (F.cross_entropy(similarities, positive, reduction="sum") / (world * rows)).backward()
    careless_gradients = [torch.empty_like(careless) for _ in range(world)]
    dist.all_gather(careless_gradients, careless.grad)

    # Through DDP: a linear layer maps inputs to z; K x share back-propagated in each process
    # and averaged by DDP must give the single-process gradient of the weights.
    torch.manual_seed(7)
    layer = torch.nn.Linear(24, dim)
    inputs = torch.randn(2 * n * world, 24, generator=generator)
    model = torch.nn.parallel.DistributedDataParallel(layer)
    a, b = inputs[: n * world], inputs[n * world:]
    local_inputs = torch.cat([a[rank * n:(rank + 1) * n], b[rank * n:(rank + 1) * n]])
    share2, _ = nt_xent_share(model(local_inputs), tau)
    (share2 * world).backward()
    ddp_gradient = layer.weight.grad.clone()

    if rank == 0:
        reference_layer = torch.nn.Linear(24, dim)
        reference_layer.load_state_dict(layer.state_dict())
        single_z = z.clone().requires_grad_()
        single = nt_xent_reference(single_z, tau)
        single.backward()
        nt_xent_reference(reference_layer(inputs), tau).backward()
        dl = abs(loss.item() - single.item())
        dg, careless_dg = [], []
        for r in range(world):
            rows = torch.cat([torch.arange(r * n, (r + 1) * n), torch.arange(n * world + r * n, n * world + (r + 1) * n)])
            dg.append((gradients[r] - single_z.grad[rows]).abs().max().item())
            careless_dg.append((careless_gradients[r] - single_z.grad[rows]).abs().max().item())
        scale = single_z.grad.abs().max().item()
        dw = (ddp_gradient - reference_layer.weight.grad).abs().max().item()
        wscale = reference_layer.weight.grad.abs().max().item()
        fixture_loss, fixture_gradient = check_fixture()
        print(f"NT-Xent, tau {tau}, 2N = {2 * n * world} embeddings of {dim} dimensions, {world} gloo processes of {2 * n}:")
        print(f"  loss gathered over {world} processes {loss.item():.9f}, one process {single.item():.9f}, "
              f"|difference| {dl:.2e}")
        for r, d in enumerate(dg):
            print(f"  process {r}: max |gradient on its embeddings - one process's| {d:.2e} (gradients up to {scale:.2e})")
        print(f"  (for contrast, a gather that drops gradients: max |difference| {max(careless_dg):.2e})")
        print(f"  through DDP (K x share, averaged): max |weight gradient - one process's| {dw:.2e} "
              f"(up to {wscale:.2e})")
        print(f"  one-process loss on the Swift tests' fixture: |loss - fixture| {fixture_loss:.2e}, "
              f"max |gradient - fixture| {fixture_gradient:.2e}")
        ok = dl <= 1e-6 and max(dg) <= 1e-6 and dw <= 1e-6 * max(1.0, wscale) and fixture_loss <= 1e-5 \
            and fixture_gradient <= 1e-6
        print("OK: the distributed loss is the global batch's loss, gradients included" if ok else "NOT OK")
    else:
        ok = True
    status = torch.tensor(0 if ok else 1)
    dist.broadcast(status, 0)
    dist.destroy_process_group()
    sys.exit(int(status.item()))


def write_sample(checkpoint, out, data):
    """64 test images (normalised as the recipe says), and PyTorch's h and z for them."""
    from safetensors import safe_open
    from safetensors.torch import save_file

    import simclr_data
    from simclr_torch import load_swift_checkpoint

    net, architecture, progress = load_swift_checkpoint(checkpoint)
    with safe_open(checkpoint, framework="pt") as f:
        metadata = f.metadata()
    recipe = json.loads(metadata["recipe"])
    normalize = recipe["augmentation"]["normalize"]
    test = simclr_data.cifar10_split(data, "test")
    x = torch.stack([test[i] for i in range(64)]).float() / 255
    x = (x - torch.tensor(normalize["mean"]).view(1, 3, 1, 1)) / torch.tensor(normalize["std"]).view(1, 3, 1, 1)
    net.eval()
    with torch.no_grad():
        h, z = net(x)
    save_file({"input": x.contiguous(), "h": h.contiguous(), "z": z.contiguous()}, out,
              metadata={"what": "PyTorch features of a train_simclr.py checkpoint", "checkpoint": checkpoint})
    print(f"{checkpoint}: loaded into PyTorch (strict), epoch {progress['epoch']}, step {progress['step']}; "
          f"h of 64 test images ({architecture['encoder']['width']}-wide encoder) -> {out}")


def compare(a, b):
    """Every tensor and the progress of two checkpoints, to the bit."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    ta, tb = load_file(a), load_file(b)
    if set(ta) != set(tb):
        print(f"NOT OK: different tensors: {sorted(set(ta) ^ set(tb))[:5]}")
        sys.exit(1)
    groups = {"weights": 0.0, "batch-norm statistics": 0.0, "optimizer state": 0.0}
    for name in ta:
        group = ("optimizer state" if name.startswith("optimizer.") else
                 "batch-norm statistics" if "running_" in name or "num_batches" in name else "weights")
        groups[group] = max(groups[group], (ta[name].double() - tb[name].double()).abs().max().item())
    progress = []
    for path in (a, b):
        with safe_open(path, framework="pt") as f:
            p = json.loads(f.metadata()["progress"])
        progress.append((p["epoch"], p["step"], [round(r["meanLoss"], 9) for r in p["records"]]))
    print(f"{len(ta)} tensors: " + ", ".join(f"max |difference| of {k} {v:.1e}" for k, v in groups.items()))
    print(f"progress (epoch, step, losses): {progress[0]} and {progress[1]}")
    ok = all(v == 0 for v in groups.values()) and progress[0] == progress[1]
    print("OK: the resumed run ends exactly where the uninterrupted one does" if ok else "NOT OK: they differ")
    sys.exit(0 if ok else 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("loss", help="under torchrun: distributed NT-Xent against one process")
    sample = commands.add_parser("sample", help="PyTorch's h and z for 64 test images")
    sample.add_argument("checkpoint")
    sample.add_argument("out")
    sample.add_argument("--data")
    same = commands.add_parser("same", help="two checkpoints equal to the bit")
    same.add_argument("a")
    same.add_argument("b")
    args = parser.parse_args()
    if args.command == "loss":
        check_loss()
    elif args.command == "sample":
        write_sample(args.checkpoint, args.out, args.data)
    else:
        compare(args.a, args.b)


if __name__ == "__main__":
    main()
