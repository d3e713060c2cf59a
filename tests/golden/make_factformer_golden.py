#!/usr/bin/python3
"""Golden cases for PortaFormer's FactFormer-2D, computed with PyTorch (postprocess/factformer_torch.py).

Writes tests/data/factformer2d_<case>.h5, each holding
    /params/<state_dict key>   float32, PyTorch's shape (buffers included)
    /input                     float32 [B, X, Y, in_channels]
    /target                    float32 [B, T, X, Y, out_channels]
    /output                    float64 [B, T, X, Y, out_channels]
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

    path = OUT / f"factformer2d_{name}.h5"
    with h5py.File(path, "w") as f:
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
        f.attrs["latent_steps"] = t
        f.attrs["torch_version"] = str(torch.__version__).encode()
    trainable, frozen = ff.trainable_and_frozen(model)
    print(f"wrote {path} ({path.stat().st_size} bytes): {trainable} trainable + {frozen} frozen "
          f"parameters, output {tuple(out.shape)}, loss {loss.item():.6f}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, spec in CASES.items():
        make_case(name, spec)


if __name__ == "__main__":
    main()
