#!/usr/bin/env bash
# Quickstart (1): set up, build, then run the main job on built-in defaults — simulate 2-D
# Kolmogorov flow, train FactFormer-2D on it briefly, roll it out on the test trajectory,
# evaluate the rollout, and write VTK for ParaView plus PNG figures.
# Outputs go to $PF_OUTPUT (default runs/quickstart); extra arguments go to `portaformer train`
# (e.g. --set train.steps=2000). Running it again continues where it stopped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PF_ROOT"
out="${PF_OUTPUT:-runs/quickstart}"
pf="$PF_BUILD/apps/portaformer"
py=/usr/bin/python3  # Debian's, with matplotlib and h5py
mkdir -p "$out"

step() { echo; echo "== $*"; }

step "1/5 simulate: data/kolmogorov2d.toml -> $out/kolmogorov2d.h5"
if [ -f "$out/kolmogorov2d.h5" ]; then
  echo "(kept from an earlier run; delete it to simulate again)"
else
  "$pf" simulate --deck data/kolmogorov2d.toml --output "$out/kolmogorov2d.h5"
fi

step "2/5 train: data/factformer2d_quickstart.toml -> $out/train"
"$pf" train --deck data/factformer2d_quickstart.toml --set "data.path=\"$out/kolmogorov2d.h5\"" \
  --output "$out/train" --resume "$@"

step "3/5 predict: rollout of the test trajectory -> $out/predict"
"$pf" predict --checkpoint "$out/train" --output "$out/predict"

step "4/5 evaluate -> $out/evaluate"
"$pf" evaluate --checkpoint "$out/train" --output "$out/evaluate"

step "5/5 figures"
traj=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["trajectories"][0])' \
  "$out/predict/predict.json")
"$py" postprocess/plot_history.py "$out/train" -o "$out/history.png"
"$py" postprocess/plot_frames.py --pred "$out/predict/predictions.h5" --true "$out/kolmogorov2d.h5" \
  --field vorticity --traj 0 --true-traj "$traj" -o "$out/frames.png"
"$py" postprocess/plot_rollout.py "$out/evaluate" -o "$out/rollout.png"
if command -v pvbatch >/dev/null && command -v xvfb-run >/dev/null; then
  xvfb-run -a pvbatch postprocess/render_frames.py --pvd "$out/predict/vtk/traj_$(printf %04d "$traj").pvd" \
    --out-dir "$out/paraview" --every 8
else
  echo "(ParaView's pvbatch not found: skipped postprocess/render_frames.py; see README)"
fi

cat <<DONE

Outputs in $out/:
  kolmogorov2d.h5        simulated vorticity, The Well's layout (docs/data-layout.md)
  train/                 checkpoints, metrics.json, history.csv    -> history.png
  predict/predictions.h5 predicted vorticity (same layout); predict/vtk/traj_*.pvd for ParaView
  evaluate/              metrics.json, rollout_metrics.csv, spectrum.csv -> rollout.png
  frames.png             predicted / true / error vorticity at six rollout steps
DONE
"$py" -c 'import json,sys; m=json.load(open(sys.argv[1])); print("  rollout: mean rel-L2 %.3f over %d steps; correlation > 0.8 for %.3g time units" % (m["mean_rel_l2"], m["steps"], m["time_above_threshold"]))' "$out/evaluate/metrics.json"
