#!/usr/bin/env bash
# `portaformer forward` on the checked-in PyTorch golden cases (FactFormer-2D and -3D, the model
# chosen by the weights): the written /output must match PyTorch's (fp64) output within 1e-5
# absolute (outputs have RMS ~0.2-1; the fp32 models' errors are below 2e-6 of that,
# tests/test_factformer{2,3}d_golden.cpp), with the model options read off the weights.
# Bad inputs end with exit code 2 and leave no output behind.
# usage: forward_golden.sh <portaformer> <source dir> <work dir>
set -uo pipefail
exe="$1"; src="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

run_case() {  # run_case <model>_<case> <latent steps> [extra args...]
  local name="$1" steps="$2"; shift 2
  local golden="$src/tests/data/factformer$name.h5" out="$work/$name.h5"
  if ! "$exe" forward --weights "$golden" --input "$golden" --latent-steps "$steps" \
       --output "$out" --log-level warn "$@"; then
    fail "$name: forward exited with $?"; return
  fi
  if ! h5diff -d 1e-5 "$out" "$golden" /output /output >"$work/$name.diff" 2>&1; then
    fail "$name: /output differs from PyTorch's by more than 1e-5:"; head -20 "$work/$name.diff" >&2
  else
    echo "ok ($name): /output within 1e-5 of PyTorch"
  fi
  h5dump -a /model_config "$out" >/dev/null 2>&1 || fail "$name: no model_config attribute"
}
run_case 2d_small 3
run_case 2d_scaled 2 --set model.domain_length=3.0
run_case 3d_small 2
run_case 3d_scaled 2 --set model.domain_length=3.0 --set model.padding=1

expect_input_error() {  # expect_input_error <what> <text> -- args...
  local what="$1" needle="$2"; shift 3
  local out rc
  out=$("$exe" forward --output "$work/bad.h5" --log-level warn "$@" 2>&1 >/dev/null); rc=$?
  if [ "$rc" -ne 2 ] || [[ "$out" != *"$needle"* ]]; then fail "$what: exit $rc, message: $out"
  else echo "ok ($what): ${out%%$'\n'*}"; fi
}
g="$src/tests/data/factformer2d_small.h5"
expect_input_error "input of the wrong shape" "expected shape [B, X, Y, 3], found [2, 3, 12, 10, 1]" \
  -- --weights "$g" --input "$g" --input-dataset /target
expect_input_error "too many latent steps" "--latent-steps: expected 1..3, found 4" \
  -- --weights "$g" --input "$g" --latent-steps 4
expect_input_error "weights that do not fit the deck" "simple_to_out.6.weight" \
  -- --weights "$g" --input "$g" --model-from deck --set model.in_channels=3
g3="$src/tests/data/factformer3d_small.h5"
expect_input_error "3D input with too few frames" "expected shape [B, 4, X, Y, Z, 4], found [2, 2, 4, 6, 8, 4]" \
  -- --weights "$g3" --input "$g3" --input-dataset /target
expect_input_error "3D weights that do not fit the deck" "encoder.layers.0.1.to_v.weight" \
  -- --weights "$g3" --input "$g3" --model-from deck --set model.dim=16 --set model.heads=3 \
     --set model.dim_head=8 --set model.depth=2 --set model.fourier_features=8 --set model.max_latent_steps=3
[ -e "$work/bad.h5" ] && fail "output written after an input error"
ls "$work"/*.tmp-* >/dev/null 2>&1 && fail "temporary files left"
[ "$failures" -eq 0 ]
