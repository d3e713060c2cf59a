#!/usr/bin/python3
"""Parity plot of a crystal property model: predicted against true values from one or more
`portaformer evaluate` outputs (per_structure.csv), with the y = x line and each run's MAE.

usage: postprocess/plot_parity.py EVAL_DIR [EVAL_DIR ...] [--labels a,b] [-o parity.png]
Needs Debian's python3-matplotlib.
"""
import argparse
import csv
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_eval(directory):
    path = directory / "per_structure.csv"
    if not path.exists():
        sys.exit(f"{path}: not found (expected the output directory of `portaformer evaluate`)")
    with path.open() as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
    if len(rows) < 2:
        sys.exit(f"{path}: no structures")
    header = rows[0]
    truth = [float(r[2]) for r in rows[1:]]
    pred = [float(r[3]) for r in rows[1:]]
    meta = json.loads((directory / "metrics.json").read_text()) if (directory / "metrics.json").exists() else {}
    return header[2], truth, pred, meta


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dirs", type=pathlib.Path, nargs="+")
    parser.add_argument("--labels", help="comma-separated legend labels (default: the model names)")
    parser.add_argument("-o", "--output", type=pathlib.Path, help="image (default EVAL_DIR/parity.png)")
    args = parser.parse_args()
    labels = args.labels.split(",") if args.labels else None
    if labels and len(labels) != len(args.eval_dirs):
        sys.exit(f"--labels: expected {len(args.eval_dirs)} labels, found {len(labels)}")
    fig, ax = plt.subplots(figsize=(5, 5))
    lo, hi = float("inf"), float("-inf")
    target = units = ""
    for k, d in enumerate(args.eval_dirs):
        target, truth, pred, meta = read_eval(d)
        units = meta.get("units", "")
        mae = sum(abs(p - t) for p, t in zip(pred, truth)) / len(truth)
        label = labels[k] if labels else meta.get("model", d.name)
        ax.scatter(truth, pred, s=8, alpha=0.6, label=f"{label}: MAE {mae:.3g} {units}".rstrip())
        lo, hi = min(lo, *truth, *pred), max(hi, *truth, *pred)
    pad = 0.03 * (hi - lo or 1.0)
    ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="black", linewidth=0.8)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_aspect("equal")
    unit_text = f" ({units})" if units else ""
    ax.set_xlabel(f"true {target}{unit_text}")
    ax.set_ylabel(f"predicted {target}{unit_text}")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    out = args.output or args.eval_dirs[0] / "parity.png"
    fig.savefig(out, dpi=130)
    print(out)


if __name__ == "__main__":
    main()
