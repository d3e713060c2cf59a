#!/usr/bin/env bash
# The crystal property pipeline through the CLI: simulate ionic crystals → train a tiny
# iComFormer (killed with SIGKILL and resumed: bitwise equal to an uninterrupted run) →
# evaluate on the test split → predict with VTK, from the dataset and from structure files;
# bad inputs end with exit 2, a message naming the problem, and no output.
# usage: crystal_pipeline.sh <portaformer> <source dir> <work dir>
set -euo pipefail
exe="$1"; src="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$exe" simulate --deck "$src/data/crystals_ewald.toml" --output "$work/crystals.h5" \
  --set output.n_structures=120 --log-level warn
# 96 training structures / batch 16 = 6 steps per epoch, 2 epochs, checkpoints every 4 steps.
train=(--deck "$src/data/icomformer_quickstart.toml" --set "data.path=\"$work/crystals.h5\""
       --set train.epochs=2 --set train.checkpoint_every=4 --set model.node_features=16
       --set model.fc_features=16 --set model.edge_features=16 --set model.triplet_input_features=16
       --set graph.max_neighbors=8 --log-level warn)
"$exe" train --output "$work/straight" "${train[@]}"
set +e
"$exe" train --output "$work/killed" "${train[@]}" --set train.kill_at_step=6
rc=$?
set -e
[ "$rc" -eq 137 ] || fail "expected death by SIGKILL (137), got $rc"
[ -f "$work/killed/checkpoint_4.h5" ] || fail "no checkpoint at step 4"
[ ! -f "$work/killed/checkpoint_12.h5" ] || fail "the killed run finished"
"$exe" train --output "$work/killed" "${train[@]}" --resume
for group in /params /optimizer /crystal; do
  h5diff "$work/straight/checkpoint_12.h5" "$work/killed/checkpoint_12.h5" "$group" ||
    fail "$group differs after resume"
done
[ -f "$work/straight/checkpoint_best.h5" ] || fail "no best checkpoint"
grep -q '"graph_ms_per_structure"' "$work/straight/metrics.json" || fail "graph time not reported"

"$exe" evaluate -c "$work/straight" --output "$work/eval" --log-level warn
/usr/bin/python3 - "$work/eval" <<'PY'
import json, sys, csv
d = sys.argv[1]
m = json.load(open(d + "/metrics.json"))
assert m["task"] == "crystal" and m["structures"] == 12 and m["part"] == "test", m
assert m["units"] == "eV/atom" and m["mae"] > 0 and m["rmse"] >= m["mae"], m
rows = [r for r in csv.reader(l for l in open(d + "/per_structure.csv") if not l.startswith("#"))]
assert rows[0] == ["id", "atoms", "ewald_energy_per_atom", "ewald_energy_per_atom_predicted", "error"]
assert len(rows) == 13
mae = sum(abs(float(r[4])) for r in rows[1:]) / 12
assert abs(mae - m["mae"]) < 1e-6 * max(1, m["mae"]), (mae, m["mae"])
PY
/usr/bin/python3 "$src/postprocess/plot_parity.py" "$work/eval" -o "$work/parity.png" > /dev/null
[ -s "$work/parity.png" ] || fail "parity plot"

"$exe" predict -c "$work/straight" --output "$work/pred" --vtk-max 3 --log-level warn
[ "$(grep -vc '^#' "$work/pred/predictions.csv")" -eq 13 ] || fail "predictions.csv rows"
ls "$work/pred/vtk"/00000_*.vtm "$work/pred/vtk"/00002_*_edges.vtp > /dev/null || fail "VTK files"
[ ! -e "$work/pred/vtk/00003_"* ] 2> /dev/null || true
h5ls -r "$work/pred/predictions.h5" | grep -q '/atoms/ewald_energy_per_atom_contribution' ||
  fail "contributions missing from predictions.h5"
/usr/bin/python3 - "$work/pred/predictions.h5" <<'PY'
import h5py, sys, numpy as np
f = h5py.File(sys.argv[1], "r")
o = f["structures/offsets"][:]
c = f["atoms/ewald_energy_per_atom_contribution"][:]
p = f["targets/ewald_energy_per_atom_predicted"][:]
means = np.array([c[o[i]:o[i + 1]].mean() for i in range(len(p))])
# fp32 network, fp64 linearisation: the mean of the contributions is the prediction.
assert np.allclose(means, p, rtol=1e-4, atol=1e-5), (means, p)
assert "charge" in f["atoms"], list(f["atoms"])
PY
"$exe" predict -c "$work/straight" --structures "$src/tests/data/crystal/NaCl.cif" \
  "$src/tests/data/crystal/rutile_TiO2.cif" --output "$work/files" --log-level warn
[ "$(grep -vc '^#' "$work/files/predictions.csv")" -eq 3 ] || fail "file predictions"

# expect_bad NAME MESSAGE OUTPUT_PATH command...: exit 2, MESSAGE in stderr, OUTPUT_PATH absent.
expect_bad() {
  local name="$1" message="$2" out="$3"; shift 3
  set +e
  "$@" 2> "$work/$name.err" > /dev/null
  local rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "$name: exit code $rc, expected 2: $(cat "$work/$name.err")"
  grep -qF "$message" "$work/$name.err" || fail "$name: message lacks '$message': $(cat "$work/$name.err")"
  [ ! -e "$out" ] || fail "$name: $out was written"
}
expect_bad missing_target "expected one of the targets" "$work/bad_target" \
  "$exe" train --output "$work/bad_target" "${train[@]}" --set 'data.target="band_gap"'
expect_bad wrong_kind "straight/checkpoint_12.h5" "$work/bad_kind" \
  "$exe" train --output "$work/bad_kind" "${train[@]}" \
  --set "data.path=\"$work/straight/checkpoint_12.h5\""
expect_bad unknown_element "unknown_element.xyz:4: unknown element 'Xx'" "$work/bad_element" \
  "$exe" predict -c "$work/straight" --structures "$src/tests/data/crystal/bad/unknown_element.xyz" \
  --output "$work/bad_element"
"$exe" import-structures "$src/tests/data/crystal/NaCl.cif" -o "$work/no_targets.h5" > /dev/null 2>&1
expect_bad no_truth "expected structures with target 'ewald_energy_per_atom'" "$work/bad_eval" \
  "$exe" evaluate -c "$work/straight" --data "$work/no_targets.h5" --output "$work/bad_eval"
echo "crystal pipeline: resume bitwise, evaluate, predict with VTK and contributions, bad inputs exit 2"
