"""Loads a checkpoint written by the Swift lessons into PyTorch and checks that PyTorch
computes the same features for the same images.

    python scripts/torch/bridge.py checkpoints/lesson2-classroom.safetensors \
                                   checkpoints/lesson2-bridge-sample.safetensors

The sample file (written by Lesson 2) holds a batch of normalised images `input` and the
features `h` and projections `z` the Swift code computed for it in evaluation mode.
"""
import sys

import torch
from safetensors.torch import load_file

from simclr_torch import load_swift_checkpoint


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    net, architecture, progress = load_swift_checkpoint(sys.argv[1])
    sample = load_file(sys.argv[2])
    net.eval()
    with torch.no_grad():
        h, z = net(sample["input"])
    dh = (h - sample["h"]).abs().max().item()
    dz = (z - sample["z"]).abs().max().item()
    scale = sample["h"].abs().max().item()
    print(f"architecture: {architecture}")
    print(f"progress: epoch {progress['epoch']}, step {progress['step']}")
    print(f"{sample['input'].shape[0]} images: max |h_torch - h_swift| = {dh:.2e} (|h| up to {scale:.3f}), "
          f"max |z_torch - z_swift| = {dz:.2e}")
    ok = dh <= 1e-4 * max(1.0, scale) and dz <= 1e-4 * max(1.0, sample["z"].abs().max().item())
    print("OK: PyTorch reproduces the Swift features" if ok else "NOT OK: the features differ")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
