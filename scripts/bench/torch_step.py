#!/usr/bin/env python3
"""Times the classroom SimCLR training step in PyTorch on the CPU, for the Swift benchmark.

    python3 scripts/bench/torch_step.py --threads 2 --batches 256 64 --repeats 5

The step is the one `SimCLRModel.trainStep` takes in Swift (Lesson 4's classroom defaults): ResNet-18 with
the CIFAR stem at width 16 and the head 128 -> 512 -> 128 (`SimCLRNet` from
scripts/torch/simclr_torch.py), both views of N images as one batch of 2N, NT-Xent with
tau 0.5, backward, SGD (lr 0.06, momentum 0.9, weight decay 1e-4), and the contrastive top-1
that the Swift step also reports. Views are random 32x32 tensors: augmentation is not
part of the step on either side.

Each layout is timed: `channels_last` (PyTorch's faster CPU layout for convolutions) and
`default` (contiguous NCHW). Prints one JSON object per line:

    {"kind": "info", "torch": "2.15.0", "threads": 2, "capability": "AVX512", ...}
    {"kind": "step", "layout": "channels_last", "images": 256, "views": 512, "seconds": ..., "spread": ...,
     "phases": {"forward": ..., "loss": ..., "backward": ..., "optimizer": ..., "top1": ...}}

`seconds` is the median time of one step over `--repeats` steps after `--warmups` untimed
ones (default 1); `phases` the median of each part of the step (the loss's backward is
inside `backward`).

PyTorch comes from a virtual environment: `$BENCH_VENV` if set, else `.venv-bench/` at the
project root. If the running interpreter has no torch, the script re-runs itself with
that environment's Python, creating it first (`python3 -m venv`, then
`pip install torch torchvision numpy`) unless `--no-setup` is given. On failure it prints
{"error": "..."} and exits 2.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGES = ["torch", "torchvision", "numpy"]  # torchvision: simclr_torch.py builds on its ResNet blocks


def fail(message):
    print(json.dumps({"error": message}), flush=True)
    sys.exit(2)


def venv_folder():
    return os.environ.get("BENCH_VENV") or os.path.join(ROOT, ".venv-bench")


def rerun_in_venv(setup_allowed):
    """Replaces this process with the same script under the benchmark venv's Python."""
    folder = venv_folder()
    python = os.path.join(folder, "bin", "python")
    if os.environ.get("BENCH_TORCH_REEXEC") == "1":
        fail(f"torch is not importable in {folder}; delete that folder to rebuild it, or set BENCH_VENV to a venv with torch")
    if not os.path.exists(python):
        if not setup_allowed:
            fail(f"PyTorch is not installed: no virtual environment at {folder} (run scripts/bench/torch_step.py once without --no-setup)")
        # Progress goes to stderr: stdout carries only the JSON lines the benchmark reads.
        print(f"torch_step.py: creating {folder} and installing {' '.join(PACKAGES)} (once; this takes a few minutes)",
              file=sys.stderr, flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", folder], check=True, stdout=sys.stderr)
            subprocess.run([python, "-m", "pip", "install", "--quiet", *PACKAGES], check=True, stdout=sys.stderr)
        except (OSError, subprocess.CalledProcessError) as error:
            fail(f"could not set up {folder}: {error}")
    os.environ["BENCH_TORCH_REEXEC"] = "1"
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


def nt_xent(z, targets, mask, temperature):
    """NT-Xent as cross-entropy over the 2N x 2N cosine similarities with the diagonal masked."""
    import torch.nn.functional as F

    zn = F.normalize(z, dim=1)
    similarities = (zn @ zn.t()).masked_fill(mask, float("-inf")) / temperature
    return F.cross_entropy(similarities, targets), similarities


def time_steps(torch, net_class, images, layout, repeats, warmups):
    architecture = {"encoder": {"depth": "resnet18", "width": 16, "stem": "cifar"}, "hidden": 512, "projection": 128}
    torch.manual_seed(0)
    net = net_class(architecture)
    views = torch.randn(2 * images, 3, 32, 32)
    if layout == "channels_last":
        net = net.to(memory_format=torch.channels_last)
        views = views.contiguous(memory_format=torch.channels_last)
    net.train()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.06, momentum=0.9, weight_decay=1e-4)
    n2 = 2 * images
    targets = torch.cat([torch.arange(images, n2), torch.arange(0, images)])
    mask = torch.eye(n2, dtype=torch.bool)

    clock = time.perf_counter

    def step():
        """One step; returns the seconds of its phases, named as the Swift benchmark prints them."""
        t0 = clock()
        _, z = net(views)
        t1 = clock()
        loss, similarities = nt_xent(z, targets, mask, 0.5)
        t2 = clock()
        loss.backward()  # includes NT-Xent's own backward (Swift computes it with the loss)
        t3 = clock()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        t4 = clock()
        with torch.no_grad():
            (similarities.argmax(dim=1) == targets).float().mean().item()
        t5 = clock()
        return {"forward": t1 - t0, "loss": t2 - t1, "backward": t3 - t2, "optimizer": t4 - t3, "top1": t5 - t4}

    for _ in range(warmups):  # the first step creates oneDNN primitives and the momentum buffers
        step()
    totals, phases = [], {}
    for _ in range(repeats):
        start = clock()
        parts = step()
        totals.append(clock() - start)
        for name, seconds in parts.items():
            phases.setdefault(name, []).append(seconds)
    medians = {name: statistics.median(values) for name, values in phases.items()}
    return statistics.median(totals), max(totals) / min(totals) - 1, medians


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--batches", type=int, nargs="+", default=[256, 64], help="images per step (two views each)")
    parser.add_argument("--repeats", type=int, default=5, help="timed steps; the median is reported")
    parser.add_argument("--warmups", type=int, default=1, help="untimed steps before timing")
    parser.add_argument("--layouts", nargs="+", default=["channels_last", "default"],
                        choices=["channels_last", "default"], help="memory layouts to time")
    parser.add_argument("--no-setup", action="store_true", help="fail instead of creating the virtual environment")
    args = parser.parse_args()

    try:
        import torch
    except ImportError:
        rerun_in_venv(not args.no_setup)
        return
    sys.path.insert(0, os.path.join(ROOT, "scripts", "torch"))
    try:
        from simclr_torch import SimCLRNet
    except ImportError as error:
        fail(f"scripts/torch/simclr_torch.py cannot be imported with {sys.executable}: {error}")

    torch.set_num_threads(args.threads)
    capability = torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else "?"
    print(json.dumps({"kind": "info", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "capability": capability, "mkldnn": torch.backends.mkldnn.is_available(),
                      "python": sys.executable}), flush=True)
    for images in args.batches:
        for layout in args.layouts:
            seconds, spread, phases = time_steps(torch, SimCLRNet, images, layout, args.repeats, args.warmups)
            print(json.dumps({"kind": "step", "layout": layout, "images": images, "views": 2 * images,
                              "seconds": seconds, "spread": spread, "phases": phases}), flush=True)


if __name__ == "__main__":
    main()
