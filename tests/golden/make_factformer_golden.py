#!/usr/bin/python3
"""Golden cases for PortaFormer's FactFormer-2D and -3D, computed with PyTorch
(postprocess/factformer_torch.py).

Writes tests/data/factformer2d_<case>.h5 and factformer3d_<case>.h5, each holding
    /params/<state_dict key>   float32, PyTorch's shape (buffers included)
    /input                     float32 2D: [B, X, Y, in_channels];
                               3D: [B, in_steps, X, Y, Z, in_fields] (our window layout; the
                               reference's [B, fields, steps, X, Y, Z] is a permutation of it)
    /target                    float32 [B, T, X, Y(, Z), out channels]
    /output                    float64 [B, T, X, Y(, Z), out channels]
    /loss                      float64 [] relative L2 of output against target, mean over B
    /grad/<parameter key>      float32, d loss / d parameter (trainable parameters only)
    /grad_input                float32, d loss / d input
and attributes on / with the configuration and the latent step count.
The model runs in float64 from float32 weights and input, so the stored values carry no fp32
rounding of their own: a C++ fp32 run is compared against (nearly) exact values.

Run with Debian's python3-torch:  /usr/bin/python3 tests/golden/make_factformer_golden.py
"""
import pathlib
import sys

import h5py
import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "postprocess"))
import factformer_torch as ff  # noqa: E402

OUT = ROOT / "tests" / "data"

CASES = {
    # Small Kolmogorov-like configuration on a non-square grid, three latent steps.
    "small": dict(cfg=ff.Config(in_channels=3, out_channels=1, dim=24, depth=2, heads=2, dim_head=12,
                                kernel_multiplier=2, latent_multiplier=2.0, max_latent_steps=3,
                                fourier_features=12),
                  batch=2, nx=12, ny=10, steps=3, seed=1234),
    # kernel_multiplier > 4 switches on the 1/sqrt(Dk) kernel scale; odd grid, two output channels,
    # latent multiplier 1.5 (12 decoder groups), another domain length and Fourier scale.
    "scaled": dict(cfg=ff.Config(in_channels=4, out_channels=2, dim=16, depth=1, heads=2, dim_head=8,
                                 kernel_multiplier=5, latent_multiplier=1.5, max_latent_steps=3,
                                 fourier_scale=2.0, fourier_features=6, domain_length=3.0),
                   batch=1, nx=9, ny=7, steps=2, seed=99),
}

CASES_3D = {
    # Smoke-like configuration (kernel multiplier 3, latent multiplier 1.5, padding 2) scaled down,
    # on a grid with three different even sizes (the stride-2 convolution halves each), two steps.
    "small": dict(cfg=ff.Config3D(dim=16, depth=2, heads=2, dim_head=8, max_latent_steps=3,
                                  fourier_features=8),
                  batch=2, grid=(4, 6, 8), steps=2, seed=4321),
    # kernel_multiplier > 4 (1/sqrt(Dk) scale), one pad cell, three input steps of two fields, two
    # output fields, latent multiplier 2, another domain length and Fourier scale.
    "scaled": dict(cfg=ff.Config3D(in_fields=2, in_steps=3, out_fields=2, dim=16, depth=1, heads=2,
                                   dim_head=4, kernel_multiplier=5, latent_multiplier=2.0,
                                   max_latent_steps=2, padding=1, fourier_scale=2.0,
                                   fourier_features=6, domain_length=3.0),
                   batch=1, grid=(4, 4, 6), steps=2, seed=77),
}


def perturb(model, gen):
    # Default inits make norms the identity and the axis kernels tiny (xavier gain 0.02): give every
    # parameter some spread so that each path of the model moves the output and the gradients.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if not p.requires_grad:
                continue
            if name.endswith("norm.weight") or name.endswith("simple_to_out.1.weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith(".bias") or "latent_time_emb" in name:
                p.copy_(0.2 * torch.randn(p.shape, generator=gen))
            elif "low_rank_kernel" in name:
                p.copy_(torch.randn(p.shape, generator=gen) / np.sqrt(p.shape[1]))


def write_case(path, cfg, model, state32, x32, x, target32, out, loss, steps):
    # the newest file format's compact object headers: most of a small case is per-dataset metadata
    with h5py.File(path, "w", libver="latest") as f:
        for k, v in state32.items():
            f.create_dataset(f"params/{k}", data=v.numpy().astype(np.float32))
        for k, p in model.named_parameters():
            if p.requires_grad:
                f.create_dataset(f"grad/{k}", data=p.grad.numpy().astype(np.float32))
        f["input"] = x32.numpy()
        f["target"] = target32.numpy()
        f["output"] = out.detach().numpy()
        f["loss"] = loss.item()
        f["grad_input"] = x.grad.numpy().astype(np.float32)
        for key, value in vars(cfg).items():
            f.attrs[key] = value
        f.attrs["latent_steps"] = steps
        f.attrs["torch_version"] = str(torch.__version__).encode()
    trainable, frozen = ff.trainable_and_frozen(model)
    print(f"wrote {path} ({path.stat().st_size} bytes): {trainable} trainable + {frozen} frozen "
          f"parameters, output {tuple(out.shape)}, loss {loss.item():.6f}")


def make_case_3d(name, spec):
    torch.manual_seed(spec["seed"])
    gen = torch.Generator().manual_seed(spec["seed"] + 1)
    cfg = spec["cfg"]
    model = ff.FactFormer3D(cfg)
    perturb(model, gen)
    b, (nx, ny, nz), t = spec["batch"], spec["grid"], spec["steps"]
    x32 = torch.randn(b, cfg.in_steps, nx, ny, nz, cfg.in_fields, generator=gen)
    target32 = torch.randn(b, t, nx, ny, nz, cfg.out_fields, generator=gen)
    state32 = {k: v.detach().clone() for k, v in model.state_dict().items()}

    model = model.double()
    x = x32.double().requires_grad_(True)
    out = model(x.permute(0, 5, 1, 2, 3, 4), t)
    loss = ff.rel_l2_loss(out, target32.double())
    loss.backward()
    write_case(OUT / f"factformer3d_{name}.h5", cfg, model, state32, x32, x, target32, out, loss, t)


def make_case(name, spec):
    torch.manual_seed(spec["seed"])
    gen = torch.Generator().manual_seed(spec["seed"] + 1)
    cfg = spec["cfg"]
    model = ff.FactFormer2D(cfg)
    perturb(model, gen)
    b, nx, ny, t = spec["batch"], spec["nx"], spec["ny"], spec["steps"]
    x32 = torch.randn(b, nx, ny, cfg.in_channels, generator=gen)
    target32 = torch.randn(b, t, nx, ny, cfg.out_channels, generator=gen)
    state32 = {k: v.detach().clone() for k, v in model.state_dict().items()}

    model = model.double()
    x = x32.double().requires_grad_(True)
    out = model(x, t)
    loss = ff.rel_l2_loss(out, target32.double())
    loss.backward()

    write_case(OUT / f"factformer2d_{name}.h5", cfg, model, state32, x32, x, target32, out, loss, t)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, spec in CASES.items():
        make_case(name, spec)
    for name, spec in CASES_3D.items():
        make_case_3d(name, spec)


if __name__ == "__main__":
    main()
