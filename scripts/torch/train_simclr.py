#!/usr/bin/env python3
"""Trains the lessons' SimCLR recipe with PyTorch: on the CPU, one GPU, or many with torchrun.

    swift run Lesson4-Training --width 64 --epochs 200 --images-per-class 5000 --export-config card.json
    torchrun --nproc_per_node 8 scripts/torch/train_simclr.py card.json
    swift run Lesson5-LinearProbe --checkpoint checkpoints/torch-card.safetensors

The recipe file (`Lesson4-Training --export-config`) fixes everything that defines the
run: the network (torchvision's ResNet blocks with the lessons' width, stem and parameter
names, from simclr_torch.py), the data set and images per class, every augmentation
parameter (built here as torchvision transforms), NT-Xent's temperature, the batch, the
optimizer, learning rate, warm-up and cosine schedule, weight decay, epochs and seed.
This script only adds what depends on the machine.

How K processes share one run (torch.distributed; torchrun starts them and sets RANK,
WORLD_SIZE and LOCAL_RANK):

- Data: each process takes batchSize / K images of every step (DistributedSampler).
- Loss: as in SimCLR, every view is contrasted with the views of all K processes. The
  projections are gathered with an all-gather that keeps gradients, so the loss over K
  processes is the loss of the global batch, and so is its gradient (`nt_xent_share`).
- Gradients: DistributedDataParallel averages them over the processes.
- Batch norm: on GPUs (NCCL) SyncBatchNorm computes the statistics over the global batch,
  like the paper's global BN. PyTorch's SyncBatchNorm refuses CPU tensors, so on CPUs
  (gloo) each process normalises its own share of the batch; the checkpoint says which.
- On GPUs: bfloat16 autocast and channels-last memory (turn off with --no-amp,
  --no-channels-last).

After every epoch process 0 rewrites the checkpoint, atomically, in the lessons' format
(torchvision names, metadata "architecture" and "progress" as Lesson 4 writes them, plus
"recipe" and "provenance": the trainer, the hardware, the batch norm), so Lessons 5 and 6
evaluate it with --checkpoint. --resume continues from it: the data order and every
augmentation draw depend only on (seed, epoch, image), so on the CPU a resumed run ends
with exactly the weights of an uninterrupted one (on GPUs cuDNN may pick
non-deterministic kernels: the same run, not the same bits).

Run from the project root. PyTorch comes from the running Python or from the virtual
environment torch_env.py sets up (.venv/).
"""
import argparse
import json
import math
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_env  # noqa: E402  (must run before torch is imported)

torch_env.require_torch()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torchvision  # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402
from torch.utils.data import DataLoader, Dataset, DistributedSampler  # noqa: E402
from torchvision import transforms as T  # noqa: E402

import simclr_data  # noqa: E402
from simclr_torch import SimCLRNet, checkpoint_name, checkpoint_tensors, save_checkpoint  # noqa: E402

RECIPE_FORMAT = "simclr-recipe/1"
PROGRAM = "train_simclr.py"


class RunError(Exception):
    """Bad input (recipe, data, checkpoint, flags): the message is one line."""


# ----------------------------------------------------------------------------- the recipe

#: Every key a recipe must have, with its JSON type (bool is not accepted as a number).
RECIPE_KEYS = {
    "format": str, "dataset": str, "schedule": str, "architecture": dict, "augmentation": dict,
    "epochs": int, "batchSize": int, "learningRate": float, "linearScaling": bool, "temperature": float,
    "optimizer": str, "momentum": float, "weightDecay": float, "warmupEpochs": int, "imagesPerClass": int,
    "imageSize": int, "seed": int, "monitorMemoryPerClass": int, "monitorQueriesPerClass": int, "monitorK": int,
}
KIND_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", dict: "a JSON object"}


