#!/usr/bin/python3
"""Golden cases for PortaFormer's ComFormer, computed with PyTorch (postprocess/comformer_torch.py).

Writes tests/data/comformer_<case>.h5, each holding
    /structures/<g>/lattice [3,3], frac [n,3], species [n]   the input crystals
    /graph/src, dst [E] int64, displacement [E,3], lattice [G,3,3], node_offsets, edge_offsets
                                                   the periodic graph built here, independently
    /params/<state_dict key>   float32, PyTorch's shapes (buffers included)
    /target [G, out]           float64
    /output [G, out]           float64, training mode (batch statistics)
    /loss                      float64 [], MSE of output against target
    /grad/<parameter key>      float64, d loss / d parameter (every trainable parameter)
    /output_eval [G, out]      float64, eval mode with the running statistics the training
                               forward left behind
and attributes on / with the configuration. The model runs in float64 from the float32 weights, so the stored values carry no fp32 rounding: fp64 C++ runs compare tightly, fp32 runs
against (nearly) exact values.

Run with Debian's python3-torch:  /usr/bin/python3 tests/golden/make_comformer_golden.py
"""
import pathlib
import sys

import h5py
import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "postprocess"))
import comformer_torch as cf  # noqa: E402

OUT = ROOT / "tests" / "data"


def structures():
    # A triclinic cell with three atoms of two species, and conventional fcc Cu (equal lengths,
    # right angles, ties in the neighbour shells and the lattice triple).
    tri = dict(lattice=[[4.1, 0.0, 0.0], [0.9, 3.7, 0.0], [-0.6, 1.1, 5.3]],
               frac=[[0.05, 0.10, 0.20], [0.43, 0.61, 0.37], [0.81, 0.29, 0.74]],
               species=[8, 22, 8])
    fcc = dict(lattice=[[3.6, 0, 0], [0, 3.6, 0], [0, 0, 3.6]],
               frac=[[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]],
               species=[29, 29, 29, 29])
    # A one-atom hexagonal cell: every edge a self-image, ties among ±a, ±b, ±(a+b) in the
    # lattice triple, 120° between a and b.
    h = 2.5 * np.sqrt(3) / 2
    hexa = dict(lattice=[[2.5, 0, 0], [-1.25, h, 0], [0, 0, 4.1]], frac=[[0, 0, 0]], species=[12])
    return [tri, fcc, hexa]


CASES = {
    "icomformer_small": dict(
        model="iComformer",
        cfg=cf.Config(num_species=30, atom_input_features=6, node_features=8, edge_features=12,
                      triplet_input_features=10, fc_features=6, output_features=2,
                      conv_layers=2),
        k=12, seed=7),
    "ecomformer_small": dict(
        model="eComformer",
        cfg=cf.Config(num_species=30, atom_input_features=6, node_features=8, edge_features=12,
                      triplet_input_features=10, fc_features=6, output_features=2,
                      conv_layers=2),
        equi=dict(ns=6, nv=2), k=12, seed=11),
}


def perturb(model, gen):
    # Default inits leave batch norms as the identity: give every parameter some spread so each
    # path of the model moves the output and the gradients.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bn.weight") or name.endswith("bn_att.weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith("bias"):
                p.copy_(0.2 * torch.randn(p.shape, generator=gen))


def make_case(name, spec):
    torch.manual_seed(spec["seed"])
    gen = torch.Generator().manual_seed(spec["seed"] + 1)
    cfg = spec["cfg"]
    if spec["model"] == "iComformer":
        model = cf.iComformer(cfg)
    else:
        model = cf.eComformer(cfg, **spec["equi"])
    perturb(model, gen)
    state32 = {k: v.detach().clone().float() for k, v in model.state_dict().items()}
    model = model.double()
    model.load_state_dict({k: v.double() for k, v in state32.items()})

    crystals = structures()
    graphs = [cf.periodic_graph(c["lattice"], c["frac"], k=spec["k"]) for c in crystals]
    g = cf.batch(graphs, [c["species"] for c in crystals])
    G = g["num_graphs"]
    target = torch.randn(G, cfg.output_features, generator=gen).double()

    model.train()
    out = model(g)
    loss = torch.nn.functional.mse_loss(out, target)
    loss.backward()
    model.eval()
    with torch.no_grad():
        out_eval = model(g)

    path = OUT / f"comformer_{name}.h5"
    with h5py.File(path, "w", libver="latest") as f:
        for gi, c in enumerate(crystals):
            f[f"structures/{gi}/lattice"] = np.array(c["lattice"], float)
            f[f"structures/{gi}/frac"] = np.array(c["frac"], float)
            f[f"structures/{gi}/species"] = np.array(c["species"], np.int64)
        f["graph/src"] = g["src"].numpy().astype(np.int64)
        f["graph/dst"] = g["dst"].numpy().astype(np.int64)
        f["graph/displacement"] = g["displacement"].numpy()
        f["graph/lattice"] = g["lattice"].numpy()
        f["graph/edge_count"] = np.array([len(s) for s, _, _, _ in graphs], np.int64)
        for k, v in state32.items():
            f[f"params/{k}"] = v.numpy().astype(np.float32)
        for k, p in model.named_parameters():
            f[f"grad/{k}"] = (p.grad if p.grad is not None else torch.zeros_like(p)).numpy()
        f["target"] = target.numpy()
        f["output"] = out.detach().numpy()
        f["loss"] = loss.item()
        f["output_eval"] = out_eval.numpy()
        for key, value in vars(cfg).items():
            f.attrs[key] = value
        f.attrs["model"] = spec["model"]
        for key, value in spec.get("equi", {}).items():
            f.attrs["equi_" + {"ns": "scalars", "nv": "vectors"}[key]] = value
        f.attrs["max_neighbors"] = spec["k"]
        f.attrs["torch_version"] = str(torch.__version__)
    print(f"wrote {path} ({path.stat().st_size} bytes): {g['src'].shape[0]} edges, "
          f"output {tuple(out.shape)}, loss {loss.item():.6f}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, spec in CASES.items():
        make_case(name, spec)


if __name__ == "__main__":
    main()
