#!/usr/bin/env python3
"""Summarise a pf_bench JSON result: GEMM wrapper/raw ratios, op GB/s against STREAM, Adam.

Usage:
  ./build/bench/pf_bench --benchmark_out=pf_bench.json --benchmark_out_format=json
  python3 bench/summarize.py pf_bench.json
GB/s here are 1e9 bytes/s (Google Benchmark's console shows bytes_per_second with a k=1024 'G').
"""
import json
import re
import sys

UNIT_TO_S = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def key(run_name):
    # "ops/gelu/16M/fwd/min_time:0.400/real_time" -> "ops/gelu/16M/fwd"
    return re.sub(r"/(min_time|repeats|real_time|iterations)[^/]*", "", run_name)


def main(path):
    runs, best = {}, {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("error_occurred"):
            print(f"ERROR {b['name']}: {b.get('error_message')}")
            continue
        b["seconds"] = b["real_time"] * UNIT_TO_S[b["time_unit"]]
        if b["run_type"] == "aggregate":
            if b["aggregate_name"] == "min":  # best of the repetitions (GEMM)
                best[key(b["run_name"])] = b
            if b["aggregate_name"] != "median":
                continue
        runs[key(b["run_name"])] = b

    print("GEMM: wrapper pf::kern::gemm<float> vs raw cblas_sgemm (median of 3; ratio of medians,"
          " and of the best runs)")
    print(f"  {'shape':34s} {'wrapper GF/s':>12s} {'raw GF/s':>10s} {'wrapper/raw':>11s} {'best/best':>9s}")
    ok = True
    for k, w in runs.items():
        if not k.startswith("gemm/wrapper/"):
            continue
        r = runs.get(k.replace("/wrapper/", "/raw_cblas/"))
        if r is None:
            continue
        ratio = w["GFLOPS"] / r["GFLOPS"]
        rk = k.replace("/wrapper/", "/raw_cblas/")
        best_ratio = (best[rk]["seconds"] / best[k]["seconds"]) if k in best and rk in best else ratio
        ok &= max(ratio, best_ratio) >= 0.9
        print(f"  {k[len('gemm/wrapper/'):]:34s} {w['GFLOPS']:12.1f} {r['GFLOPS']:10.1f} {ratio:11.3f}"
              f" {best_ratio:9.3f}")
    print(f"  wrapper within 10% of raw everywhere: {'yes' if ok else 'NO'}")

    stream = {k: runs[k]["bytes_per_second"] / 1e9 for k in runs if k.startswith("stream/")}
    triad = stream.get("stream/triad/64M")
    print("\nSTREAM reference (1 core for Kokkos Serial):")
    for k, v in stream.items():
        print(f"  {k:34s} {v:8.2f} GB/s")

    print("\nOps: minimal-traffic GB/s and fraction of STREAM triad")
    print(f"  {'benchmark':36s} {'time ms':>9s} {'GB/s':>7s} {'/triad':>7s}  note")
    for k, b in runs.items():
        if not k.startswith("ops/"):
            continue
        ms = b["seconds"] * 1e3
        note = ""
        if "bytes_per_second" in b:
            gbs = b["bytes_per_second"] / 1e9
        elif "op_bytes" in b:
            base = runs.get(k.replace("fwd_bwd_chain", "chain_base"))
            share = b["seconds"] - base["seconds"] if base else float("nan")
            gbs = b["op_bytes"] / share / 1e9 if share > 0 else float("nan")
            note = f"op share = chain - base = {share * 1e3:.1f} ms"
        else:
            print(f"  {k:36s} {ms:9.2f}")
            continue
        frac = f"{gbs / triad:7.2f}" if triad else ""
        print(f"  {k:36s} {ms:9.2f} {gbs:7.2f} {frac}  {note}")

    for k, b in runs.items():
        if k.startswith("adam/"):
            gbs = b["bytes_per_second"] / 1e9
            print(f"\nAdam: {k}: {b['seconds'] * 1e3:.2f} ms per step, {b['params'] / 1e6:.2f}M params, "
                  f"{b['params/s'] / 1e6:.0f}M params/s, {gbs:.2f} GB/s"
                  + (f" ({gbs / triad:.2f} of triad)" if triad else ""))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "pf_bench.json")