def load_recipe(path):
    """Reads and checks a recipe file; every problem is a one-line RunError."""
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        raise RunError(f"{path}: no such file (write one with: swift run Lesson4-Training --export-config {path})")
    except OSError as error:
        raise RunError(f"{path}: {error.strerror}")
    try:
        recipe = json.loads(text)
    except json.JSONDecodeError as error:
        raise RunError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")
    if not isinstance(recipe, dict) or recipe.get("format") != RECIPE_FORMAT:
        found = recipe.get("format") if isinstance(recipe, dict) else None
        raise RunError(f"{path}: " + (f'format is "{found}", expected "{RECIPE_FORMAT}"' if found else
                                      f"not a recipe file (write one with: swift run Lesson4-Training --export-config FILE)"))
    for key, kind in RECIPE_KEYS.items():
        if key not in recipe:
            raise RunError(f'{path}: no "{key}" (export the recipe again with Lesson4-Training --export-config FILE)')
        value = recipe[key]
        if kind is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, kind)
        if not ok:
            raise RunError(f'{path}: "{key}" should be {KIND_NAMES[kind]}')
    problem = recipe_problem(recipe)
    if problem:
        raise RunError(f"{path}: {problem}")
    return recipe


def recipe_problem(r):
    """The first value this trainer cannot run, as a phrase naming its key, or None."""
    a, aug = r["architecture"], r["augmentation"]
    encoder = a.get("encoder", {})
    checks = [
        (r["dataset"] in ("cifar10", "stl10", "food101"), f'dataset "{r["dataset"]}" is not cifar10, stl10 or food101'),
        (r["schedule"] == "cosine", f'schedule "{r["schedule"]}" is not "cosine" (the only one implemented)'),
        (encoder.get("depth") in ("resnet18", "resnet34", "resnet50"), "architecture.encoder.depth must be resnet18, resnet34 or resnet50"),
        (encoder.get("stem") in ("cifar", "imagenet"), "architecture.encoder.stem must be cifar or imagenet"),
        (isinstance(encoder.get("width"), int) and encoder["width"] >= 2, "architecture.encoder.width must be an integer >= 2"),
        (all(isinstance(a.get(k), int) and a[k] > 0 for k in ("hidden", "projection")), "architecture.hidden and .projection must be positive integers"),
        (r["optimizer"] in ("sgd", "lars", "adam"), f'optimizer "{r["optimizer"]}" is not sgd, lars or adam'),
        (r["epochs"] >= 1, "epochs must be at least 1"),
        (r["batchSize"] >= 2, "batchSize must be at least 2"),
        (r["learningRate"] > 0 and r["temperature"] > 0, "learningRate and temperature must be positive"),
        (0 <= r["warmupEpochs"] < r["epochs"], "warmupEpochs must be between 0 and epochs - 1"),
        (r["imagesPerClass"] >= 1, "imagesPerClass must be positive"),
        ("crop" in aug and "jitter" in aug, "augmentation needs crop and jitter (export the recipe again)"),
        (aug.get("crop", {}).get("size") == r["imageSize"], "augmentation.crop.size must equal imageSize"),
    ]
    return next((message for ok, message in checks if not ok), None)


def compact(value):
    """JSON with sorted keys and no spaces: how the recipe is stored in the checkpoint."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def describe(r):
    """One line: what this recipe trains."""
    a, e = r["architecture"], r["architecture"]["encoder"]
    lr = f"lr {r['learningRate']}" + (" x batch/256" if r["linearScaling"] else "")
    epochs = f"{r['epochs']} epoch" + ("s" if r["epochs"] > 1 else "")
    return (f"{e['depth']} width {e['width']} ({e['stem']} stem), head hidden {a['hidden']} -> {a['projection']}; "
            f"{r['dataset']} {r['imagesPerClass']:,} per class at {r['imageSize']} px; {epochs} of batch "
            f"{r['batchSize']}; {r['optimizer'].upper()} {lr}, {r['warmupEpochs']} warm-up epochs, cosine; "
            f"weight decay {r['weightDecay']}; tau {r['temperature']}; seed {r['seed']}")


# ----------------------------------------------------------------------------- augmentation and data

def make_augmentation(aug):
    """The recipe's augmentation as torchvision transforms, on a float image in [0, 1], in the
    lessons' order: crop, flip, jitter, grey, blur, normalise."""
    crop, jitter, blur, normalize = aug["crop"], aug["jitter"], aug.get("blur"), aug.get("normalize")
    stages = [
        T.RandomResizedCrop(crop["size"], scale=tuple(crop["scale"]), ratio=tuple(crop["ratio"]),
                            antialias=crop["antialias"]),
        T.RandomHorizontalFlip(aug["flipProbability"]),
        T.RandomApply([T.ColorJitter(jitter["brightness"], jitter["contrast"], jitter["saturation"], jitter["hue"])],
                      p=jitter["probability"]),
        T.RandomGrayscale(aug["grayscaleProbability"]),
    ]
    if blur:
        gaussian = T.GaussianBlur(blur["kernelSize"], sigma=tuple(blur["sigma"]))
        stages.append(gaussian if blur["probability"] >= 1 else T.RandomApply([gaussian], p=blur["probability"]))
    if normalize:
        stages.append(T.Normalize(normalize["mean"], normalize["std"]))
    return T.Compose(stages)


