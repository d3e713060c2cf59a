#!/usr/bin/env bash
# `portaformer import-structures` on good and bad files: the dataset holds what was read, a bad
# file stops the run (exit 2, nothing written, an earlier dataset untouched) or is skipped and
# named, as the user chose.
# usage: import_structures.sh <portaformer> <source dir> <work dir>
set -uo pipefail
exe="$1"; src="$2"; work="$3"
data="$src/tests/data/crystal"
rm -rf "$work"; mkdir -p "$work/good" "$work/mixed"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
attr() { h5dump -a "$2" "$1" | sed -n 's/^ *(0): *//p' | head -1; }

cp "$data"/NaCl.cif "$data"/rutile_TiO2.cif "$data"/frames.extxyz "$data"/CONTCAR_rutile "$work/good/"
cp "$work"/good/* "$work/mixed/"
cp "$data"/bad/overlap.xyz "$data"/bad/truncated.vasp "$work/mixed/"
printf 'id,gap\nNaCl,8.5\nrutile_TiO2,3.0\nframes:0,7.0\nframes:1,0.0\nCONTCAR_rutile,3.1\n' > "$work/gap.csv"

# 1. Good files with targets from a CSV and units.
"$exe" import-structures "$work/good" --targets "$work/gap.csv" --units gap=eV --primitive \
  -o "$work/good.h5" > "$work/good.log" 2>&1 || fail "good import exited $?: $(cat "$work/good.log")"
[ "$(attr "$work/good.h5" /n_structures)" = "5" ] || fail "expected 5 structures in good.h5"
h5dump -a /targets/gap/units "$work/good.h5" | grep -q '"eV"' || fail "gap units not stored"
h5dump -d /targets/gap "$work/good.h5" | grep -q '3.1' || fail "CSV target 3.1 not stored"
cp "$work/good.h5" "$work/good.before"

# 2. --on-error stop (default): exit 2, message names the first bad file, nothing written, and
#    an existing dataset at the output path is left as it was.
out=$("$exe" import-structures "$work/mixed" -o "$work/good.h5" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "stop: expected exit 2, found $rc"
[[ "$out" == *"overlap.xyz:4: overlapping atoms"* ]] || fail "stop: message lacks the file and line: $out"
cmp -s "$work/good.h5" "$work/good.before" || fail "stop: the earlier dataset was changed"
"$exe" import-structures "$work/mixed" -o "$work/stopped.h5" > /dev/null 2>&1
[ ! -e "$work/stopped.h5" ] || fail "stop: a dataset was written"

# 3. --on-error skip: exit 0, both bad files named with line and problem, good ones imported.
out=$("$exe" import-structures "$work/mixed" --on-error skip -o "$work/skipped.h5" 2>&1); rc=$?
[ "$rc" -eq 0 ] || fail "skip: expected exit 0, found $rc: $out"
[[ "$out" == *"2 file(s) failed and were skipped"* ]] || fail "skip: no failure count: $out"
[[ "$out" == *"overlap.xyz:4: overlapping atoms"* ]] || fail "skip: overlap.xyz not named: $out"
[[ "$out" == *"truncated.vasp:12: truncated file"* ]] || fail "skip: truncated.vasp not named: $out"
[ "$(attr "$work/skipped.h5" /n_structures)" = "5" ] || fail "skip: expected 5 structures"

# 4. A structure without a CSV row fails its file; only bad files means no dataset.
printf 'id,gap\nNaCl,8.5\n' > "$work/partial.csv"
out=$("$exe" import-structures "$work/good/NaCl.cif" "$work/good/CONTCAR_rutile" \
  --targets "$work/partial.csv" -o "$work/rows.h5" 2>&1); rc=$?
[ "$rc" -eq 2 ] && [[ "$out" == *"'CONTCAR_rutile' has no row in"* ]] || fail "missing row: exit $rc: $out"
out=$("$exe" import-structures "$data/bad/overlap.xyz" --on-error skip -o "$work/none.h5" 2>&1); rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$work/none.h5" ] || fail "all bad: exit $rc, output $(ls "$work")"

# 5. The imported structures as VTK: one atoms file, one cell box and an index per structure.
"$exe" structures-vtk "$work/skipped.h5" -o "$work/vtk" -n 0 > /dev/null 2>&1 || fail "structures-vtk exited $?"
[ "$(ls "$work"/vtk/*.vtm 2>/dev/null | wc -l)" -eq 5 ] || fail "expected 5 .vtm files: $(ls "$work/vtk")"
[ -s "$work/vtk/frames.extxyz_0_cell.vtp" ] || fail "cell box of frames.extxyz:0 missing"

if ls "$work"/*.tmp-* > /dev/null 2>&1; then fail "temporary files left"; fi
[ "$failures" -eq 0 ] && echo "import_structures: all checks passed"
