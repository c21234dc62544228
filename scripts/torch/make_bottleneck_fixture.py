"""Writes Tests/Fixtures/resnet50_w4_imagenet_blocks.safetensors, the reference for the
bottleneck ResNet-50 path (7x7/2 stem, max pool, 1x1 convolutions, bottleneck blocks),
which Tests/Fixtures/resnet18_w4_train.json (basic blocks, CIFAR stem) does not cover.

A width-4 ResNet-50 in training mode on 4 random 64x64 images, computed in float64 and
stored in float32: the features h for loss = sum(h * gh), the gradient of every
parameter, and the input activation and input gradient of every residual block.

Why per block: a deep, narrow network at batch 4 is chaotic to backpropagate through. A
value that sits near a ReLU's kink in one implementation's rounding and not in another's
changes a whole block's gradient by percents; PyTorch's own float32 run disagrees with its
float64 run by up to 5 % on such networks. Feeding each block the exact input and output
gradient tests every layer tightly, while the end-to-end features are still compared.

    .venv/bin/python scripts/torch/make_bottleneck_fixture.py   # from the project root
"""
import json
import pathlib

import torch
from safetensors.torch import save_file

from simclr_torch import ResNetTrunk

torch.manual_seed(0)
net = ResNetTrunk("resnet50", width=4, stem="imagenet").double()
net.train()
x = torch.randn(4, 3, 64, 64, dtype=torch.float64)
inputs = []
blocks = [b for layer in (net.layer1, net.layer2, net.layer3, net.layer4) for b in layer]


def keep_input(module, args, output):
    args[0].retain_grad()
    inputs.append(args[0])


for b in blocks:
    b.register_forward_hook(keep_input)
h = net(x)
gh = torch.randn_like(h)
(h * gh).sum().backward()

tensors = {"x": x, "h": h, "gh": gh}
for name, p in net.named_parameters():
    tensors["param." + name] = p
    tensors["grad." + name] = p.grad
for i, a in enumerate(inputs):
    tensors[f"block.{i}.input"] = a
    tensors[f"block.{i}.input_grad"] = a.grad
tensors = {k: v.detach().float().contiguous() for k, v in tensors.items()}
metadata = {"depth": "resnet50", "width": "4", "stem": "imagenet", "blocks": str(len(blocks)),
            "params_in_order": json.dumps([n for n, _ in net.named_parameters()]), "torch": torch.__version__}
path = pathlib.Path("Tests/Fixtures/resnet50_w4_imagenet_blocks.safetensors")
save_file(tensors, str(path), metadata=metadata)
print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