def view_seed(seed, epoch, index):
    """The seed of one image's two views in one epoch: the same whatever the number of
    processes and loader workers, and whether the run was resumed."""
    return int(np.random.SeedSequence([seed, epoch, index]).generate_state(1, dtype=np.uint64)[0])


class TwoViews(Dataset):
    """Two augmented views of each image. Set `epoch` before each epoch: the draws of image i
    come from a generator seeded by (seed, epoch, i)."""

    def __init__(self, images, augmentation, seed):
        self.images, self.augmentation, self.seed = images, augmentation, seed
        self.epoch = 1

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        torch.default_generator.manual_seed(view_seed(self.seed, self.epoch, i))
        image = self.images[i].float() / 255  # ToTensor: uint8 -> [0, 1]
        return self.augmentation(image), self.augmentation(image)


# ----------------------------------------------------------------------------- the loss

def gather_with_gradients(z):
    """All processes' z stacked in rank order ([K * rows, D]). Gradients flow back through
    the gather: what process r's loss says about process s's rows reaches process s."""
    try:
        import torch.distributed._functional_collectives as funcol  # PyTorch >= 2.15
        return funcol.all_gather_single(z, 0, dist.group.WORLD)
    except (ImportError, AttributeError):
        from torch.distributed.nn.functional import all_gather
        return torch.cat(all_gather(z), dim=0)


def nt_xent_share(z, temperature):
    """This process's share of NT-Xent over the global batch, and its contrastive accuracy.

    z: [2n, D], this process's n first views, then its n second views (the positive of row i
    is row i ± n). With K processes the global batch has 2N = 2nK views. Each of this
    process's rows i is contrasted with all 2N views,

        l_i = -s(i, p(i)) + log sum_{j != i} exp(s(i, j)),   s(i, j) = cos(z_i, z_j) / tau,

    and the share is sum_i l_i / 2N. The shares of the K processes add up to
    L = (1/2N) sum over all 2N rows, the loss one process computes on the whole batch, and
    so do their gradients (the gather passes them back). DDP averages gradients over the K
    processes, so the training step back-propagates K x share (see `train_epoch`).
    """
    rows, n = z.shape[0], z.shape[0] // 2
    distributed = dist.is_initialized() and dist.get_world_size() > 1
    world, rank = (dist.get_world_size(), dist.get_rank()) if distributed else (1, 0)
    everyone = gather_with_gradients(z) if distributed else z
    similarities = F.normalize(z, dim=1) @ F.normalize(everyone, dim=1).t() / temperature  # [2n, 2N]
    local = torch.arange(rows, device=z.device)
    own_column = rank * rows + local
    similarities = similarities.masked_fill(F.one_hot(own_column, world * rows).bool(), float("-inf"))
    positive = rank * rows + (local + n) % rows
    share = F.cross_entropy(similarities, positive, reduction="sum") / (world * rows)
    found = (similarities.argmax(dim=1) == positive).sum()
    return share, found


# ----------------------------------------------------------------------------- optimizer and schedule

class LARS(torch.optim.Optimizer):
    """LARS as the lessons' Swift `LARS` (and SimCLR) computes it, per weight tensor:

        g <- grad + wd * w;  r <- eta * |w| / |g| (1 if either is 0);  v <- m * v + lr * r * g;  w <- w - v

    Biases and batch-norm parameters (the 1-d tensors) get neither weight decay nor the ratio.
    """

    def __init__(self, params, lr, momentum, weight_decay, trust_coefficient=0.001):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, eta=trust_coefficient))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                adapt = p.ndim > 1
                update = p.grad + (group["weight_decay"] * p if adapt else 0)
                ratio = 1.0
                if adapt:
                    w, u = p.norm(), update.norm()
                    ratio = torch.where((w > 0) & (u > 0), group["eta"] * w / u, torch.ones_like(w))
                velocity = self.state[p].setdefault("velocity", torch.zeros_like(p))
                velocity.mul_(group["momentum"]).add_(update * (group["lr"] * ratio))
                p.sub_(velocity)


