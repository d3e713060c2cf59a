#!/usr/bin/env bash
# `portaformer simulate` writes the same file on 1 and 2 ranks (trajectories are seeded by their
# index, not their rank), in The Well's layout, with nothing left beside it; a blow-up is an
# error naming the trajectory and leaves no file.
# usage: simulate_ranks.sh <portaformer> <work dir> <mpiexec>
set -euo pipefail
exe="$1"; work="$2"; mpiexec="$3"
rm -rf "$work"; mkdir -p "$work"
deck="$(cd "$(dirname "$0")/../../data" && pwd)/kolmogorov2d.toml"
small=(--set grid.solve_n=32 --set grid.store_n=16 --set time.warmup=0.25 --set time.n_frames=6
       --set output.n_trajectories=3 --set output.velocity=true --set physics.forcing_wavenumber=4)
"$exe" simulate --deck "$deck" --output "$work/one.h5" "${small[@]}"
"$mpiexec" -n 2 --oversubscribe "$exe" simulate --deck "$deck" --output "$work/two.h5" "${small[@]}"
for f in one.h5 two.h5; do [ -s "$work/$f" ] || { echo "FAIL: $work/$f missing" >&2; exit 1; }; done
if ls "$work" | grep -v -x -e one.h5 -e two.h5 | grep -q .; then
  echo "FAIL: files left beside the outputs: $(ls "$work")" >&2; exit 1
fi
h5diff "$work/one.h5" "$work/two.h5" || { echo "FAIL: 1-rank and 2-rank outputs differ" >&2; exit 1; }
h5ls -r "$work/one.h5" | grep -q '/t0_fields/vorticity *Dataset {3, 6, 16, 16}' ||
  { echo "FAIL: t0_fields/vorticity shape" >&2; h5ls -r "$work/one.h5" >&2; exit 1; }
h5ls -r "$work/one.h5" | grep -q '/t1_fields/velocity *Dataset {3, 6, 16, 16, 2}' ||
  { echo "FAIL: t1_fields/velocity shape" >&2; exit 1; }
# A blow-up (dt far beyond the CFL limit) stops with exit code 3 and leaves no file.
set +e
"$exe" simulate --deck "$deck" --output "$work/blow.h5" --set grid.solve_n=64 --set grid.store_n=64 \
  --set time.dt=0.5 --set time.frame_dt=0.5 --set time.warmup=5 2> "$work/blow.err"
rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "FAIL: blow-up exit code $rc, expected 3" >&2; exit 1; }
grep -q "trajectory 0: vorticity not finite at t = " "$work/blow.err" ||
  { echo "FAIL: blow-up message: $(cat "$work/blow.err")" >&2; exit 1; }
if ls "$work" | grep -q '^blow.h5'; then echo "FAIL: blow-up left a file" >&2; exit 1; fi
echo "simulate: 1-rank and 2-rank outputs identical; blow-up reported"
