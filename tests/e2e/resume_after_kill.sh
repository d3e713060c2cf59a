#!/usr/bin/env bash
# A run killed with SIGKILL and resumed from its last checkpoint must end with exactly the
# weights and optimizer state of an uninterrupted run (bitwise: h5diff with no tolerance).
# usage: resume_after_kill.sh <portaformer> <work dir>
set -euo pipefail
exe="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"
common=(--set train.steps=300 --set train.checkpoint_every=50 --set data.samples=2048
        --set schedule.kind=onecycle)
"$exe" train --output "$work/straight" "${common[@]}"
set +e
"$exe" train --output "$work/killed" "${common[@]}" --set train.kill_at_step=130
rc=$?
set -e
[ "$rc" -eq 137 ] || { echo "FAIL: expected the run to die by SIGKILL (137), got $rc" >&2; exit 1; }
[ -f "$work/killed/checkpoint_100.h5" ] || { echo "FAIL: no checkpoint at step 100" >&2; exit 1; }
[ ! -f "$work/killed/checkpoint_300.h5" ] || { echo "FAIL: killed run finished?" >&2; exit 1; }
"$exe" train --output "$work/killed" "${common[@]}" --resume
for group in /params /optimizer; do
  h5diff "$work/straight/checkpoint_300.h5" "$work/killed/checkpoint_300.h5" "$group" ||
    { echo "FAIL: $group differs after resume" >&2; exit 1; }
done
echo "resumed run matches the uninterrupted one bitwise (/params, /optimizer)"

# Again with a checkpoint on an epoch boundary: 1792 training samples / 256 = 7 steps per epoch,
# checkpoints every 7 steps, killed at 9, resumed from step 7.
boundary=(--set train.steps=30 --set train.checkpoint_every=7 --set data.samples=2048
          --set schedule.warmup_steps=5)
"$exe" train --output "$work/straight7" "${boundary[@]}"
set +e
"$exe" train --output "$work/killed7" "${boundary[@]}" --set train.kill_at_step=9
rc=$?
set -e
[ "$rc" -eq 137 ] || { echo "FAIL: expected SIGKILL (137), got $rc" >&2; exit 1; }
"$exe" train --output "$work/killed7" "${boundary[@]}" --resume
for group in /params /optimizer; do
  h5diff "$work/straight7/checkpoint_30.h5" "$work/killed7/checkpoint_30.h5" "$group" ||
    { echo "FAIL: $group differs after resuming at an epoch boundary" >&2; exit 1; }
done
echo "resumed at an epoch boundary: bitwise identical too"
