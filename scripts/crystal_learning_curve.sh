#!/usr/bin/env bash
# Learning curve on the synthetic Ewald set (docs/crystals.md, "Results"): 4000 random ionic
# crystals (`simulate`, data/crystals_ewald.toml, seed 0); a fixed split of 500 test and 500
# validation structures; iComFormer and eComFormer trained on the first N of the remaining
# 3000 for each N in $SIZES, scored with `evaluate` on the 500 test structures, beside the
# training mean and a composition-only least-squares fit (scripts/crystal_baselines.py).
# Each size trains for about $STEPS optimizer steps (epochs = ⌈STEPS·BATCH/N⌉), so the
# compute per point is about constant; the width is reduced to $WIDTH channels for CPU, and
# the 500 validation structures are scored 10 times per run rather than every epoch.
# usage: scripts/crystal_learning_curve.sh [portaformer] [work dir]
# Writes WORK/curve.csv (model,n_train,mae,units) and WORK/curve.png.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exe="${1:-$root/build/apps/portaformer}"
work="${2:-runs/crystal_curve}"
sizes="${SIZES:-250 500 1000 2000}"
models="${MODELS:-icomformer ecomformer}"
width="${WIDTH:-32}"; steps="${STEPS:-400}"; batch="${BATCH:-32}"; k="${NEIGHBORS:-12}"
mkdir -p "$work"
[ -f "$work/crystals.h5" ] ||
  "$exe" simulate --deck "$root/data/crystals_ewald.toml" -o "$work/crystals.h5" \
    --set output.n_structures=4000 --log-level warn
csv="$work/curve.csv"
{ echo "# scripts/crystal_learning_curve.sh: SIZES='$sizes' WIDTH=$width STEPS=$steps BATCH=$batch k=$k"
  echo "model,n_train,mae,units"; } > "$csv"
for n in $sizes; do
  epochs=$(( (steps * batch + n - 1) / n ))
  for model in $models; do
    run="$work/${model}_$n"
    start=$(date +%s)
    "$exe" train --deck "$root/data/$model.toml" --output "$run" --log-level warn \
      --set "data.path=\"$work/crystals.h5\"" --set 'data.target="ewald_energy_per_atom"' \
      --set data.valid_fraction=0.125 --set data.test_fraction=0.125 --set "data.max_train=$n" \
      --set "model.node_features=$width" --set "model.fc_features=$width" \
      --set "model.edge_features=$width" --set "model.triplet_input_features=$width" \
      --set "model.atom_input_features=$width" --set "graph.max_neighbors=$k" \
      --set "train.epochs=$epochs" --set "train.batch_size=$batch" \
      --set "train.validate_every=$(( steps / 10 ))"
    "$exe" evaluate -c "$run" --output "$run/eval" --log-level warn
    mae=$(/usr/bin/python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m['mae'], m['units'])" "$run/eval/metrics.json")
    echo "$model,$n,${mae% *},${mae#* }" >> "$csv"
    echo "$model N=$n: $epochs epochs, test MAE ${mae} ($(( $(date +%s) - start )) s)"
  done
  /usr/bin/python3 "$root/scripts/crystal_baselines.py" "$work/$(echo $models | cut -d' ' -f1)_$n" >> "$csv"
done
/usr/bin/python3 "$root/postprocess/plot_learning_curve.py" "$csv" -o "$work/curve.png" \
  --title "Ewald energy per atom, 500 test structures"
cat "$csv"
