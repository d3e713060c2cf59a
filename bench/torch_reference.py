#!/usr/bin/python3
"""The pf_bench workloads in PyTorch, for side-by-side ratios (Debian's python3-torch, CPU).

usage: bench/torch_reference.py [--threads N] [--json out.json]
Times, with the same shapes as bench/*.cpp: sgemm (torch.mm) at the Linear shapes; layer_norm,
softmax and gelu forward and forward+backward; one AdamW step on 3.41M parameters (the same
640→1024→1024→1024→640 MLP). Compare with pf_bench at equal threads: Debian's Kokkos runs
kernels on one core, so the fair op comparison is --threads 1 (GEMM uses OpenBLAS threads in
both: compare GEMM at the machine's thread count).
"""
import argparse
import json
import time

import torch


def timeit(fn, min_time=1.0):
    fn()  # warm up (allocator, lazy init)
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time and n >= 3:
            return elapsed / n


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = {"torch": torch.__version__, "threads": args.threads}

    for m, n, k, ta, tb in [(65536, 128, 512, False, True), (65536, 512, 128, False, False),
                            (128, 512, 65536, True, False), (8192, 512, 512, False, False)]:
        a = torch.randn(k, m) if ta else torch.randn(m, k)
        b = torch.randn(n, k) if tb else torch.randn(k, n)
        out = torch.empty(m, n)
        s = timeit(lambda: torch.mm(a.t() if ta else a, b.t() if tb else b, out=out), 0.5)
        results[f"gemm/{m}x{n}x{k}"] = {"seconds": s, "GFLOPS": 2 * m * n * k / s / 1e9}

    def op_pair(name, make_x, op, elems):
        x = make_x()
        with torch.no_grad():
            fwd = timeit(lambda: op(x))
        xg = make_x().requires_grad_(True)
        w = torch.randn_like(xg)

        def step():
            xg.grad = None
            (op(xg) * w).sum().backward()

        def base():
            xg.grad = None
            (xg * w).sum().backward()

        chain, chain_base = timeit(step), timeit(base)
        results[f"ops/{name}"] = {"fwd_seconds": fwd, "fwd_GBps": 8 * elems / fwd / 1e9,
                                  "chain_seconds": chain, "chain_base_seconds": chain_base,
                                  "op_share_seconds": chain - chain_base}

    ln_w, ln_b = torch.randn(128), torch.randn(128)
    op_pair("layer_norm/65536x128", lambda: torch.randn(65536, 128),
            lambda x: torch.nn.functional.layer_norm(x, (128,), ln_w, ln_b, 1e-5), 65536 * 128)
    op_pair("softmax/4096x1024", lambda: torch.randn(4096, 1024), lambda x: torch.softmax(x, -1), 4096 * 1024)
    op_pair("gelu/16M", lambda: torch.randn(16 << 20), torch.nn.functional.gelu, 16 << 20)

    widths = [640, 1024, 1024, 1024, 640]
    layers = []
    for i in range(len(widths) - 1):
        layers += [torch.nn.Linear(widths[i], widths[i + 1]), torch.nn.GELU()]
    mlp = torch.nn.Sequential(*layers[:-1])
    params = list(mlp.parameters())
    for p in params:
        p.grad = torch.randn_like(p)
    opt = torch.optim.AdamW(params, lr=1e-3, foreach=False)
    s = timeit(opt.step)
    count = sum(p.numel() for p in params)
    results["adam/step"] = {"params": count, "seconds": s, "GBps": 28 * count / s / 1e9}
    opt_fe = torch.optim.AdamW(params, lr=1e-3, foreach=True)
    results["adam/step_foreach"] = {"params": count, "seconds": timeit(opt_fe.step)}

    for k, v in results.items():
        print(f"{k:28s} {v}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
