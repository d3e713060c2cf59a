#!/usr/bin/python3
"""Golden cases for PortaFormer's PatchTST and Pathformer, computed with PyTorch
(postprocess/timeseries_torch.py, itself checked against the reference repositories' code).

Writes tests/data/ts_<case>.h5, each holding
    /params/<state_dict key>   float32, PyTorch's shape (buffers included)
    /input                     float32 [B, L, C]
    /target                    float32 [B, T, C]
    /output                    float64 [B, T, C]
    /loss                      float64 [] MSE(output, target) (+ the balance loss for Pathformer)
    /aux_loss                  float64 [] Pathformer's balance loss (coefficient applied)
    /grad/<parameter key>      float32, d loss / d parameter (trainable parameters only)
    /grad_input                float32, d loss / d input
    /after/<buffer key>        float32, BatchNorm running statistics after a training forward
    /noise/<layer>             float32 [B, E], Pathformer's gate noise in training cases
and attributes on / with the model, the configuration and the mode (training or eval).
The model runs in float64 from float32 weights and input, so the stored values carry no fp32
rounding of their own. Training cases have dropout 0 (so that they are deterministic) and test
BatchNorm's batch statistics and Pathformer's noisy gating.

Run with Debian's python3-torch:  /usr/bin/python3 tests/golden/make_timeseries_models_golden.py
"""
import pathlib
import sys
from dataclasses import asdict

import h5py
import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "postprocess"))
import timeseries_torch as tt  # noqa: E402

OUT = ROOT / "tests" / "data"
# Weights are rounded to 12 significant bits (see quantize) so that byte shuffling and gzip
# shrink them; gradients are stored exactly.
PACK = dict(compression="gzip", compression_opts=9, shuffle=True)

PATCHTST = {
    # Eval mode, RevIN affine, shared head, BatchNorm with non-trivial running statistics.
    "patchtst_eval": dict(cfg=tt.PatchTSTConfig(seq_len=48, pred_len=12, channels=3, e_layers=2,
                                                n_heads=2, d_model=8, d_ff=16, patch_len=8,
                                                stride=4, affine=True),
                          batch=3, train=False, seed=11),
    # Training mode without dropout: BatchNorm batch statistics, per-channel heads, RevIN centred
    # on the last value, no end padding.
    "patchtst_train": dict(cfg=tt.PatchTSTConfig(seq_len=40, pred_len=10, channels=2, e_layers=3,
                                                 n_heads=4, d_model=8, d_ff=12, patch_len=8,
                                                 stride=8, padding_patch="none", dropout=0.0,
                                                 affine=True, subtract_last=True, individual=True),
                           batch=4, train=True, seed=12),
}

PATHFORMER = {
    # Every expert carries the reference's fixed 16-64-64-100 weight generator (~12k parameters),
    # so each case keeps to two experts of small width to stay a small file.
    # The reference code's behaviour (log-sum-exp combination, raw reshape), eval mode, both
    # experts chosen so that the gates are a real softmax.
    "pathformer_reference_eval": dict(
        cfg=tt.PathformerConfig(seq_len=12, pred_len=4, channels=3, d_model=2, d_ff=4, k=2,
                                patch_size_list=[[2, 4]],
                                combine="reference", inter_layout="reference"),
        batch=5, train=False, seed=21),
    # The paper's behaviour, eval mode, no residual connection.
    "pathformer_paper_eval": dict(
        cfg=tt.PathformerConfig(seq_len=12, pred_len=3, channels=2, d_model=4, d_ff=4, k=2,
                                patch_size_list=[[3, 2]], residual_connection=False),
        batch=4, train=False, seed=22),
    # Training mode without dropout: noisy gating with the Shazeer load estimate (k < E),
    # BatchNorm in the experts, the reference's switches.
    "pathformer_reference_train": dict(
        cfg=tt.PathformerConfig(seq_len=12, pred_len=4, channels=3, d_model=2, d_ff=4, k=1,
                                patch_size_list=[[2, 6]], batch_norm=True,
                                dropout=0.0, ffn_dropout=0.0,
                                combine="reference", inter_layout="reference"),
        batch=6, train=True, seed=23),
    # Training mode, paper behaviour, two layers of one expert each (losses summed over layers).
    "pathformer_paper_train": dict(
        cfg=tt.PathformerConfig(seq_len=12, pred_len=4, channels=2, d_model=2, d_ff=4, k=1,
                                patch_size_list=[[3], [4]], dropout=0.0, ffn_dropout=0.0),
        batch=6, train=True, seed=24),
}