#: The optimizer's state in a checkpoint, as the Swift optimizers name it: name -> (torch key, checkpoint prefix).
OPTIMIZER_STATE = {
    "sgd": [("momentum_buffer", "optimizer.momentum.")],
    "lars": [("velocity", "optimizer.velocity.")],
    "adam": [("exp_avg", "optimizer.exp_avg."), ("exp_avg_sq", "optimizer.exp_avg_sq.")],
}


def make_optimizer(recipe, net):
    """SGD, LARS or Adam with the recipe's momentum and weight decay, as the Swift optimizers
    update (torch.optim.SGD and Adam are the same formulas: L2 decay added to the gradient)."""
    kind, params = recipe["optimizer"], net.parameters()
    if kind == "sgd":
        return torch.optim.SGD(params, lr=0.0, momentum=recipe["momentum"], weight_decay=recipe["weightDecay"])
    if kind == "lars":
        return LARS(params, lr=0.0, momentum=recipe["momentum"], weight_decay=recipe["weightDecay"])
    return torch.optim.Adam(params, lr=0.0, weight_decay=recipe["weightDecay"])


def learning_rate(recipe, step, steps_per_epoch):
    """Lesson 4's `CosineSchedule` at `step` (0-based): a linear warm-up to the peak over
    warmupEpochs, then cosine decay to 0 over the remaining steps, per step."""
    peak = recipe["learningRate"] * (recipe["batchSize"] / 256 if recipe["linearScaling"] else 1)
    total, warmup = recipe["epochs"] * steps_per_epoch, recipe["warmupEpochs"] * steps_per_epoch
    if step < warmup:
        return peak * (step + 1) / warmup
    span = max(1, total - warmup)
    return peak * (1 + math.cos(math.pi * min(step - warmup, span) / span)) / 2


# ----------------------------------------------------------------------------- the machine

