#!/usr/bin/python3
"""PatchTST and Pathformer in PyTorch (postprocess/timeseries_torch.py, checked against the
reference repositories' code) timed like bench/bench_timeseries_models.cpp, and side by side with
it: one training step (forward, MSE + auxiliary loss, backward, Adam) at batch 32, and eval-mode
inference (no_grad) at batch 32 and 1, for L in {336, 96}, T = 96, C in {7, 21} (C = 7: the
references' ETTh1 configurations, C = 21: their Weather ones; Pathformer at L = 336 uses patch 24
instead of 32, which does not divide 336).

usage: /usr/bin/python3 bench/torch_timeseries_models.py [--threads 2] [--pf-bench build/bench/pf_bench]
           [--models patchtst pathformer] [--lookbacks 336 96] [--channels 7 21] [--min-time 2]
           [--json out.json]
Ours runs with OPENBLAS_NUM_THREADS=<threads> (Debian's Kokkos is Serial: our kernels use one
core, GEMMs every BLAS thread); PyTorch with torch.set_num_threads(<threads>). Each case runs
ours then PyTorch back to back, and the load average is printed: wall times from a machine that
other jobs share are only comparable within a row. Process CPU time per call is printed too; at
--threads 1 it measures the work itself and is the fairer comparison on a loaded machine.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODEL_ID = {"patchtst": 0, "pathformer": 1}


def build(tt, name, L, C):
    if name == "patchtst":
        cfg = tt.PatchTSTConfig(seq_len=L, pred_len=96, channels=C)
        if C == 21:
            cfg.d_model, cfg.n_heads, cfg.d_ff, cfg.dropout = 128, 16, 256, 0.2
        return tt.PatchTST(cfg)
    cfg = tt.PathformerConfig(seq_len=L, pred_len=96, channels=C)
    if C == 21:
        cfg.d_model, cfg.k = 8, 2
        cfg.patch_size_list = [[16, 12, 8, 4], [12, 8, 6, 4], [8, 6, 2, 12]]
    elif L % 32:
        cfg.patch_size_list = [[16, 12, 8, 24], [12, 8, 6, 4], [8, 6, 4, 2]]
    return tt.Pathformer(cfg)


def timed(fn, min_time):
    """(wall, process CPU) seconds per call, after one warm-up call."""
    fn()
    n, start, cpu = 0, time.perf_counter(), time.process_time()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return [elapsed / n, (time.process_time() - cpu) / n]


def torch_case(name, L, C, threads, min_time):
    import torch
    sys.path.insert(0, str(ROOT / "postprocess"))
    import timeseries_torch as tt
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = build(tt, name, L, C)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x, y = torch.randn(32, L, C), torch.randn(32, 96, C)

    def step():
        opt.zero_grad()
        out = model(x)
        if isinstance(out, tuple):
            loss = torch.mean((out[0] - y) ** 2) + out[1]
        else:
            loss = torch.mean((out - y) ** 2)
        loss.backward()
        opt.step()

    model.train()
    res = {"train_step": timed(step, min_time)}
    model.eval()
    for b in (32, 1):
        xb = x[:b].contiguous()
        with torch.no_grad():
            res[f"inference_b{b}"] = timed(lambda: model(xb), min_time)
    return res


def ours_case(exe, name, L, C, threads, min_time):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    m = MODEL_ID[name]
    filt = f"^tsmodels/(train_step/model:{m}/L:{L}/C:{C}/|inference/model:{m}/L:{L}/C:{C}/B:)"
    out = subprocess.run([exe, f"--benchmark_filter={filt}", "--benchmark_format=json",
                          f"--benchmark_min_time={min_time}"], env=env, check=True,
                         capture_output=True, text=True).stdout
    res = {}
    for b in json.loads(out)["benchmarks"]:
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        key = "train_step" if "train_step" in b["name"] else "inference_b" + b["name"].split("B:")[1].split("/")[0]
        res[key] = [b["real_time"] * scale, b["cpu_time"] * scale]
    return res


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--pf-bench", default=str(ROOT / "build" / "bench" / "pf_bench"))
    ap.add_argument("--models", nargs="+", default=["patchtst", "pathformer"])
    ap.add_argument("--lookbacks", type=int, nargs="+", default=[336, 96])
    ap.add_argument("--channels", type=int, nargs="+", default=[7, 21])
    ap.add_argument("--min-time", type=float, default=2.0)
    ap.add_argument("--case", nargs=3, help=argparse.SUPPRESS)  # internal: one PyTorch case
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.case:
        name, L, C = args.case[0], int(args.case[1]), int(args.case[2])
        print(json.dumps(torch_case(name, L, C, args.threads, args.min_time)))
        return
    print(f"threads {args.threads}; load average before: {load()}")
    print(f"{'case':28s} {'metric':14s} {'ours ms':>9s} {'torch ms':>9s} {'ours win/s':>10s} "
          f"{'torch win/s':>11s} {'speed-up':>8s} {'ours cpu':>9s} {'torch cpu':>9s} "
          f"{'cpu ratio':>9s}  load")
    rows = []
    for name in args.models:
        for L in args.lookbacks:
            for C in args.channels:
                ours = ours_case(args.pf_bench, name, L, C, args.threads, args.min_time)
                out = subprocess.run([sys.executable, __file__, "--case", name, str(L), str(C),
                                      "--threads", str(args.threads), "--min-time",
                                      str(args.min_time)], check=True, capture_output=True,
                                     text=True).stdout
                theirs = json.loads(out.strip().splitlines()[-1])
                ld = load()
                for metric in ["train_step", "inference_b32", "inference_b1"]:
                    b = 1 if metric == "inference_b1" else 32
                    (a, ac), (t, tc) = ours[metric], theirs[metric]
                    rows.append({"model": name, "L": L, "C": C, "metric": metric, "ours_s": a,
                                 "torch_s": t, "ours_cpu_s": ac, "torch_cpu_s": tc, "load": ld})
                    print(f"{name + f' L={L} T=96 C={C}':28s} {metric:14s} {a * 1e3:9.2f} "
                          f"{t * 1e3:9.2f} {b / a:10.1f} {b / t:11.1f} {t / a:8.2f} "
                          f"{ac * 1e3:9.2f} {tc * 1e3:9.2f} {tc / ac:9.2f}  {ld}", flush=True)
    print(f"load average after: {load()}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
