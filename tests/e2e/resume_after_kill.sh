#!/usr/bin/env bash
# A run killed with SIGKILL and resumed from its last checkpoint must end with exactly the
# weights and optimizer state of an uninterrupted run (bitwise: h5diff with no tolerance).
# usage: resume_after_kill.sh <portaformer> <work dir>
set -euo pipefail
exe="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"

# check_resume NAME KILL_AT LAST_CHECKPOINT STEPS [train options...]
check_resume() {
  local name="$1" kill_at="$2" last_checkpoint="$3" steps="$4"; shift 4
  local args=(--set task=mlp_demo --set "train.steps=$steps" "$@")
  "$exe" train --output "$work/$name.straight" "${args[@]}"
  set +e
  "$exe" train --output "$work/$name.killed" "${args[@]}" --set "train.kill_at_step=$kill_at"
  local rc=$?
  set -e
  [ "$rc" -eq 137 ] || { echo "FAIL ($name): expected death by SIGKILL (137), got $rc" >&2; exit 1; }
  [ -f "$work/$name.killed/checkpoint_$last_checkpoint.h5" ] ||
    { echo "FAIL ($name): no checkpoint at step $last_checkpoint" >&2; exit 1; }
  [ ! -f "$work/$name.killed/checkpoint_$steps.h5" ] || { echo "FAIL ($name): finished?" >&2; exit 1; }
  "$exe" train --output "$work/$name.killed" "${args[@]}" --resume
  for group in /params /optimizer; do
    h5diff "$work/$name.straight/checkpoint_$steps.h5" "$work/$name.killed/checkpoint_$steps.h5" \
      "$group" || { echo "FAIL ($name): $group differs after resume" >&2; exit 1; }
  done
  echo "$name: resumed run matches the uninterrupted one bitwise (/params, /optimizer)"
}

# Mid-epoch: killed at 130, resumed from the checkpoint at 100 (7 steps per epoch).
check_resume mid_epoch 130 100 300 --set train.checkpoint_every=50 --set data.samples=2048 \
  --set schedule.kind=onecycle
# On an epoch boundary: 1792 training samples / 256 = 7 steps per epoch, checkpoint at 7.
check_resume epoch_boundary 9 7 30 --set train.checkpoint_every=7 --set data.samples=2048 \
  --set schedule.warmup_steps=5
