"""The lessons' networks in PyTorch, with the same parameter names as the Swift code.

The encoder is torchvision's ResNet code (its BasicBlock and Bottleneck classes) with two
knobs torchvision hard-codes: the first stage's width (64 in torchvision; 16 in the
classroom model) and the stem (torchvision's 7x7/2 conv + max pool, or the CIFAR stem:
3x3/1 conv, no max pool). With width 64 and the ImageNet stem it *is*
torchvision.models.resnet18()/resnet50() without `fc`, name for name.
"""
import json

import torch
import torch.nn as nn
from torchvision.models.resnet import BasicBlock, Bottleneck


class ResNetTrunk(nn.Module):
    def __init__(self, depth="resnet18", width=64, stem="cifar"):
        super().__init__()
        block, layers = {
            "resnet18": (BasicBlock, [2, 2, 2, 2]),
            "resnet34": (BasicBlock, [3, 4, 6, 3]),
            "resnet50": (Bottleneck, [3, 4, 6, 3]),
        }[depth]
        if stem == "cifar":
            self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
            self.maxpool = nn.Identity()
        else:
            self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.inplanes = width
        for i, n in enumerate(layers):
            setattr(self, f"layer{i + 1}", self._make_layer(block, width << i, n, 1 if i == 0 else 2))
        self.feature_dim = (width << 3) * block.expansion

    def _make_layer(self, block, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)


class SimCLRNet(nn.Module):
    """Encoder (`ResNetTrunk`, names without prefix) + projection head (`projector.0/2`)."""

    def __init__(self, architecture):
        super().__init__()
        enc = architecture["encoder"]
        self.encoder = ResNetTrunk(enc["depth"], enc["width"], enc["stem"])
        self.projector = nn.Sequential(nn.Linear(self.encoder.feature_dim, architecture["hidden"]), nn.ReLU(),
                                       nn.Linear(architecture["hidden"], architecture["projection"]))

    def forward(self, x):
        h = self.encoder(x)
        return h, self.projector(h)


#: The checkpoint format the lessons read (the value of the metadata key "format"). It
#: names the layout, not the trainer: train_simclr.py writes it too.
FORMAT = "simclr-swift/1"


def checkpoint_name(name):
    """A `SimCLRNet` state-dict name as the lessons' checkpoints spell it: the encoder's
    tensors without a prefix (torchvision's names), the head's under `projector.`."""
    return name[len("encoder."):] if name.startswith("encoder.") else name


def checkpoint_tensors(net):
    """Every weight and batch-norm buffer of a `SimCLRNet` under the checkpoint's names, as
    contiguous float32 on the CPU (int64 for `num_batches_tracked`): what Swift reads."""
    tensors = {}
    for name, value in net.state_dict().items():
        value = value.detach().cpu().contiguous()
        tensors[checkpoint_name(name)] = value if name.endswith("num_batches_tracked") else value.float()
    return tensors


def save_checkpoint(path, tensors, metadata):
    """Writes a safetensors checkpoint atomically (a temporary file, then a rename), so a run
    stopped while saving keeps the previous one. `metadata` values must be strings."""
    import os

    from safetensors.torch import save_file

    temporary = f"{path}.tmp"
    save_file(tensors, temporary, metadata={"format": FORMAT, **metadata})
    os.replace(temporary, path)


def load_swift_checkpoint(path):
    """Builds the network a checkpoint of the lessons describes and loads its weights
    (strictly). Works for Lesson 4's checkpoints and for train_simclr.py's alike."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(path, framework="pt") as f:
        metadata = f.metadata() or {}
    if metadata.get("format") != FORMAT:
        raise SystemExit(f"{path}: not a checkpoint of the SimCLR lessons")
    architecture = json.loads(metadata["architecture"])
    net = SimCLRNet(architecture)
    tensors = load_file(path)
    encoder_state = {k: v for k, v in tensors.items() if not k.startswith(("projector.", "optimizer."))}
    projector_state = {k[len("projector."):]: v for k, v in tensors.items() if k.startswith("projector.")}
    net.encoder.load_state_dict(encoder_state, strict=True)
    net.projector.load_state_dict(projector_state, strict=True)
    return net, architecture, json.loads(metadata["progress"])
