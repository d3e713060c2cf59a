#!/usr/bin/python3
"""FactFormer, ours against PyTorch, side by side: forward and forward + backward (batch 1, fp32,
one latent step), FactFormer-2D (Kolmogorov configuration) at 128² and 256² and FactFormer-3D
(smoke configuration) at 32³ and 64³, each case in its own process on both sides so that every
peak RSS belongs to one case.

usage: /usr/bin/python3 bench/factformer_side_by_side.py [--pf-bench build/bench/pf_bench]
                                                         [--threads 2] [--models 2d 3d]
                                                         [--sizes2d 128 256] [--sizes3d 32 64]
Ours: pf_bench's factformer{2,3}d/* benchmarks with OPENBLAS_NUM_THREADS=<threads> (Debian's Kokkos
is Serial: our kernels use one core, GEMMs every BLAS thread); PyTorch:
bench/torch_factformer.py with torch.set_num_threads(<threads>). The load average is printed
before and after: timings from a machine other jobs share are not comparable.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def load():
    return open("/proc/loadavg").read().split()[:3]


def ours(exe, model, mode, n, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run([exe, f"--benchmark_filter=^factformer{model}/{mode}/{n}/",
                          "--benchmark_format=json"], env=env, check=True, capture_output=True,
                         text=True).stdout
    b = json.loads(out)["benchmarks"][0]
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    return {"seconds": b["real_time"] * scale, "peak_rss_MB": b["peak_rss_MB"]}


def torch_case(model, mode, n, threads):
    out = subprocess.run([sys.executable, str(HERE / "torch_factformer.py"), "--model", model,
                          "--case", mode, str(n), "--threads", str(threads)], check=True,
                         capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pf-bench", default=str(HERE.parent / "build" / "bench" / "pf_bench"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--models", nargs="+", choices=["2d", "3d"], default=["2d", "3d"])
    ap.add_argument("--sizes2d", type=int, nargs="+", default=[128, 256])
    ap.add_argument("--sizes3d", type=int, nargs="+", default=[32, 64])
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    print(f"load average before: {' '.join(load())}; threads: {args.threads}", flush=True)
    rows = []
    print(f"{'case':26s} {'ours s':>8s} {'torch s':>8s} {'speed-up':>8s} {'ours MB':>8s} {'torch MB':>9s}")
    for model in args.models:
        for n in (args.sizes3d if model == "3d" else args.sizes2d):
            for mode in ["forward", "forward_backward"]:
                a = ours(args.pf_bench, model, mode, n, args.threads)
                t = torch_case(model, mode, n, args.threads)
                case = f"{model}/{mode}/{n}"
                rows.append({"case": case, "ours": a, "torch": t})
                print(f"{case:26s} {a['seconds']:8.3f} {t['seconds']:8.3f} "
                      f"{t['seconds'] / a['seconds']:8.2f} {a['peak_rss_MB']:8.0f} "
                      f"{t['peak_rss_MB']:9.0f}", flush=True)
    print(f"load average after: {' '.join(load())}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
