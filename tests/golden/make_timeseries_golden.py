#!/usr/bin/python3
"""Golden cases for PortaFormer's Linear, NLinear and DLinear, computed with PyTorch modules
written here after cure-lab/LTSF-Linear's models/{Linear,NLinear,DLinear}.py.

Writes tests/data/ts_<case>.h5, each holding
    /params/<state_dict key>   float32, PyTorch's shape
    /input                     float32 [B, L, C]
    /target                    float32 [B, T, C]
    /output                    float64 [B, T, C]
    /loss                      float64 [] MSE of output against target
    /grad/<parameter key>      float64, d loss / d parameter
and attributes on / naming the model, seq_len, pred_len, channels, individual, moving_avg.
The model runs in float64 from float32 weights and input, so the stored values carry no fp32
rounding of their own.

Even moving-average kernels do not run in the reference (its output is one row short); the
"dlinear_even" case pads ceil((k-1)/2) rows in front and floor((k-1)/2) at the end, PortaFormer's
documented rule (Pathformer's), which equals the reference's for odd k.

Run with Debian's python3-torch:  /usr/bin/python3 tests/golden/make_timeseries_golden.py
"""
import pathlib

import h5py
import numpy as np
import torch
import torch.nn as nn

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data"


class Heads(nn.Module):
    """Time-axis linear map on [B, L, C]; one nn.Linear, or a ModuleList of one per channel."""

    def __init__(self, seq_len, pred_len, channels, individual):
        super().__init__()
        self.individual = individual
        if individual:
            self.heads = nn.ModuleList(nn.Linear(seq_len, pred_len) for _ in range(channels))
        else:
            self.heads = nn.Linear(seq_len, pred_len)

    def forward(self, x):
        if self.individual:
            return torch.stack([h(x[:, :, c]) for c, h in enumerate(self.heads)], dim=2)
        return self.heads(x.transpose(1, 2)).transpose(1, 2)


def moving_average(x, k):
    front, back = k - 1 - (k - 1) // 2, (k - 1) // 2
    padded = torch.cat([x[:, :1].expand(-1, front, -1), x, x[:, -1:].expand(-1, back, -1)], 1)
    return nn.functional.avg_pool1d(padded.transpose(1, 2), k, stride=1).transpose(1, 2)


class Model(nn.Module):
    def __init__(self, kind, seq_len, pred_len, channels, individual, moving_avg):
        super().__init__()
        self.kind, self.k = kind, moving_avg
        names = ["Linear_Seasonal", "Linear_Trend"] if kind == "dlinear" else ["Linear"]
        for n in names:
            setattr(self, n, Heads(seq_len, pred_len, channels, individual))

    def forward(self, x):
        if self.kind == "linear":
            return self.Linear(x)
        if self.kind == "nlinear":
            last = x[:, -1:, :].detach()
            return self.Linear(x - last) + last
        trend = moving_average(x, self.k)
        return self.Linear_Seasonal(x - trend) + self.Linear_Trend(trend)


def reference_key(key):
    # Heads keeps its Linear(s) under "heads"; the reference names them directly.
    return key.replace(".heads", "")


CASES = {
    "linear_shared": dict(kind="linear", individual=False, moving_avg=25),
    "linear_individual": dict(kind="linear", individual=True, moving_avg=25),
    "nlinear_shared": dict(kind="nlinear", individual=False, moving_avg=25),
    "nlinear_individual": dict(kind="nlinear", individual=True, moving_avg=25),
    "dlinear_shared": dict(kind="dlinear", individual=False, moving_avg=25),
    "dlinear_individual": dict(kind="dlinear", individual=True, moving_avg=5),
    "dlinear_even": dict(kind="dlinear", individual=False, moving_avg=4),
}


def make(name, kind, individual, moving_avg, batch=3, seq_len=24, pred_len=8, channels=3):
    torch.manual_seed(2021)
    model = Model(kind, seq_len, pred_len, channels, individual, moving_avg)
    x = torch.randn(batch, seq_len, channels).float()
    target = torch.randn(batch, pred_len, channels).float()
    model = model.double()
    out = model(x.double())
    loss = nn.functional.mse_loss(out, target.double())
    loss.backward()
    with h5py.File(OUT / f"ts_{name}.h5", "w") as f:
        for key, p in model.named_parameters():
            f[f"params/{reference_key(key)}"] = p.detach().float().numpy()
            f[f"grad/{reference_key(key)}"] = p.grad.numpy()
        f["input"] = x.numpy()
        f["target"] = target.numpy()
        f["output"] = out.detach().numpy()
        f["loss"] = loss.item()
        for k, v in dict(model=kind, seq_len=seq_len, pred_len=pred_len, channels=channels,
                         individual=int(individual), moving_avg=moving_avg).items():
            f.attrs[k] = v


if __name__ == "__main__":
    for name, case in CASES.items():
        make(name, **case)
        print("wrote", OUT / f"ts_{name}.h5")
