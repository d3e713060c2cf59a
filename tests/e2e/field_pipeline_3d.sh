#!/usr/bin/env bash
# The field pipeline in 3-D through the CLI: a small smoke-like dataset (density + velocity stored
# as lower-face values, written by pf_make_smoke_fixture) → train FactFormer-3D (task
# factformer3d: curriculum, pushforward, validation, wall values) → a killed run resumes bitwise →
# predict (Well-layout HDF5 with the velocity vector, .vti volumes, .pvd with real times, past the
# end of the data) → evaluate (per-field metrics) → plot; bad input exits 2 and leaves nothing.
# With an MPI launcher, training on 2 ranks matches 1 rank.
# usage: field_pipeline_3d.sh <portaformer> <pf_make_smoke_fixture> <work dir> [mpiexec and its
#        options for 2 ranks...]
set -uo pipefail
exe="$1"; fixture="$2"; work="$3"; shift 3
mpi=("$@")
here="$(cd "$(dirname "$0")" && pwd)"
repo="$here/../.."
py=/usr/bin/python3
rm -rf "$work"; mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
run() { "$@" --log-level warn || { fail "exit $? from: $*"; exit 1; }; }

# 5 trajectories × 24 frames (t = 6, 6.75, …, 23.25) of 8³ cells.
data="$work/smoke.h5"
"$fixture" "$data" 8 5 24 || { fail "fixture"; exit 1; }

train_args=(--deck "$repo/data/factformer3d_quickstart.toml" --set "data.path=\"$data\""
  --set model.dim=16 --set model.depth=1 --set model.heads=2 --set model.dim_head=8
  --set model.fourier_features=8 --set train.steps=8 --set train.curriculum_steps=4
  --set train.pushforward_after=5 --set train.validate_every=3 --set train.checkpoint_every=3
  --set eval.steps=8 --set eval.valid_windows=2 --set data.valid_fraction=0.2
  --set data.test_fraction=0.2 --set train.wall_velocity=lower_faces)
run "$exe" train --output "$work/train" "${train_args[@]}"
for f in checkpoint_8.h5 metrics.json history.csv; do
  [ -f "$work/train/$f" ] || fail "train wrote no $f"
done
grep -q '"task": "factformer3d"' "$work/train/metrics.json" || fail "metrics.json: task"
grep -q '"values_per_frame": 192' "$work/train/metrics.json" ||
  fail "metrics.json: expected 3 walls × 64 wall-normal values per frame"
grep -q '^7,.*,[0-9.e+-]*$' "$work/train/history.csv" || fail "history.csv: no validation at step 8"