def perturb(model, gen):
    # Defaults leave RevIN's affine and BatchNorm at the identity: spread them so that every path
    # of the model moves the output and the gradients.
    with torch.no_grad():
        for name, t in model.state_dict(keep_vars=True).items():
            if name.endswith("affine_weight") or (".1.weight" in name and "norm" in name):
                t.copy_(1 + 0.2 * torch.randn(t.shape, generator=gen))
            elif name.endswith("affine_bias") or (".1.bias" in name and "norm" in name):
                t.copy_(0.2 * torch.randn(t.shape, generator=gen))
            elif name.endswith("running_mean"):
                t.copy_(0.3 * torch.randn(t.shape, generator=gen))
            elif name.endswith("running_var"):
                t.copy_(0.5 + torch.rand(t.shape, generator=gen))


def pack(t):
    # Filters cost a chunk index per dataset: only worth it for the large ones.
    return PACK if t.numel() >= 2048 else {}


def quantize(model):
    with torch.no_grad():
        for t in model.state_dict(keep_vars=True).values():
            if t.is_floating_point():
                m, e = np.frexp(t.detach().numpy().reshape(-1))
                t.copy_(torch.from_numpy(np.ldexp(np.round(m * 4096) / 4096, e)).view(t.shape))


def write_case(name, model, cfg, spec, x32, target32, out, loss, aux, x, noise, state32):
    path = OUT / f"ts_{name}.h5"
    with h5py.File(path, "w", libver="latest") as f:
        for k, v in state32.items():
            f.create_dataset(f"params/{k}", data=v.numpy().astype(np.float32), **pack(v))
        for k, p in model.named_parameters():
            if p.requires_grad:
                grad = p.grad if p.grad is not None else torch.zeros_like(p)
                f.create_dataset(f"grad/{k}", data=grad.numpy().astype(np.float32), **pack(grad))
        if spec["train"]:
            for k, v in model.state_dict().items():
                if "running" in k:
                    f.create_dataset(f"after/{k}", data=v.numpy().astype(np.float32))
        for i, n in enumerate(noise or []):
            f.create_dataset(f"noise/{i}", data=n.numpy().astype(np.float32))
        f["input"] = x32.numpy()
        f["target"] = target32.numpy()
        f["output"] = out.detach().numpy()
        f["loss"] = loss.item()
        f["aux_loss"] = float(aux)
        f["grad_input"] = x.grad.numpy().astype(np.float32)
        f.attrs["model"] = name.split("_")[0]
        f.attrs["training"] = int(spec["train"])
        for key, value in asdict(cfg).items():
            if key == "patch_size_list":
                f.attrs["num_experts_list"] = [len(v) for v in value]
                f.attrs[key] = [p for layer in value for p in layer]
            elif isinstance(value, bool):
                f.attrs[key] = int(value)
            else:
                f.attrs[key] = value
        f.attrs["torch_version"] = str(torch.__version__)
    trainable = tt.parameter_count(model)
    print(f"wrote {path} ({path.stat().st_size} bytes): {trainable} trainable parameters, "
          f"output {tuple(out.shape)}, loss {loss.item():.6f}, aux {float(aux):.6f}")


def make_case(name, spec):
    torch.manual_seed(spec["seed"])
    gen = torch.Generator().manual_seed(spec["seed"] + 1)
    cfg = spec["cfg"]
    is_pathformer = name.startswith("pathformer")
    model = tt.Pathformer(cfg) if is_pathformer else tt.PatchTST(cfg)
    perturb(model, gen)
    quantize(model)
    b = spec["batch"]
    x32 = torch.randn(b, cfg.seq_len, cfg.channels, generator=gen)
    # A slow seasonal component so that the router's Fourier selection is not a near tie.
    t = torch.arange(cfg.seq_len, dtype=torch.float32).view(1, -1, 1)
    x32 = x32 + 2 * torch.sin(2 * np.pi * t / 8 + torch.rand(b, 1, cfg.channels, generator=gen) * 6)
    target32 = torch.randn(b, cfg.pred_len, cfg.channels, generator=gen)
    noise = None
    if is_pathformer and spec["train"]:
        noise = [torch.randn(b, len(ps), generator=gen) for ps in cfg.patch_size_list]
    state32 = {k: v.detach().clone() for k, v in model.state_dict().items()}

    model = model.double()
    model.train(spec["train"])
    x = x32.double().requires_grad_(True)
    if is_pathformer:
        out, aux = model(x, None if noise is None else [n.double() for n in noise])
        loss = torch.mean((out - target32.double()) ** 2) + aux
    else:
        out, aux = model(x), 0.0
        loss = torch.mean((out - target32.double()) ** 2)
    loss.backward()
    write_case(name, model, cfg, spec, x32, target32, out, loss, aux, x, noise, state32)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, spec in {**PATCHTST, **PATHFORMER}.items():
        make_case(name, spec)


if __name__ == "__main__":
    main()
