#!/usr/bin/python3
"""Golden values for PortaFormer's 3-D convolution-network ops, computed with PyTorch.

Writes tests/data/conv3d_golden.h5 with one group per case:
    /<case>/x            float32, channels last [B, X, Y, Z, C]
    /<case>/weight       float32 [Cout, Cin, k, k, k]   (conv cases)
    /<case>/bias         float32 [Cout]                 (conv cases with a bias)
    /<case>/output       float64, channels last
    /<case>/grad_output  float32, the weights g of L = Σ g ⊙ output
    /<case>/grad_x, grad_weight, grad_bias   float64, dL/d(input)
and attributes op ("conv3d", "instance_norm", "upsample_nearest"), stride, padding, factor.
Torch runs channels first in float64 from the float32 values, so the stored results carry no
rounding of their own: a C++ fp32 run is compared against (nearly) exact values.

Run with Debian's python3-torch:  /usr/bin/python3 tests/golden/make_conv3d_golden.py
"""
import pathlib

import h5py
import numpy as np
import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "conv3d_golden.h5"


def first(t):  # channels last → channels first
    return t.permute(0, t.dim() - 1, *range(1, t.dim() - 1))


def last(t):  # channels first → channels last
    return t.permute(0, *range(2, t.dim()), 1)


def run_case(f, gen, name, op, x32, params32, fn, attrs):
    x = x32.double().requires_grad_(True)
    params = [p.double().requires_grad_(True) for p in params32]
    out = last(fn(first(x), *params))
    g32 = torch.rand(out.shape, generator=gen, dtype=torch.float32) + 0.5
    (out * g32.double()).sum().backward()
    grp = f.create_group(name)
    grp.attrs["op"] = op
    for k, v in attrs.items():
        grp.attrs[k] = v
    grp["x"] = x32.numpy()
    for pname, p32, p in zip(["weight", "bias"], params32, params):
        grp[pname] = p32.numpy()
        grp[f"grad_{pname}"] = p.grad.numpy()
    grp["output"] = out.detach().numpy()
    grp["grad_output"] = g32.numpy()
    grp["grad_x"] = x.grad.numpy()


def conv_case(f, name, gen, b, spatial, cin, cout, k, stride, padding, bias):
    x = torch.randn(b, *spatial, cin, generator=gen)
    bound = 1 / np.sqrt(cin * k ** 3)
    w = (torch.rand(cout, cin, k, k, k, generator=gen) * 2 - 1) * bound
    params = [w]
    if bias:
        params.append((torch.rand(cout, generator=gen) * 2 - 1) * bound)
    run_case(f, gen, name, "conv3d", x, params,
             lambda x, *p: F.conv3d(x, *p, stride=stride, padding=padding),
             dict(stride=stride, padding=padding))


def main():
    gen = torch.Generator().manual_seed(2024)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(OUT, "w") as f:
        f.attrs["torch_version"] = str(torch.__version__)
        # The encoder's downsampling conv (k 3, stride 2, pad 1) on an odd, non-cubic grid.
        conv_case(f, "conv_stride2", gen, 2, (7, 6, 5), 3, 4, 3, 2, 1, True)
        # The 3×3×3 "same" conv, Cin ≠ Cout, no bias.
        conv_case(f, "conv_same", gen, 1, (5, 4, 6), 3, 5, 3, 1, 1, False)
        # InstanceNorm3d(affine=False) on values with a non-zero mean per channel.
        x = torch.randn(2, 5, 4, 4, 3, generator=gen) * 2 + torch.tensor([3.0, -1.0, 0.5])
        run_case(f, gen, "instance_norm", "instance_norm", x, [],
                 lambda x: F.instance_norm(x, eps=1e-5), dict(eps=1e-5))
        # nn.Upsample(scale_factor=2, mode="nearest") in 3-D.
        x = torch.randn(2, 3, 2, 3, 4, generator=gen)
        run_case(f, gen, "upsample", "upsample_nearest", x, [],
                 lambda x: F.interpolate(x, scale_factor=2, mode="nearest"), dict(factor=2))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes), torch {torch.__version__}")


if __name__ == "__main__":
    main()
