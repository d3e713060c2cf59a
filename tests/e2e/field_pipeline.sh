#!/usr/bin/env bash
# The field pipeline through the CLI on a tiny Kolmogorov dataset: simulate → train (with
# curriculum, pushforward, validation) → predict (HDF5 + VTK + .pvd, past the end of the data)
# → evaluate. Training and evaluation on 1 and 2 ranks agree; a killed training run resumes
# bitwise; bad input is reported with exit code 2 and leaves no output.
# usage: field_pipeline.sh <portaformer> <work dir> [mpiexec and its options for 2 ranks...]
set -uo pipefail
exe="$1"; work="$2"; shift 2
mpi=("$@")
rm -rf "$work"; mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
run() { "$@" --log-level warn || { fail "exit $? from: $*"; exit 1; }; }

data="$work/kolmogorov.h5"
run "$exe" simulate --output "$data" --set grid.solve_n=32 --set grid.store_n=16 \
  --set time.warmup=0.5 --set time.n_frames=40 --set output.n_trajectories=5 --set time.dt=0.0078125

train_args=(--set "data.path=\"$data\"" --set data.in_steps=4 --set model.in_channels=4
  --set model.dim=16 --set model.depth=1 --set model.heads=2 --set model.dim_head=8
  --set model.fourier_features=8 --set train.batch_size=2 --set train.steps=8
  --set train.curriculum_steps=4 --set train.pushforward_after=5 --set train.validate_every=3
  --set train.checkpoint_every=3 --set eval.steps=8 --set eval.valid_windows=2
  --set data.valid_fraction=0.2 --set data.test_fraction=0.2 --set schedule.pct_start=0.25)
run "$exe" train --output "$work/train" "${train_args[@]}"
for f in checkpoint_8.h5 metrics.json history.csv; do
  [ -f "$work/train/$f" ] || fail "train wrote no $f"
done
grep -q '^7,.*,[0-9.e+-]*$' "$work/train/history.csv" || fail "history.csv: no validation at step 8"
h5ls "$work/train/checkpoint_8.h5/normalization" >/dev/null 2>&1 || fail "checkpoint: no /normalization"

# Killed after step 7 (last checkpoint at 6), resumed: the same final weights and optimizer state.
"$exe" train --output "$work/killed" "${train_args[@]}" --set train.kill_at_step=7 --log-level warn
[ $? -eq 137 ] || fail "expected death by SIGKILL (137)"
run "$exe" train --output "$work/killed" "${train_args[@]}" --resume
for group in /params /optimizer; do
  h5diff "$work/train/checkpoint_8.h5" "$work/killed/checkpoint_8.h5" "$group" >/dev/null ||
    fail "resumed run differs in $group"
done

# Predict from frame 30 for 12 frames: 6 with truth, 6 past the end of the data.
run "$exe" predict -c "$work/train" --output "$work/predict" --start 30 --steps 12 --trajectories 0,3
h5ls "$work/predict/predictions.h5/t0_fields/vorticity" | grep -q '{2, 12, 16, 16}' ||
  fail "predictions.h5: expected t0_fields/vorticity of shape {2, 12, 16, 16}"
for traj in 0000 0003; do
  n=$(ls "$work/predict/vtk/traj_$traj" | grep -c '\.vti$')
  [ "$n" -eq 12 ] || fail "traj $traj: expected 12 .vti files, found $n"
  grep -c '<DataSet ' "$work/predict/vtk/traj_$traj.pvd" | grep -qx 12 || fail "traj $traj: .pvd"
done
grep -q 'vorticity_error' "$work/predict/vtk/traj_0000/frame_00034.vti" || fail "no error field"
if grep -q 'vorticity_true' "$work/predict/vtk/traj_0000/frame_00040.vti"; then
  fail "frame past the data's end claims a truth"
fi

run "$exe" evaluate -c "$work/train" --output "$work/eval1"
for f in metrics.json rollout_metrics.csv spectrum.csv; do
  [ -f "$work/eval1/$f" ] || fail "evaluate wrote no $f"
done
grep -q '"mean_rel_l2": [0-9]' "$work/eval1/metrics.json" || fail "metrics.json: no finite mean_rel_l2"
if [ ${#mpi[@]} -gt 0 ]; then
  # Data-parallel training: the global batch split over 2 ranks gives the 1-rank run's losses.
  run "${mpi[@]}" "$exe" train --output "$work/train2" "${train_args[@]}"
  /usr/bin/python3 - "$work/train/metrics.json" "$work/train2/metrics.json" <<'PY' || fail "training on 1 and 2 ranks disagrees"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
# fp32 gradient sums in another order: equal to ~1e-6 relative after 8 steps.
for key in ("last_batch_loss", "valid_rel_l2_last"):
    assert abs(a[key] - b[key]) <= 1e-5 * abs(a[key]), (key, a[key], b[key])
PY
  run "${mpi[@]}" "$exe" evaluate -c "$work/train" --output "$work/eval2" --split all
  run "$exe" evaluate -c "$work/train" --output "$work/eval1all" --split all
  # Sums over trajectories in another order: equal to rounding.
  /usr/bin/python3 - "$work/eval1all/metrics.json" "$work/eval2/metrics.json" <<'PY' || fail "1 and 2 ranks disagree"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for key in ("mean_rel_l2", "rel_l2_last_step", "spectrum_log_error", "steps_above_threshold"):
    assert abs(a[key] - b[key]) <= 1e-9 * max(1.0, abs(a[key])), (key, a[key], b[key])
PY
fi

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
expect_input_error "missing dataset" "$work/none.h5" -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set "data.path=\"$work/none.h5\""
expect_input_error "channels vs window" "model.in_channels" -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set model.in_channels=10
expect_input_error "curriculum beyond the model" "train.curriculum_end" -- \
  "$exe" train --output "$work/bad" "${train_args[@]}" --set train.curriculum_end=9
expect_input_error "no checkpoint" "no checkpoint" -- \
  "$exe" predict -c "$work" --output "$work/bad"
expect_input_error "rollout past the data" "--steps" -- \
  "$exe" evaluate -c "$work/train" --output "$work/bad" --steps 100
[ ! -e "$work/bad" ] || [ -z "$(ls -A "$work/bad")" ] || fail "bad input left output in $work/bad"

exit $((failures > 0))
