#!/usr/bin/python3
"""The 3-D FactFormer's convolution block in PyTorch, timed like bench/bench_conv3d.cpp.

Batch 1, fp32, 64³: the four Conv3d(k=3, pad=1) layers (128→64 stride 2; 64→64 at 32³; 64→64
and 64→128 at 64³), InstanceNorm3d(128) (affine=False) at 64³ and nearest ×2 upsampling
32³→64³ at 64 channels. `fwd` runs under no_grad; `fwd_bwd` runs the op with every input
requiring a gradient and backpropagates a fixed upstream gradient. Each op is timed in torch's
default layout (channels first, NCDHW) and in channels_last_3d; both are printed and the JSON
marks the faster (by process CPU time). Wall and process CPU time (all threads) are both
reported: on a shared machine the CPU time is the steadier measure of the work.

usage: /usr/bin/python3 bench/torch_conv3d.py [--threads 2] [--min-time 1.0] [--json out.json]
Needs Debian's python3-torch.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

CONVS = [("down_s2/64x128to32x64", 64, 128, 64, 2), ("mid/32x64to32x64", 32, 64, 64, 1),
         ("up/64x64to64x64", 64, 64, 64, 1), ("up_out/64x64to64x128", 64, 64, 128, 1)]


def timeit(fn, min_time):
    """Median wall and process CPU seconds per call (CPU time, all threads, is the number to
    compare on a shared machine: it does not count waiting for a core)."""
    fn()  # warm-up (allocator, oneDNN primitive creation)
    walls, cpus, start = [], [], time.perf_counter()
    while True:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        if time.perf_counter() - start >= min_time and len(walls) >= 2:
            return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]


def bench_op(name, op, shapes, flop_fwd, min_time):
    """op(*tensors) on random tensors of `shapes` (the first is the activation)."""
    out = {}
    for layout in ("channels_first", "channels_last"):
        fmt = torch.channels_last_3d if layout == "channels_last" else torch.contiguous_format
        ts = [torch.randn(s) for s in shapes]
        ts[0] = ts[0].contiguous(memory_format=fmt)
        with torch.no_grad():
            fwd, fwd_cpu = timeit(lambda: op(*ts), min_time)
        gs = [t.detach().clone().requires_grad_(True) for t in ts]
        gy = torch.randn_like(op(*ts))

        def step():
            for g in gs:
                g.grad = None
            op(*gs).backward(gy)

        fwd_bwd, fwd_bwd_cpu = timeit(step, min_time)
        out[layout] = {"fwd_s": fwd, "fwd_bwd_s": fwd_bwd, "fwd_cpu_s": fwd_cpu,
                       "fwd_bwd_cpu_s": fwd_bwd_cpu}
        line = (f"{name:24s} {layout:14s} fwd {fwd * 1e3:8.1f} ms (cpu {fwd_cpu * 1e3:8.1f})  "
                f"fwd_bwd {fwd_bwd * 1e3:8.1f} ms (cpu {fwd_bwd_cpu * 1e3:8.1f})")
        if flop_fwd:
            out[layout]["fwd_GFLOPS"] = flop_fwd / fwd / 1e9
            out[layout]["fwd_bwd_GFLOPS"] = 3 * flop_fwd / fwd_bwd / 1e9
            line += f"  {flop_fwd / fwd / 1e9:6.1f} / {3 * flop_fwd / fwd_bwd / 1e9:6.1f} GFLOP/s"
        print(line, flush=True)
    out["fastest"] = min(("channels_first", "channels_last"), key=lambda k: out[k]["fwd_bwd_cpu_s"])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--min-time", type=float, default=1.0)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = {"torch": torch.__version__, "threads": args.threads,
               "mkldnn": torch.backends.mkldnn.is_available()}
    for name, n, cin, cout, stride in CONVS:
        on = (n - 1) // stride + 1
        flop = 2.0 * on ** 3 * cout * cin * 27
        results[f"conv3d/{name}"] = bench_op(
            name, lambda x, w, b, s=stride: F.conv3d(x, w, b, stride=s, padding=1),
            [(1, cin, n, n, n), (cout, cin, 3, 3, 3), (cout,)], flop, args.min_time)
    results["instance_norm3d/64x128"] = bench_op(
        "instance_norm3d/64x128", lambda x: F.instance_norm(x), [(1, 128, 64, 64, 64)], 0,
        args.min_time)
    results["upsample3d/32to64x64"] = bench_op(
        "upsample3d/32to64x64", lambda x: F.interpolate(x, scale_factor=2, mode="nearest"),
        [(1, 64, 32, 32, 32)], 0, args.min_time)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
