#!/usr/bin/env bash
# Bad input must end with exit code 2 and a message naming the file or option, what was expected
# and what was found, before any output is written.
# usage: bad_input.sh <portaformer> <work dir>
set -uo pipefail
exe="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"
failures=0
expect_input_error() {  # expect_input_error <what> <text the message must contain> -- args...
  local what="$1" needle="$2"; shift 3
  local out rc
  out=$("$exe" train --output "$work/out" --set task=mlp_demo "$@" 2>&1 >/dev/null); rc=$?
  if [ "$rc" -ne 2 ] || [[ "$out" != *"$needle"* ]]; then
    echo "FAIL ($what): exit $rc, message: $out" >&2
    failures=$((failures + 1))
  else
    echo "ok ($what): $out"
  fi
}
printf '[optim]\nlr = "fast"\n' > "$work/typo.toml"
printf 'not an hdf5 file\n' > "$work/data.h5"
expect_input_error "unknown option" 'did you mean "optim.lr"' -- --set optim.lrr=1e-3
expect_input_error "wrong type in a deck" "typo.toml" -- --deck "$work/typo.toml"
expect_input_error "value out of range" "data.valid_fraction: expected a fraction in (0, 1), found -0.5" \
  -- --set data.valid_fraction=-0.5
expect_input_error "not a choice" 'model.activation' -- --set model.activation=swish
expect_input_error "dataset not HDF5" "$work/data.h5" -- --set "data.path=\"$work/data.h5\""
expect_input_error "missing deck" "nope.toml" -- --deck "$work/nope.toml"
if ls "$work"/out/*.tmp-* >/dev/null 2>&1; then echo "FAIL: temporary files left" >&2; failures=$((failures + 1)); fi
if ls "$work"/out/checkpoint_*.h5 >/dev/null 2>&1; then echo "FAIL: outputs written" >&2; failures=$((failures + 1)); fi
[ "$failures" -eq 0 ]
