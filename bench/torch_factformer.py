#!/usr/bin/python3
"""FactFormer-2D and -3D in PyTorch (postprocess/factformer_torch.py, the reference's computation)
timed like bench/bench_factformer.cpp: batch 1, fp32, one latent step, forward (no_grad) and
forward + backward of the mean output; 2D in the Kolmogorov configuration at 128² and 256², 3D in
the smoke configuration at 32³ and 64³ (input [1, 4 fields, 4 frames, n, n, n]).

Each case runs in its own subprocess, so its peak RSS (ru_maxrss) belongs to that case alone;
`base_rss_MB` is the same process's RSS after building the model and input, before the first run.

usage: /usr/bin/python3 bench/torch_factformer.py [--model 2d|3d] [--threads 2] [--sizes 128 256]
                                                  [--modes forward forward_backward] [--json out.json]
Needs Debian's python3-torch.
"""
import argparse
import json
import pathlib
import resource
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return float(line.split()[1]) / 1024
    return 0.0


def run_case(model_kind, mode, n, threads, min_time):
    import torch
    sys.path.insert(0, str(ROOT / "postprocess"))
    import factformer_torch as ff

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if model_kind == "3d":
        model = ff.FactFormer3D(ff.Config3D())
        x = torch.randn(1, 4, 4, n, n, n)
    else:
        model = ff.FactFormer2D(ff.Config())
        x = torch.randn(1, n, n, 10)
    base = rss_mb()

    def step():
        if mode == "forward":
            with torch.no_grad():
                model(x, 1)
        else:
            model.zero_grad(set_to_none=True)
            model(x, 1).mean().backward()

    step()  # warm-up (allocator, lazy initialisation)
    times, start = [], time.perf_counter()
    while True:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start >= min_time and len(times) >= 2:
            break
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"model": model_kind, "mode": mode, "n": n, "threads": threads, "seconds": sorted(times)[len(times) // 2],
            "best_seconds": min(times), "runs": len(times), "peak_rss_MB": peak,
            "base_rss_MB": base}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=["2d", "3d"], default="2d")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="+", help="default: 128 256 (2D), 32 64 (3D)")
    ap.add_argument("--modes", nargs="+", default=["forward", "forward_backward"])
    ap.add_argument("--min-time", type=float, default=5.0)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--case", nargs=2, metavar=("MODE", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:  # child process: one case, JSON on stdout
        print(json.dumps(run_case(args.model, args.case[0], int(args.case[1]), args.threads,
                                  args.min_time)))
        return
    sizes = args.sizes or ([32, 64] if args.model == "3d" else [128, 256])
    power = "³" if args.model == "3d" else "²"
    results = []
    for n in sizes:
        for mode in args.modes:
            out = subprocess.run([sys.executable, __file__, "--model", args.model, "--case", mode,
                                  str(n), "--threads", str(args.threads), "--min-time",
                                  str(args.min_time)],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            results.append(r)
            print(f"torch {args.model} {mode:17s} {n}{power}: {r['seconds']:.3f} s (median of {r['runs']}), peak RSS "
                  f"{r['peak_rss_MB']:.0f} MB (model and input: {r['base_rss_MB']:.0f} MB)", flush=True)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
