#!/usr/bin/env bash
# `portaformer simulate` with simulator = "crystals": the same structure dataset on 1 and 2
# ranks, nothing left beside it, and a deck it cannot satisfy ends with exit 2 and no file.
# usage: simulate_crystals.sh <portaformer> <work dir> <mpiexec>
set -euo pipefail
exe="$1"; work="$2"; mpiexec="$3"
rm -rf "$work"; mkdir -p "$work"
deck="$(cd "$(dirname "$0")/../../data" && pwd)/crystals_ewald.toml"
"$exe" simulate --deck "$deck" --output "$work/one.h5" --set output.n_structures=300
"$mpiexec" -n 2 --oversubscribe "$exe" simulate --deck "$deck" --output "$work/two.h5" \
  --set output.n_structures=300
if ls "$work" | grep -v -x -e one.h5 -e two.h5 | grep -q .; then
  echo "FAIL: files left beside the outputs: $(ls "$work")" >&2; exit 1
fi
h5diff "$work/one.h5" "$work/two.h5" || { echo "FAIL: 1-rank and 2-rank outputs differ" >&2; exit 1; }
h5ls -r "$work/one.h5" | grep -q '/targets/ewald_energy_per_atom *Dataset {300}' ||
  { echo "FAIL: target shape" >&2; h5ls -r "$work/one.h5" >&2; exit 1; }
set +e
"$exe" simulate --deck "$deck" --output "$work/bad.h5" --set cell.min_distance=5.0 2> "$work/bad.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "FAIL: impossible deck exit code $rc, expected 2" >&2; exit 1; }
grep -q "could not be placed 5 Å apart" "$work/bad.err" ||
  { echo "FAIL: message: $(cat "$work/bad.err")" >&2; exit 1; }
if ls "$work" | grep -q '^bad.h5'; then echo "FAIL: a file was left" >&2; exit 1; fi
echo "simulate crystals: 1-rank and 2-rank outputs identical; impossible deck reported"
