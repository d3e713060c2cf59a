#!/usr/bin/python3
"""Learning curve: test MAE against training-set size, one line per model, log-log axes.

Reads a CSV with columns model,n_train,mae[,units] (as scripts/crystal_learning_curve.sh
writes it; '#' lines are comments).

usage: postprocess/plot_learning_curve.py curve.csv [-o curve.png] [--title TEXT]
Needs Debian's python3-matplotlib.
"""
import argparse
import csv
import pathlib
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", type=pathlib.Path)
    parser.add_argument("-o", "--output", type=pathlib.Path)
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    with args.csv.open() as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    if not rows:
        sys.exit(f"{args.csv}: no rows")
    for key in ("model", "n_train", "mae"):
        if key not in rows[0]:
            sys.exit(f"{args.csv}: expected a column '{key}', found {list(rows[0])}")
    curves = defaultdict(list)
    for r in rows:
        curves[r["model"]].append((int(r["n_train"]), float(r["mae"])))
    units = rows[0].get("units", "")
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for model, points in curves.items():
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=model)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training structures")
    ax.set_ylabel(f"test MAE ({units})" if units else "test MAE")
    if args.title:
        ax.set_title(args.title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = args.output or args.csv.with_suffix(".png")
    fig.savefig(out, dpi=130)
    print(out)


if __name__ == "__main__":
    main()