class Machine:
    """This process's place in the run: rank, world size, device and backend."""

    def __init__(self, device_choice, threads):
        self.rank = int(os.environ.get("RANK", 0))
        self.world = int(os.environ.get("WORLD_SIZE", 1))
        self.local_rank = int(os.environ.get("LOCAL_RANK", 0))
        self.local_world = int(os.environ.get("LOCAL_WORLD_SIZE", self.world))
        cuda = torch.cuda.is_available() if device_choice == "auto" else device_choice == "cuda"
        if cuda and not torch.cuda.is_available():
            raise RunError("--device cuda, but PyTorch sees no GPU")
        self.cuda = cuda
        self.backend = "nccl" if cuda else "gloo"
        if cuda:
            torch.cuda.set_device(self.local_rank)
            self.device = torch.device("cuda", self.local_rank)
        else:
            self.device = torch.device("cpu")
        if threads:
            torch.set_num_threads(threads)
        if "RANK" in os.environ:  # started by torchrun
            dist.init_process_group(self.backend)

    @property
    def main(self):
        """Process 0 prints, evaluates the monitor and writes the checkpoint."""
        return self.rank == 0

    def say(self, text):
        if self.main:
            print(text, flush=True)

    def all_sum(self, value):
        """A number (or a one-element tensor) summed over all processes."""
        t = torch.as_tensor(value, dtype=torch.float64).to(self.device).clone()
        if dist.is_initialized():
            dist.all_reduce(t)
        return t.item()

    def hardware(self):
        """One line for the checkpoint: devices, processes and how they were joined."""
        nodes = max(1, self.world // max(1, self.local_world))
        joined = f"torchrun, {self.backend}" if dist.is_initialized() else "one process, no torchrun"
        machines = f"{nodes} machine{'s' if nodes > 1 else ''}"
        if self.cuda:
            return f"{self.world} x {torch.cuda.get_device_name(self.device)} ({machines}; {joined})"
        cpu = platform.processor() or platform.machine()
        try:
            with open("/proc/cpuinfo") as f:
                cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
        except (OSError, StopIteration):
            pass
        return (f"{self.world} process{'es' if self.world > 1 else ''} on CPU ({machines}; {cpu}, "
                f"{os.cpu_count()} cores; {torch.get_num_threads()} thread{'s' if torch.get_num_threads() > 1 else ''} "
                f"per process; {joined})")


# ----------------------------------------------------------------------------- checkpoints

def save(path, net, optimizer, recipe, progress, provenance):
    """The lessons' checkpoint: weights and buffers, the optimizer state under the Swift
    optimizers' names, and the metadata Lessons 5 and 6 read."""
    tensors = checkpoint_tensors(net)
    names = {p: checkpoint_name(name) for name, p in net.named_parameters()}
    for key, prefix in OPTIMIZER_STATE[recipe["optimizer"]]:
        for p, state in optimizer.state.items():
            if key in state:
                tensors[prefix + names[p]] = state[key].detach().float().cpu().contiguous().flatten()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    save_checkpoint(path, tensors, {
        "architecture": compact(recipe["architecture"]),
        "progress": compact(progress),
        "optimizer_steps": str(progress["step"]),
        "recipe": compact(recipe),
        "provenance": compact(provenance),
    })


def resume(path, net, optimizer, recipe, device):
    """Loads weights, buffers and optimizer state into `net` and `optimizer`; returns the progress."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    if not os.path.exists(path):
        raise RunError(f"{path}: no checkpoint to resume from; run without --resume to start training")
    with safe_open(path, framework="pt") as f:
        metadata = f.metadata() or {}
    if metadata.get("recipe") != compact(recipe):
        raise RunError(f"{path}: written by a run with another recipe; resume with the same recipe file, "
                       f"or start over without --resume")
    tensors = load_file(path)
    state = {name: tensors[checkpoint_name(name)] for name in net.state_dict()}
    net.load_state_dict(state, strict=True)
    progress = json.loads(metadata["progress"])
    names = {p: checkpoint_name(name) for name, p in net.named_parameters()}
    for key, prefix in OPTIMIZER_STATE[recipe["optimizer"]]:
        for p, name in names.items():
            if prefix + name in tensors:
                optimizer.state[p][key] = tensors[prefix + name].reshape(p.shape).to(device)
                if recipe["optimizer"] == "adam":
                    optimizer.state[p]["step"] = torch.tensor(float(progress["step"]))
    return progress


# ----------------------------------------------------------------------------- monitor

@torch.no_grad()
def features(net, images, normalize, device, batch=256):
    """h of every image, in evaluation mode, normalised as in training (no augmentation)."""
    net.eval()
    mean = torch.tensor(normalize["mean"], device=device).view(1, 3, 1, 1)
    std = torch.tensor(normalize["std"], device=device).view(1, 3, 1, 1)
    out = []
    for start in range(0, len(images), batch):
        x = torch.stack([images[i] for i in range(start, min(start + batch, len(images)))]).to(device).float() / 255
        out.append(net.encoder((x - mean) / std).float())
    net.train()
    return torch.cat(out)


def knn_accuracy(net, memory, queries, recipe, device):
    """Lesson 4's kNN monitor: the k most cosine-similar memory images vote for each query
    with weight exp(similarity / 0.1)."""
    normalize = recipe["augmentation"].get("normalize") or {"mean": [0.4914, 0.4822, 0.4465], "std": [0.2470, 0.2435, 0.2616]}
    m = F.normalize(features(net, memory, normalize, device), dim=1)
    q = F.normalize(features(net, queries, normalize, device), dim=1)
    labels = torch.tensor(memory.labels, device=device)
    k = min(recipe["monitorK"], len(memory))
    top, index = (q @ m.t()).topk(k, dim=1)
    classes = max(memory.labels) + 1
    scores = torch.zeros(len(queries), classes, device=device).scatter_add_(1, labels[index], (top / 0.1).exp())
    return (scores.argmax(dim=1).cpu() == torch.tensor(queries.labels)).float().mean().item()


# ----------------------------------------------------------------------------- training

def train_epoch(epoch, model, loader, optimizer, recipe, machine, step, amp, channels_last):
    """One pass over this process's share of the data; returns (mean loss, contrastive accuracy, steps).
    The sums stay on the device until the end, so the GPU never waits for a print."""
    steps = len(loader)
    loss_sum = torch.zeros((), dtype=torch.float64, device=machine.device)
    found = torch.zeros((), dtype=torch.float64, device=machine.device)
    views_seen = 0
    bar_every = max(1, steps // 10)
    for s, (first, second) in enumerate(loader):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(recipe, step + s, steps)
        views = torch.cat([first, second]).to(machine.device, non_blocking=True)
        if channels_last:
            views = views.contiguous(memory_format=torch.channels_last)
        with torch.autocast(machine.device.type, dtype=torch.bfloat16, enabled=amp):
            _, z = model(views)
        share, hits = nt_xent_share(z.float(), recipe["temperature"])
        optimizer.zero_grad(set_to_none=True)
        # DDP averages the K processes' gradients; K x share makes that average the
        # gradient of the global batch's loss.
        (share * machine.world).backward()
        optimizer.step()
        loss_sum += share.detach()
        found += hits
        views_seen += views.shape[0]
        if machine.main and ((s + 1) % bar_every == 0 or s + 1 == steps):
            print(f"  epoch {epoch} step {s + 1}/{steps}  lr {optimizer.param_groups[0]['lr']:.4f}", flush=True)
    loss = machine.all_sum(loss_sum) / steps  # the shares add up to the global loss of each step
    positives = machine.all_sum(found) / machine.all_sum(views_seen)
    return loss, positives, steps


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Launch with torchrun --nproc_per_node K for K processes (GPUs or CPU shares).")
    parser.add_argument("recipe", help="recipe file written by: swift run Lesson4-Training --export-config FILE")
    parser.add_argument("--data", help="data folder (default: the lessons' order under data/)")
    parser.add_argument("--checkpoint", help="where to write the checkpoint every epoch "
                                             "(default: checkpoints/torch-<recipe name>.safetensors)")
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint")
    parser.add_argument("--stop-after", type=int, metavar="EPOCH",
                        help="stop after this epoch, keeping the recipe's schedule (to split a run, or test --resume)")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                        help="cuda (NCCL) if a GPU is visible, else cpu (gloo)")
    parser.add_argument("--workers", type=int, help="data-loading processes per training process "
                                                    "(default: 0 on the CPU, up to 8 per GPU)")
    parser.add_argument("--threads", type=int, help="CPU threads per process (default: PyTorch's / torchrun's)")
    parser.add_argument("--no-amp", action="store_true", help="float32 on GPUs (default: bfloat16 autocast)")
    parser.add_argument("--no-channels-last", action="store_true", help="NCHW memory on GPUs")
    parser.add_argument("--no-sync-bn", action="store_true", help="per-process batch norm on GPUs too")
    parser.add_argument("--no-monitor", action="store_true", help="skip the kNN monitor after each epoch")
    return parser.parse_args()


def run(args):
    recipe = load_recipe(args.recipe)
    machine = Machine(args.device, args.threads)
    checkpoint = args.checkpoint or os.path.join(
        "checkpoints", f"torch-{os.path.splitext(os.path.basename(args.recipe))[0]}.safetensors")
    batch = recipe["batchSize"]
    if batch % machine.world:
        raise RunError(f"batchSize {batch} does not split evenly over {machine.world} processes")
    per_process = batch // machine.world
    machine.say(f"recipe {args.recipe}: {describe(recipe)}")

    try:
        images, memory, queries = simclr_data.load(recipe, args.data)
    except simclr_data.DataError as error:
        raise RunError(str(error))
    if len(images) < batch:
        raise RunError(f"{len(images):,} images for batches of {batch}")
    if len(images) < recipe["imagesPerClass"] * 10 and recipe["dataset"] == "cifar10":
        machine.say(f"(asked for {recipe['imagesPerClass']:,} per class; this data has {len(images) // 10:,})")
    machine.say(f"data: {images.description}: {len(images):,} images; kNN monitor {len(memory):,} -> {len(queries):,}")

    torch.manual_seed(recipe["seed"])  # the same initial weights in every process
    net = SimCLRNet(recipe["architecture"])
    sync_bn = machine.cuda and machine.world > 1 and not args.no_sync_bn
    if sync_bn:
        net = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)
    amp = machine.cuda and not args.no_amp
    channels_last = machine.cuda and not args.no_channels_last
    net = net.to(machine.device, memory_format=torch.channels_last if channels_last else torch.contiguous_format)
    optimizer = make_optimizer(recipe, net)
    progress = {"epoch": 0, "step": 0, "seed": recipe["seed"], "records": [], "settings": compact(recipe)}
    if args.resume:
        progress = resume(checkpoint, net, optimizer, recipe, machine.device)
        machine.say(f"resumed from {checkpoint} after epoch {progress['epoch']} (step {progress['step']})")
    model = net
    if dist.is_initialized():
        model = DistributedDataParallel(net, device_ids=[machine.local_rank] if machine.cuda else None)
    if machine.cuda:
        torch.backends.cudnn.benchmark = True

    views = TwoViews(images, make_augmentation(recipe["augmentation"]), recipe["seed"])
    sampler = DistributedSampler(views, num_replicas=machine.world, rank=machine.rank, shuffle=True,
                                 seed=recipe["seed"], drop_last=True)
    workers = args.workers if args.workers is not None else (min(8, (os.cpu_count() or 1) // machine.local_world)
                                                             if machine.cuda else 0)
    loader = DataLoader(views, batch_size=per_process, sampler=sampler, drop_last=True, num_workers=workers,
                        pin_memory=machine.cuda)
    batch_norm = ("SyncBatchNorm: statistics over the global batch, across all processes" if sync_bn else
                  "over the whole batch (one process)" if machine.world == 1 else
                  f"per process: each of the {machine.world} processes normalises its own {2 * per_process} views "
                  + ("(--no-sync-bn)" if machine.cuda else "(PyTorch's SyncBatchNorm needs GPUs)"))
    provenance = {
        "trainer": f"scripts/torch/train_simclr.py (PyTorch {torch.__version__}, torchvision {torchvision.__version__})",
        "hardware": machine.hardware(),
        "batchNorm": batch_norm,
        "precision": ("bfloat16 autocast" if amp else "float32") + (", channels-last" if channels_last else ", NCHW"),
    }
    machine.say(f"{machine.hardware()}; batch {batch} = {machine.world} x {per_process} images; "
                f"{len(loader)} steps per epoch; batch norm {batch_norm}; {provenance['precision']}")

    last = min(recipe["epochs"], args.stop_after or recipe["epochs"])
    for epoch in range(progress["epoch"] + 1, last + 1):
        started = time.time()
        sampler.set_epoch(epoch)
        views.epoch = epoch
        loss, positives, steps = train_epoch(epoch, model, loader, optimizer, recipe, machine, progress["step"],
                                             amp, channels_last)
        progress["step"] += steps
        seconds = time.time() - started
        knn = None
        if machine.main and not args.no_monitor:
            knn = knn_accuracy(net, memory, queries, recipe, machine.device)
        record = {"epoch": epoch, "meanLoss": loss, "positiveTop1": positives, "knnTop1": knn,
                  "learningRate": optimizer.param_groups[0]["lr"], "seconds": seconds,
                  "imagesPerSecond": steps * batch / seconds}
        progress["epoch"] = epoch
        progress["records"].append(record)
        if machine.main:
            save(checkpoint, net, optimizer, recipe, progress, provenance)
            monitor = f"  kNN {100 * knn:4.1f} %" if knn is not None else ""
            print(f"epoch {epoch:3d}: loss {loss:.3f}  contrastive accuracy {100 * positives:4.1f} %{monitor}  "
                  f"{record['imagesPerSecond']:.0f} img/s  {seconds:.0f} s  -> {checkpoint}", flush=True)
        if dist.is_initialized():
            dist.barrier()
    machine.say(f"checkpoint: {checkpoint}  (evaluate with: swift run Lesson5-LinearProbe --checkpoint {checkpoint})")
    if dist.is_initialized():
        dist.destroy_process_group()


def main():
    args = parse_arguments()
    try:
        run(args)
    except RunError as error:
        # One line, from one process (under torchrun every process finds the same problem).
        if int(os.environ.get("RANK", 0)) == 0:
            print(f"{PROGRAM}: {error}", file=sys.stderr, flush=True)
        if dist.is_initialized():
            dist.destroy_process_group()
        sys.exit(2)


if __name__ == "__main__":
    main()
