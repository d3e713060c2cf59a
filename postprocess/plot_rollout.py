#!/usr/bin/python3
"""Plot `portaformer evaluate` results: rel-L2 and correlation against time, and the spectra.

usage: postprocess/plot_rollout.py EVAL_DIR [-o rollout.png] [--threshold 0.8]

Reads EVAL_DIR/rollout_metrics.csv (columns step,time,rel_l2,correlation: means over the test
trajectories over all channels; columns rel_l2_<field> / correlation_<field>, which evaluate
writes for data with several fields such as density and velocity, are drawn as one coloured
curve per field; numeric suffixes rel_l2_<traj> as thin grey per-trajectory lines) and, when
present, EVAL_DIR/spectrum.csv (columns k,energy_true,energy_pred). Lines starting with '#'
are comments. The correlation panel marks the threshold and the time the mean first drops below
it. Needs Debian's python3-matplotlib.
"""
import argparse
import csv
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_csv(path, required):
    with path.open() as f:
        reader = csv.DictReader(line for line in f if not line.startswith("#"))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"{path}: missing column(s) {', '.join(missing)}; found {reader.fieldnames}")
        rows = list(reader)
    if not rows:
        sys.exit(f"{path}: no rows")
    try:
        return {name: [float(r[name]) for r in rows] for name in reader.fieldnames}
    except (TypeError, ValueError) as error:
        sys.exit(f"{path}: non-numeric value ({error})")


def first_below(values, threshold):
    for i, v in enumerate(values):
        if not v >= threshold:  # NaN counts as a drop
            return i
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", type=pathlib.Path)
    parser.add_argument("-o", "--output", type=pathlib.Path, help="image file (default EVAL_DIR/rollout.png)")
    parser.add_argument("--threshold", type=float, default=0.8, help="correlation threshold line")
    args = parser.parse_args()
    metrics_path = args.eval_dir / "rollout_metrics.csv"
    if not metrics_path.exists():
        sys.exit(f"{metrics_path}: not found (expected the output directory of portaformer evaluate)")
    metrics = read_csv(metrics_path, ["step", "time", "rel_l2", "correlation"])
    spectrum_path = args.eval_dir / "spectrum.csv"
    spectrum = read_csv(spectrum_path, ["k", "energy_true", "energy_pred"]) if spectrum_path.exists() else None

    time = metrics["time"]
    fig, axes = plt.subplots(1, 3 if spectrum else 2, figsize=(15 if spectrum else 10, 4))
    for ax, name, label in ((axes[0], "rel_l2", "relative L2 error"), (axes[1], "correlation", "correlation")):
        suffixed = {column[len(name) + 1:]: values for column, values in metrics.items() if column.startswith(name + "_")}
        per_traj = [values for suffix, values in suffixed.items() if suffix.isdigit()]
        per_field = {suffix: values for suffix, values in suffixed.items() if not suffix.isdigit()}
        for i, values in enumerate(per_traj):
            ax.plot(time, values, color="0.75", linewidth=0.7, label="per trajectory" if i == 0 else None)
        ax.plot(time, metrics[name], color="tab:blue", linewidth=2,
                label="all channels" if per_field else "mean over trajectories")
        for field, values in per_field.items():
            ax.plot(time, values, linewidth=1.5, label=field)
        if per_field:
            ax.legend(loc="best", fontsize=8)
        ax.set_xlabel("time")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[1].axhline(args.threshold, color="tab:red", linestyle="--", label=f"threshold {args.threshold:g}")
    drop = first_below(metrics["correlation"], args.threshold)
    if drop is not None:
        axes[1].axvline(time[drop], color="tab:red", alpha=0.4)
        summary = f"correlation below {args.threshold:g} from t = {time[drop]:.4g} (step {metrics['step'][drop]:.0f})"
    else:
        summary = f"correlation above {args.threshold:g} throughout (to t = {time[-1]:.4g})"
    axes[1].set_title(summary, fontsize=9)
    print(summary)
    axes[1].legend(loc="lower left")

    if spectrum:
        ax = axes[2]
        for column, label, style in (("energy_true", "truth", "-"), ("energy_pred", "prediction", "--")):
            points = [(k, e) for k, e in zip(spectrum["k"], spectrum[column]) if k > 0 and e > 0]
            ax.loglog([k for k, _ in points], [e for _, e in points], style, label=label)
        ax.set_xlabel("wavenumber k")
        ax.set_ylabel("E(k)")
        ax.set_title("kinetic-energy spectrum")
        ax.grid(alpha=0.3, which="both")
        ax.legend()
    fig.tight_layout()
    out = args.output or args.eval_dir / "rollout.png"
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
