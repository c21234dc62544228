"""Regenerates Tests/Fixtures/cosine_annealing_writeup.json.

The Food-101 write-up trains with SGD(lr=0.03, momentum=0.9, weight_decay=1e-4) and
CosineAnnealingLR(optimizer, T_max=epoch) for epoch = 100, and its loop calls scheduler.step()
once per epoch, after the batch loop. This script records, with PyTorch itself, the learning
rate each epoch trains at under that loop. Lesson 4's test compares the lesson's printed rates
with these.

    python scripts/torch/make_schedule_fixture.py   # with torch installed (see README.md here)
"""
import json
import pathlib

import torch

EPOCHS, BASE = 100, 0.03


def rates():
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([weight], lr=BASE, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)
    out = []
    for _ in range(EPOCHS):
        out.append(optimizer.param_groups[0]["lr"])  # the rate this epoch trains at
        optimizer.zero_grad()
        weight.sum().backward()
        optimizer.step()
        scheduler.step()  # once per epoch, after the batch loop, as the write-up's loop does
    return out


def main():
    fixture = {
        "meta": {"torch": torch.__version__, "optimizer": "SGD(lr=0.03, momentum=0.9, weight_decay=1e-4)",
                 "scheduler": "CosineAnnealingLR(T_max=100)", "epochs": EPOCHS,
                 "note": "lr read from optimizer.param_groups[0]['lr'] at the start of each epoch; "
                         "scheduler.step() once per epoch, after the batch loop, as the write-up's loop does"},
        "per_epoch": rates(),
    }
    path = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures" / "cosine_annealing_writeup.json"
    path.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
