#!/usr/bin/python3
"""ComFormer in PyTorch (postprocess/comformer_torch.py) timed like bench/bench_comformer.cpp: the
same 64 structures (written by pf_bench with PF_COMFORMER_STRUCTURES=<file>), batch 64, fp32,
reference sizes, k = 12.
  inference:  eval mode under no_grad.
  train_step: train mode, zero_grad, MSE against fixed targets, backward, one Adam step (lr 1e-3).
  graph:      comformer_torch.periodic_graph per structure (a brute-force Python construction
              written for checking, not for speed: reported for completeness only).
Prints one JSON object: seconds per batch (median of the timed runs), CPU seconds per batch
(process, all threads), structures/s, atoms and edges.

usage: /usr/bin/python3 bench/torch_comformer.py structures.h5 [--threads 2] [--min-time 3]
Needs Debian's python3-torch and python3-h5py.
"""
import argparse
import json
import pathlib
import statistics
import sys
import time

import h5py
import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "postprocess"))
import comformer_torch as cf  # noqa: E402


def load_structures(path):
    with h5py.File(path, "r") as f:
        lattice, frac = f["lattice"][...], f["frac"][...]
        species, off = f["species"][...], f["atom_offsets"][...]
    return [dict(lattice=lattice[g], frac=frac[off[g]:off[g + 1]],
                 species=species[off[g]:off[g + 1]].tolist()) for g in range(len(lattice))]


def timed(fn, min_time):
    fn()  # warm-up
    wall, cpu = [], []
    start = time.perf_counter()
    while not wall or time.perf_counter() - start < min_time:
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), len(wall)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("structures")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--min-time", type=float, default=3.0)
    ap.add_argument("--k", type=int, default=12)
    ap.add_argument("--models", nargs="+", default=["icomformer", "ecomformer"])
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    crystals = load_structures(args.structures)
    G = len(crystals)

    t0 = time.perf_counter()
    graphs = [cf.periodic_graph(c["lattice"], c["frac"], k=args.k) for c in crystals]
    graph_s = time.perf_counter() - t0
    g = cf.batch(graphs, [c["species"] for c in crystals])
    g["displacement"] = g["displacement"].float()
    g["lattice"] = g["lattice"].float()
    result = {"threads": args.threads, "structures": G, "atoms": int(g["species"].shape[0]),
              "edges": int(g["src"].shape[0]),
              "graph": {"seconds_per_structure": graph_s / G}}

    torch.manual_seed(0)
    target = -2 * torch.rand(G, 1)
    for name in args.models:
        model = cf.iComformer() if name == "icomformer" else cf.eComformer(cf.Config(conv_layers=3))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)

        def inference():
            model.eval()
            with torch.no_grad():
                model(g)

        def train_step():
            model.train()
            opt.zero_grad()
            torch.nn.functional.mse_loss(model(g), target).backward()
            opt.step()

        for mode, fn in [("inference", inference), ("train_step", train_step)]:
            wall, cpu, runs = timed(fn, args.min_time)
            result[f"{name}/{mode}"] = {"seconds": wall, "cpu_seconds": cpu, "runs": runs,
                                        "structures_per_s": G / wall}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
