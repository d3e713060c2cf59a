#!/usr/bin/python3
"""Plot a forecast against the truth, one panel per channel, from `portaformer predict`'s
predictions.h5: the input window (grey), the truth where the data hold it (black) and the
forecast (red), in original units. Calendar times (unit "s since 1970-01-01T00:00:00") are
drawn as dates.

usage: postprocess/plot_forecast.py PREDICTIONS.h5 [-o forecast.png] [--channels a,b]
       [--context N]   (N input rows shown before the forecast; default all)
Needs Debian's python3-matplotlib, python3-h5py and python3-numpy.
"""
import argparse
import datetime
import pathlib
import sys

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

EPOCH_UNIT = "s since 1970-01-01T00:00:00"


def as_str(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("predictions", type=pathlib.Path)
    parser.add_argument("-o", "--output", type=pathlib.Path, help="image file (default: beside the input, .png)")
    parser.add_argument("--channels", help="comma-separated channel names (default: all)")
    parser.add_argument("--context", type=int, default=0, help="input rows shown (0: all)")
    args = parser.parse_args()
    try:
        f = h5py.File(args.predictions, "r")
    except OSError as e:
        sys.exit(f"{args.predictions}: cannot open ({e})")
    with f:
        for key in ("data", "time", "input", "input_time"):
            if key not in f:
                sys.exit(f"{args.predictions}: /{key} missing (expected predictions.h5 from `portaformer predict`)")
        names = [as_str(n) for n in f.attrs["channels"]]
        forecast, time = f["data"][()], f["time"][()]
        history, history_time = f["input"][()], f["input_time"][()]
        truth = f["truth"][()] if "truth" in f else None
        unit = as_str(f["time"].attrs.get("unit", "step"))
        source = as_str(f.attrs.get("source", ""))
    chosen = names if not args.channels else [c.strip() for c in args.channels.split(",")]
    for c in chosen:
        if c not in names:
            sys.exit(f"--channels: '{c}' is not a channel of {args.predictions} ({', '.join(names)})")
    if args.context > 0:
        history, history_time = history[-args.context:], history_time[-args.context:]

    def axis(t):
        if unit == EPOCH_UNIT:
            return np.array([datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=float(s)) for s in t])
        return t

    fig, axes = plt.subplots(len(chosen), 1, figsize=(9, 2.4 * len(chosen)), sharex=True, squeeze=False)
    for ax, name in zip(axes[:, 0], chosen):
        j = names.index(name)
        ax.plot(axis(history_time), history[:, j], color="0.55", lw=1, label="input")
        if truth is not None and len(truth):
            ax.plot(axis(time[: len(truth)]), truth[:, j], color="k", lw=1.2, label="truth")
        ax.plot(axis(time), forecast[:, j], color="tab:red", lw=1.4, label="forecast")
        ax.axvline(axis(time[:1])[0], color="0.8", lw=0.8, ls="--")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    axes[0, 0].legend(loc="upper left", fontsize=8, ncol=3)
    axes[0, 0].set_title(source, fontsize=8)
    axes[-1, 0].set_xlabel("date" if unit == EPOCH_UNIT else unit)
    if unit == EPOCH_UNIT:
        fig.autofmt_xdate()
    fig.tight_layout()
    out = args.output or args.predictions.with_suffix(".png")
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
