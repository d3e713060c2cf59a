#!/usr/bin/python3
"""Golden values for PortaFormer's optimizers, schedules and clipping, computed with PyTorch.

Writes tests/data/optim_golden.json. Run with Debian's python3-torch:
    /usr/bin/python3 tests/golden/make_optim_golden.py
The C++ test (tests/test_optim_golden.cpp) repeats every run and compares.
"""
import json
import math
import pathlib

import torch

torch.set_default_dtype(torch.float64)
OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "optim_golden.json"


def initial_params():
    # Deterministic values (no RNG), so the C++ side can rebuild them exactly.
    w = torch.tensor([[math.sin(0.7 * i + 0.3 * j) for j in range(4)] for i in range(3)])
    b = torch.tensor([0.1 * (k - 1.5) for k in range(4)])
    return w, b


def loss_fn(w, b, step):
    # A smooth loss whose gradient changes from step to step: L = Σ (tanh(x w + b) − y)²
    x = torch.tensor([[math.cos(0.5 * r + 0.2 * c + 0.1 * step) for c in range(3)] for r in range(5)])
    y = torch.tensor([[math.sin(0.3 * r - 0.4 * c) for c in range(4)] for r in range(5)])
    return ((torch.tanh(x @ w + b) - y) ** 2).sum()


def optimizer_run(kind, weight_decay, decay_vectors, clip, steps=12, lr=0.05):
    w, b = initial_params()
    w.requires_grad_(True)
    b.requires_grad_(True)
    groups = [{"params": [w], "weight_decay": weight_decay},
              {"params": [b], "weight_decay": weight_decay if decay_vectors else 0.0}]
    cls = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
    opt = cls(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    norms = []
    for step in range(steps):
        opt.zero_grad()
        loss_fn(w, b, step).backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_([w, b], clip if clip > 0 else float("inf"))))
        opt.step()
    return {"kind": kind, "weight_decay": weight_decay, "decay_vectors": decay_vectors, "clip": clip,
            "steps": steps, "lr": lr, "grad_norms": norms,
            "w": w.detach().flatten().tolist(), "b": b.detach().flatten().tolist()}


def schedule_run(name, total, make):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.AdamW([p], lr=0.1)
    sched = make(opt)
    lrs, betas = [], []
    for _ in range(total):
        lrs.append(opt.param_groups[0]["lr"])
        betas.append(opt.param_groups[0]["betas"][0])
        opt.step()
        sched.step()
    return {"name": name, "total": total, "lr": lrs, "beta1": betas}


def main():
    runs = [optimizer_run("adam", 0.0, True, 0.0),
            optimizer_run("adam", 0.01, True, 0.0),
            optimizer_run("adamw", 0.1, False, 0.0),
            optimizer_run("adamw", 0.1, True, 0.5)]
    schedules = [
        schedule_run("onecycle", 40, lambda o: torch.optim.lr_scheduler.OneCycleLR(
            o, max_lr=0.1, total_steps=40, pct_start=0.25)),
        schedule_run("step", 40, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5)),
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"torch_version": torch.__version__, "optimizers": runs,
                               "schedules": schedules}, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
