#!/usr/bin/python3
"""ComFormer, ours against PyTorch, side by side: structures per second for inference and one
training step (batch 64, fp32, reference sizes, k = 12) of iComFormer and eComFormer, plus
graph construction per structure. Both sides see the same 64 synthetic ionic crystals: pf_bench
writes them (PF_COMFORMER_STRUCTURES) and bench/torch_comformer.py reads them.

usage: /usr/bin/python3 bench/comformer_side_by_side.py [--pf-bench build/bench/pf_bench]
                                                        [--threads 2] [--json out.json]
Ours with OPENBLAS_NUM_THREADS=<threads> (Debian's Kokkos is Serial: our kernels use one core,
GEMMs every BLAS thread); PyTorch with torch.set_num_threads(<threads>). Wall and CPU seconds
(process, all threads) per batch are both printed, with the load average before and after:
on a shared machine compare CPU seconds as well as wall time.
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def ours(exe, threads, structures, min_time):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), PF_COMFORMER_STRUCTURES=structures)
    out = subprocess.run([exe, "--benchmark_filter=^comformer/", "--benchmark_format=json",
                          f"--benchmark_min_time={min_time}"], env=env, check=True,
                         capture_output=True, text=True).stdout
    rows = {}
    for b in json.loads(out)["benchmarks"]:
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        rows[re.sub(r"/(min_time|process_time|real_time).*", "", b["name"])] = {
            "seconds": b["real_time"] * scale, "cpu_seconds": b["cpu_time"] * scale,
            "structures_per_s": b["structures/s"], "edges": b.get("edges")}
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pf-bench", default=str(HERE.parent / "build" / "bench" / "pf_bench"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--min-time", type=float, default=3.0)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    before = load()
    print(f"load average before: {before}; threads: {args.threads}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(pathlib.Path(tmp) / "structures.h5")
        a = ours(args.pf_bench, args.threads, path, args.min_time)
        print(f"load average after ours: {load()}", flush=True)
        t = json.loads(subprocess.run(
            [sys.executable, str(HERE / "torch_comformer.py"), path, "--threads",
             str(args.threads), "--min-time", str(args.min_time)],
            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    after = load()
    print(f"batch {t['structures']}: {t['atoms']} atoms, {t['edges']} edges (torch graph), "
          f"{int(a['comformer/icomformer/inference']['edges'])} edges (ours)")
    print(f"{'case':24s} {'ours s':>8s} {'cpu s':>7s} {'torch s':>8s} {'cpu s':>7s} "
          f"{'ours st/s':>9s} {'torch st/s':>10s} {'speed-up':>8s} {'cpu ratio':>9s}")
    rows = []
    for model in ["icomformer", "ecomformer"]:
        for mode in ["inference", "train_step"]:
            o, p = a[f"comformer/{model}/{mode}"], t[f"{model}/{mode}"]
            rows.append({"case": f"{model}/{mode}", "ours": o, "torch": p})
            print(f"{model + '/' + mode:24s} {o['seconds']:8.3f} {o['cpu_seconds']:7.3f} "
                  f"{p['seconds']:8.3f} {p['cpu_seconds']:7.3f} {o['structures_per_s']:9.1f} "
                  f"{p['structures_per_s']:10.1f} {p['seconds'] / o['seconds']:8.2f} "
                  f"{p['cpu_seconds'] / o['cpu_seconds']:9.2f}")
    gb = a["comformer/graph/build"]
    print(f"graph construction: ours {1e6 * gb['seconds'] / t['structures']:.0f} µs/structure "
          f"(graph + batch upload), torch reference script "
          f"{1e6 * t['graph']['seconds_per_structure']:.0f} µs/structure (brute force)")
    print(f"load average after: {after}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(
            {"load_before": before, "load_after": after, "rows": rows, "ours": a, "torch": t},
            indent=1) + "\n")


if __name__ == "__main__":
    main()
