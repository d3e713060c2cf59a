#!/usr/bin/python3
"""Plot predicted, true and error fields side by side at chosen rollout steps (one PNG).

usage: postprocess/plot_frames.py --pred PRED.h5 --true TRUE.h5 [--field vorticity] [--traj 0]
           [--true-traj K] [--steps 0,4,8,12] [-o frames.png]

Both files use the Well layout: t0_fields/FIELD [n_traj, n_steps, X, Y] (fp32), times in
dimensions/time ([T], or [n_traj, T]) and coordinates in dimensions/x and dimensions/y. --steps
index the prediction file's steps (default: six spread over the rollout). When both files carry
times, each predicted step is matched to the true frame at the same time, so the true file may be
the full dataset trajectory while the predictions start later; otherwise steps are matched by
index. Rows: prediction, truth, prediction - truth. Prediction and truth share one colour range,
symmetric about zero; the error has its own. x runs to the right, y up.

Needs Debian's python3-matplotlib, python3-h5py and python3-numpy; no ParaView.
"""
import argparse
import pathlib
import sys

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def fail(message):
    sys.exit(f"plot_frames: {message}")


class Trajectory:
    """One trajectory of one field of a Well-layout file, read lazily frame by frame."""

    def __init__(self, path, field, traj):
        self.path = path
        try:
            self.file = h5py.File(path, "r")
        except OSError as error:
            fail(f"{path}: cannot open as HDF5 ({error})")
        name = f"t0_fields/{field}"
        if name not in self.file:
            have = sorted(self.file["t0_fields"].keys()) if "t0_fields" in self.file else []
            fail(f"{path}: no dataset {name} (t0_fields has: {', '.join(have) or 'nothing'})")
        self.data = self.file[name]
        if self.data.ndim != 4:
            fail(f"{path}: {name} has shape {self.data.shape}, expected [n_traj, n_steps, X, Y]")
        if not 0 <= traj < self.data.shape[0]:
            fail(f"{path}: trajectory {traj} out of range, the file has {self.data.shape[0]}")
        self.traj = traj
        self.n_steps = self.data.shape[1]
        self.times = self._times()
        self.extent = self._extent()

    def _times(self):
        if "dimensions/time" not in self.file:
            return None
        time = self.file["dimensions/time"][()]
        time = time[self.traj] if time.ndim == 2 else time
        if time.shape != (self.n_steps,):
            fail(f"{self.path}: dimensions/time has {time.shape[-1]} values for {self.n_steps} steps")
        return time

    def _extent(self):
        x = self.file["dimensions/x"][()] if "dimensions/x" in self.file else None
        y = self.file["dimensions/y"][()] if "dimensions/y" in self.file else None
        if x is None or y is None:
            return None
        return [x[0], x[-1], y[0], y[-1]]

    def frame(self, step):
        return np.asarray(self.data[self.traj, step], dtype=np.float64)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pred", required=True, type=pathlib.Path)
    parser.add_argument("--true", required=True, type=pathlib.Path)
    parser.add_argument("--field", default="vorticity")
    parser.add_argument("--traj", type=int, default=0, help="trajectory in the prediction file")
    parser.add_argument("--true-traj", type=int, help="trajectory in the true file (default: --traj)")
    parser.add_argument("--steps", help="comma-separated prediction steps (default: six, evenly spread)")
    parser.add_argument("-o", "--output", type=pathlib.Path, default=pathlib.Path("frames.png"))
    args = parser.parse_args()

    pred = Trajectory(args.pred, args.field, args.traj)
    true = Trajectory(args.true, args.field, args.traj if args.true_traj is None else args.true_traj)
    if pred.data.shape[2:] != true.data.shape[2:]:
        fail(f"grids differ: {args.pred} has {pred.data.shape[2:]}, {args.true} has {true.data.shape[2:]}")
    if args.steps:
        try:
            steps = [int(s) for s in args.steps.split(",")]
        except ValueError:
            fail(f"--steps: expected comma-separated integers, found {args.steps!r}")
    else:
        steps = sorted(set(np.linspace(0, pred.n_steps - 1, min(6, pred.n_steps)).round().astype(int)))
    bad = [s for s in steps if not 0 <= s < pred.n_steps]
    if bad:
        fail(f"--steps {bad} out of range: {args.pred} has {pred.n_steps} steps")

    pairs = []
    for step in steps:
        if pred.times is not None and true.times is not None:
            match = np.flatnonzero(np.isclose(true.times, pred.times[step], rtol=0, atol=1e-9))
            if match.size == 0:
                fail(f"{args.true}: no frame at t = {pred.times[step]:g} (prediction step {step})")
            pairs.append((step, int(match[0]), pred.times[step]))
        else:
            if step >= true.n_steps:
                fail(f"{args.true}: step {step} out of range ({true.n_steps} steps, no times to match by)")
            pairs.append((step, step, None))

    frames = [(pred.frame(p), true.frame(t)) for p, t, _ in pairs]
    field_extent = max(max(np.abs(p).max(), np.abs(t).max()) for p, t in frames) or 1.0
    error_extent = max(np.abs(p - t).max() for p, t in frames) or 1.0
    extent = true.extent or pred.extent

    cols = len(pairs)
    fig, axes = plt.subplots(3, cols, figsize=(2.6 * cols + 1.2, 7.8), squeeze=False, constrained_layout=True)
    rows = [("prediction", "RdBu_r", field_extent), ("truth", "RdBu_r", field_extent),
            ("prediction - truth", "PuOr_r", error_extent)]
    for c, ((step, _, time), (p, t)) in enumerate(zip(pairs, frames)):
        for r, image in enumerate((p, t, p - t)):
            label, cmap, lim = rows[r]
            ax = axes[r, c]
            # [X, Y] arrays: transpose so x runs along the horizontal axis.
            handle = ax.imshow(image.T, origin="lower", cmap=cmap, vmin=-lim, vmax=lim, extent=extent)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"t = {time:.4g}" if time is not None else f"step {step}")
            if c == 0:
                ax.set_ylabel(label)
            if c == cols - 1:
                fig.colorbar(handle, ax=axes[r, :].tolist(), shrink=0.9)
    fig.suptitle(f"{args.field}, trajectory {args.traj}")
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