if [ ${#mpi[@]} -gt 0 ]; then
  # Data-parallel training: the global batch split over 2 ranks gives the 1-rank run's losses.
  run "${mpi[@]}" "$exe" train --output "$work/train2" "${train_args[@]}"
  "$py" - "$work/train/metrics.json" "$work/train2/metrics.json" <<'PY' || fail "training on 1 and 2 ranks disagrees"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
# fp32 gradient sums in another order: equal to ~1e-7 relative after 8 steps.
for key in ("last_batch_loss", "valid_rel_l2_last"):
    assert abs(a[key] - b[key]) <= 1e-5 * abs(a[key]), (key, a[key], b[key])
PY
fi

# Killed after step 7 (last checkpoint at 6), resumed: the same final weights and optimizer state.
"$exe" train --output "$work/killed" "${train_args[@]}" --set train.kill_at_step=7 --log-level warn
[ $? -eq 137 ] || fail "expected death by SIGKILL (137)"
run "$exe" train --output "$work/killed" "${train_args[@]}" --resume
for group in /params /optimizer; do
  h5diff "$work/train/checkpoint_8.h5" "$work/killed/checkpoint_8.h5" "$group" >/dev/null ||
    fail "resumed run differs in $group"
done

# Predict from frame 10: frames 14..29, 10 with truth (14..23), 6 past the end of the data.
run "$exe" predict -c "$work/train" --output "$work/predict" --start 10 --steps 16 --trajectories 0,3
h5ls "$work/predict/predictions.h5/t0_fields/density" | grep -q '{2, 16, 8, 8, 8}' ||
  fail "predictions.h5: expected t0_fields/density of shape {2, 16, 8, 8, 8}"
h5ls "$work/predict/predictions.h5/t1_fields/velocity" | grep -q '{2, 16, 8, 8, 8, 3}' ||
  fail "predictions.h5: expected t1_fields/velocity of shape {2, 16, 8, 8, 8, 3}"
"$py" - "$work/predict/predictions.h5" <<'PY' || fail "predictions.h5: times or wall values"
import sys
import h5py
import numpy as np
with h5py.File(sys.argv[1]) as f:
    t = f["dimensions/time"][:]
    v = f["t1_fields/velocity"][:]
# Frame k of the fixture is at 6 + 0.75 k; past the data the last step is continued.
assert np.allclose(t, 6 + 0.75 * np.arange(14, 30)), t
# lower_faces: the wall-normal component at index 0 of each axis is exactly 0, the rest is not.
assert (v[:, :, 0, :, :, 0] == 0).all() and (v[:, :, :, 0, :, 1] == 0).all()
assert (v[:, :, :, :, 0, 2] == 0).all() and np.abs(v[:, :, 1:, :, :, 0]).max() > 0
PY
for traj in 0000 0003; do
  n=$(ls "$work/predict/vtk/traj_$traj" | grep -c '\.vti$')
  [ "$n" -eq 16 ] || fail "traj $traj: expected 16 .vti files, found $n"
  grep -c '<DataSet ' "$work/predict/vtk/traj_$traj.pvd" | grep -qx 16 || fail "traj $traj: .pvd"
done
grep -q 'timestep="16.5" .*frame_00014.vti' "$work/predict/vtk/traj_0000.pvd" ||
  fail ".pvd: frame 14 not at t = 16.5"
vti="$work/predict/vtk/traj_0000/frame_00014.vti"
grep -aq 'Name="velocity_pred" NumberOfComponents="3"' "$vti" || fail "no velocity 3-vector"
grep -aq 'Name="density_error"' "$vti" || fail "no density error"
grep -aq 'WholeExtent="0 7 0 7 0 7"' "$vti" || fail "not an 8³ volume"
if grep -aq 'density_true' "$work/predict/vtk/traj_0000/frame_00025.vti"; then
  fail "frame past the data's end claims a truth"
fi

run "$exe" evaluate -c "$work/train" --output "$work/eval"
"$py" - "$work/eval/metrics.json" <<'PY' || fail "evaluate: metrics.json"
import json, math, sys
m = json.load(open(sys.argv[1]))
assert m["steps"] == 20 and len(m["trajectories"]) == 1, (m["steps"], m["trajectories"])
for field, channels in (("density", 1), ("velocity", 3)):
    f = m["fields"][field]
    assert f["channels"] == channels
    for key in ("mean_rel_l2", "rel_l2_first_step", "rel_l2_last_step", "time_above_threshold"):
        assert math.isfinite(f[key]), (field, key, f[key])
assert "2-D periodic vorticity" in m["spectrum_note"]
PY
head -n 200 "$work/eval/rollout_metrics.csv" | grep -q '^step,time,rel_l2,correlation,rel_l2_density,correlation_density,rel_l2_velocity,correlation_velocity$' ||
  fail "rollout_metrics.csv: per-field columns"
"$py" "$repo/postprocess/plot_rollout.py" "$work/eval" >/dev/null || fail "plot_rollout.py"
[ -s "$work/eval/rollout.png" ] || fail "plot_rollout.py wrote no PNG"

expect_input_error() {  # expect_input_error <what> <text> -- command args...
  local what="$1" needle="$2"; shift 3
  local out rc
  out=$("$@" 2>&1 >/dev/null); rc=$?
  if [ "$rc" -ne 2 ] || [[ "$out" != *"$needle"* ]]; then
    fail "$what: exit $rc, message: $out"
  else
    echo "ok ($what): $out"
  fi
}
"$fixture" "$work/density_only.h5" 8 5 24 density || fail "fixture (density only)"
"$fixture" "$work/odd.h5" 7 5 24 || fail "fixture (7³)"
run "$exe" simulate --output "$work/flat.h5" --set grid.solve_n=32 --set grid.store_n=8 \
  --set time.warmup=0 --set time.n_frames=24 --set output.n_trajectories=2
expect_input_error "2-D dataset for a 3-D task" "expected a 3-D dataset" -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set "data.path=\"$work/flat.h5\""
expect_input_error "no velocity field" 'unknown field "velocity"' -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set "data.path=\"$work/density_only.h5\""
expect_input_error "odd grid" "multiples of 2" -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set "data.path=\"$work/odd.h5\""
expect_input_error "model window vs data window" "model.in_steps" -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set data.in_steps=3
expect_input_error "fields vs model" "model.in_fields" -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set 'data.fields="density"'
expect_input_error "unknown wall layout" "train.wall_velocity" -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set train.wall_velocity=faces
expect_input_error "3-D model on 2-D data" "expected a 3-D dataset" -- \
  "$exe" predict -c "$work/train" --output "$work/bad" --data "$work/flat.h5"
head -c 4096 "$work/train/checkpoint_8.h5" > "$work/truncated.h5"
expect_input_error "truncated checkpoint" "truncated.h5" -- \
  "$exe" evaluate -c "$work/truncated.h5" --output "$work/bad"
[ ! -e "$work/bad" ] || [ -z "$(ls -A "$work/bad")" ] || fail "bad input left output in $work/bad"

exit $((failures > 0))
