#!/usr/bin/env bash
# The end-to-end demo must cut its loss by orders of magnitude and leave complete outputs.
# usage: demo_converges.sh <portaformer> <work dir> [launcher...]
set -euo pipefail
exe="$1"; work="$2"; shift 2
rm -rf "$work"
deck="$(cd "$(dirname "$0")/../../data" && pwd)/mlp_demo.toml"
"$@" "$exe" train --deck "$deck" --output "$work" --set train.steps=1500 --set train.checkpoint_every=500
metrics="$work/metrics.json"
reduction=$(awk -F': ' '/"loss_reduction"/ {gsub(/,/, "", $2); print $2}' "$metrics")
valid=$(awk -F': ' '/"valid_mse"/ {gsub(/,/, "", $2); print $2}' "$metrics")
echo "loss reduction ${reduction}x, validation MSE ${valid}"
awk -v r="$reduction" -v v="$valid" 'BEGIN { exit !(r > 100 && v < 1e-3) }' ||
  { echo "FAIL: expected the loss to fall > 100x and validation MSE < 1e-3" >&2; exit 1; }
for f in mlp_demo_data.h5 checkpoint_1500.h5 history.csv; do
  [ -s "$work/$f" ] || { echo "FAIL: $work/$f missing" >&2; exit 1; }
done
if ls "$work"/*.tmp-* >/dev/null 2>&1; then echo "FAIL: temporary files left behind" >&2; exit 1; fi
grep -q '"config"' "$metrics" || { echo "FAIL: resolved deck missing from metrics.json" >&2; exit 1; }
