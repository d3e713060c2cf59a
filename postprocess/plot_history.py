#!/usr/bin/python3
"""Plot a run's training history (history.csv): loss (and validation loss) and learning rate against step.

usage: postprocess/plot_history.py RUN_DIR [-o loss.png]
Needs Debian's python3-matplotlib.
"""
import argparse
import csv
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir", type=pathlib.Path)
    parser.add_argument("-o", "--output", type=pathlib.Path, help="image file (default RUN_DIR/history.png)")
    args = parser.parse_args()
    path = args.run_dir / "history.csv"
    if not path.exists():
        sys.exit(f"{path}: not found (expected a PortaFormer run directory)")
    with path.open() as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    if not rows:
        sys.exit(f"{path}: no rows")
    step = [int(r["step"]) for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.semilogy(step, [float(r["loss"]) for r in rows], label="training loss")
    valid = [(int(r["step"]), float(r["valid_loss"])) for r in rows if r.get("valid_loss")]
    if valid:
        ax.semilogy(*zip(*valid), "o-", color="tab:green", label="validation loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    lr_ax = ax.twinx()
    lr_ax.plot(step, [float(r["lr"]) for r in rows], color="tab:orange", alpha=0.6, label="learning rate")
    lr_ax.set_ylabel("learning rate")
    fig.legend(loc="lower left", bbox_to_anchor=(0.1, 0.15))
    fig.tight_layout()
    out = args.output or args.run_dir / "history.png"
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
