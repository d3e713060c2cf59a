#!/usr/bin/env bash
# The matplotlib post-processing scripts on small synthetic outputs: plot_frames matches predicted
# steps to true frames by time and writes a non-blank PNG; plot_rollout reports when the
# correlation drops below the threshold; bad input names what is wrong.
# usage: postprocess_plots.sh <source dir> <work dir>   (needs python3-matplotlib, -h5py, -numpy)
set -uo pipefail
src="$1"; work="$2"
py=/usr/bin/python3
rm -rf "$work"; mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Truth: 2 trajectories × 12 frames every 0.25 of ω = cos(x + t)·sin(2y) on a 32 × 24 grid.
# Predictions: trajectory 1 from t = 1 on (8 frames), the truth plus a small perturbation.
"$py" - "$work" <<'EOF' || exit 1
import sys
import h5py
import numpy as np
work = sys.argv[1]
x = np.linspace(0, 2 * np.pi, 32, endpoint=False)
y = np.linspace(0, 2 * np.pi, 24, endpoint=False)
def write(path, times, traj_offset, noise):
    w = np.stack([np.stack([np.cos(x[:, None] + t + b) * np.sin(2 * y[None, :]) for t in times])
                  for b in (0.0, traj_offset)]).astype(np.float32)
    w += noise * np.random.default_rng(0).standard_normal(w.shape).astype(np.float32)
    with h5py.File(path, "w") as f:
        f["t0_fields/vorticity"] = w
        f["dimensions/time"] = times
        f["dimensions/x"] = x
        f["dimensions/y"] = y
write(f"{work}/true.h5", 0.25 * np.arange(12), 0.5, 0.0)
write(f"{work}/pred.h5", 1.0 + 0.25 * np.arange(8), 0.5, 0.05)
with open(f"{work}/rollout_metrics.csv", "w") as f:
    f.write("# synthetic\nstep,time,rel_l2,correlation,rel_l2_0,correlation_0\n")
    for s in range(20):
        c = 1.0 - 0.02 * s
        f.write(f"{s},{0.125 * s},{0.01 * s},{c},{0.012 * s},{c - 0.01}\n")
with open(f"{work}/spectrum.csv", "w") as f:
    f.write("k,energy_true,energy_pred\n")
    for k in range(1, 33):
        f.write(f"{k},{k ** -3.0},{1.2 * k ** -3.0}\n")
EOF

# A PNG that is not a single colour (a blank canvas would pass an existence check).
check_png() {
  "$py" - "$1" <<'EOF'
import sys
import matplotlib.image as mpimg
image = mpimg.imread(sys.argv[1])
sys.exit(0 if image.ndim == 3 and image.std() > 0.05 else 1)
EOF
}

out=$("$py" "$src/postprocess/plot_frames.py" --pred "$work/pred.h5" --true "$work/true.h5" \
      --traj 1 --steps 0,3,7 -o "$work/frames.png" 2>&1) || fail "plot_frames: $out"
check_png "$work/frames.png" || fail "frames.png missing or blank"

# No true frame at the predicted times when the true file's clock is shifted.
"$py" - "$work" <<'EOF'
import sys, h5py
with h5py.File(f"{sys.argv[1]}/true.h5", "r+") as f:
    f["dimensions/time"][...] += 0.1
EOF
out=$("$py" "$src/postprocess/plot_frames.py" --pred "$work/pred.h5" --true "$work/true.h5" \
      --steps 0 -o "$work/x.png" 2>&1) && fail "time mismatch accepted"
[[ "$out" == *"no frame at t = 1"* ]] || fail "time mismatch message: $out"
out=$("$py" "$src/postprocess/plot_frames.py" --pred "$work/pred.h5" --true "$work/true.h5" \
      --field density -o "$work/x.png" 2>&1) && fail "missing field accepted"
[[ "$out" == *"no dataset t0_fields/density"*"vorticity"* ]] || fail "missing field message: $out"

# Mean correlation 1 − 0.02·step first drops below 0.8 at step 11 (0.78), t = 1.375.
out=$("$py" "$src/postprocess/plot_rollout.py" "$work" 2>&1) || fail "plot_rollout: $out"
[[ "$out" == *"below 0.8 from t = 1.375 (step 11)"* ]] || fail "plot_rollout summary: $out"
check_png "$work/rollout.png" || fail "rollout.png missing or blank"
sed -i 's/correlation,rel_l2_0/corr,rel_l2_0/' "$work/rollout_metrics.csv"
out=$("$py" "$src/postprocess/plot_rollout.py" "$work" 2>&1) && fail "missing column accepted"
[[ "$out" == *"missing column(s) correlation"* ]] || fail "missing column message: $out"

[ "$failures" -eq 0 ] && echo "postprocess plots: ok"
[ "$failures" -eq 0 ]
