#!/usr/bin/python3
"""The time-series forecasters in PyTorch, timed like bench/bench_timeseries.cpp: training step
(forward, MSE, backward, Adam) on 32 windows -> windows per second, and the forward latency of
one window without a graph, at L=336/T=96 and L=96/T=96 with 7 and 21 channels.

Linear, NLinear and DLinear are the modules of tests/golden/make_timeseries_golden.py (written
after cure-lab/LTSF-Linear; shared heads: one nn.Linear on the permuted input, as there).
Further models plug in through MODELS (name -> constructor(seq_len, pred_len, channels)).

usage: /usr/bin/python3 bench/torch_timeseries.py [--threads 1] [--models linear dlinear]
                                                  [--min-time 0.5] [--json out.json]
Needs Debian's python3-torch.
"""
import argparse
import json
import pathlib
import sys
import time

import torch

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "golden"))
import make_timeseries_golden as ltsf  # noqa: E402

MODELS = {
    "linear": lambda L, T, C: ltsf.Model("linear", L, T, C, False, 25),
    "nlinear": lambda L, T, C: ltsf.Model("nlinear", L, T, C, False, 25),
    "dlinear": lambda L, T, C: ltsf.Model("dlinear", L, T, C, False, 25),
}
CASES = [(L, T, C) for L, T in ((336, 96), (96, 96)) for C in (7, 21)]
TRAIN_BATCH = 32


def median_time(fn, min_time):
    """Median wall and CPU (process) seconds per call; on a shared machine the CPU time is the
    steadier measure (Google Benchmark reports both for our side)."""
    fn()  # warm-up
    wall, cpu, start = [], [], time.perf_counter()
    while time.perf_counter() - start < min_time or len(wall) < 5:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return sorted(wall)[len(wall) // 2], sorted(cpu)[len(cpu) // 2]


def bench(name, L, T, C, min_time):
    torch.manual_seed(0)
    model = MODELS[name](L, T, C)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x, y = torch.randn(TRAIN_BATCH, L, C), torch.randn(TRAIN_BATCH, T, C)
    x1 = torch.randn(1, L, C)

    def train_step():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.mse_loss(model(x), y).backward()
        opt.step()

    def infer():
        with torch.no_grad():
            model(x1)

    model.train()
    step, step_cpu = median_time(train_step, min_time)
    model.eval()
    latency, latency_cpu = median_time(infer, min_time)
    return {"model": name, "seq_len": L, "pred_len": T, "channels": C,
            "train_step_us": step * 1e6, "train_step_cpu_us": step_cpu * 1e6,
            "windows_per_second": TRAIN_BATCH / step, "windows_per_cpu_second": TRAIN_BATCH / step_cpu,
            "inference_us": latency * 1e6, "inference_cpu_us": latency_cpu * 1e6}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--min-time", type=float, default=0.5)
    parser.add_argument("--json", type=pathlib.Path)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows = []
    print(f"{'case':28s} {'step us':>9s} {'(cpu)':>9s} {'windows/s':>10s} {'(cpu)':>9s} {'infer us':>9s} {'(cpu)':>8s}")
    for name in args.models:
        for L, T, C in CASES:
            r = bench(name, L, T, C, args.min_time)
            r["threads"] = args.threads
            rows.append(r)
            print(f"{name + f'/L{L}_T{T}_C{C}':28s} {r['train_step_us']:9.1f} {r['train_step_cpu_us']:9.1f} "
                  f"{r['windows_per_second']:10.0f} {r['windows_per_cpu_second']:9.0f} "
                  f"{r['inference_us']:9.1f} {r['inference_cpu_us']:8.1f}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
