#!/usr/bin/env bash
# `portaformer simulate` (kolmogorov2d and smoke3d) writes the same file on 1 and 2 ranks
# (trajectories are seeded by their index, not their rank), in The Well's layout, with nothing
# left beside it; a blow-up is an error naming the trajectory and leaves no file; an unstable
# smoke3d diffusion step is bad input.
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
# The 3D smoke simulator, likewise: identical on 1 and 2 ranks, density and cell-centred velocity.
smoke="$(cd "$(dirname "$0")/../../data" && pwd)/smoke3d.toml"
tiny=(--set grid.n=12 --set time.warmup_steps=2 --set time.n_frames=3 --set output.n_trajectories=3)
"$exe" simulate --deck "$smoke" --output "$work/smoke1.h5" "${tiny[@]}"
"$mpiexec" -n 2 --oversubscribe "$exe" simulate --deck "$smoke" --output "$work/smoke2.h5" "${tiny[@]}"
h5diff "$work/smoke1.h5" "$work/smoke2.h5" || { echo "FAIL: smoke3d 1-rank and 2-rank outputs differ" >&2; exit 1; }
h5ls -r "$work/smoke1.h5" | grep -q '/t0_fields/density *Dataset {3, 3, 12, 12, 12}' ||
  { echo "FAIL: t0_fields/density shape" >&2; h5ls -r "$work/smoke1.h5" >&2; exit 1; }
h5ls -r "$work/smoke1.h5" | grep -q '/t1_fields/velocity *Dataset {3, 3, 12, 12, 12, 3}' ||
  { echo "FAIL: smoke3d t1_fields/velocity shape" >&2; exit 1; }
for axis in x y z; do
  h5ls -r "$work/smoke1.h5" | grep -q "/boundary_conditions/${axis}_wall " ||
    { echo "FAIL: smoke3d boundary_conditions/${axis}_wall missing" >&2; exit 1; }
done
# An unstable explicit diffusion step is bad input: exit code 2 naming the key, no file.
set +e
"$exe" simulate --deck "$smoke" --output "$work/unstable.h5" --set physics.viscosity=0.01 2> "$work/unstable.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "FAIL: unstable diffusion exit code $rc, expected 2" >&2; exit 1; }
grep -q "physics.viscosity" "$work/unstable.err" ||
  { echo "FAIL: unstable diffusion message: $(cat "$work/unstable.err")" >&2; exit 1; }
if ls "$work" | grep -q 'unstable.h5'; then echo "FAIL: bad input left a file" >&2; exit 1; fi
if ls "$work" | grep -q 'part'; then echo "FAIL: part files left: $(ls "$work")" >&2; exit 1; fi
echo "simulate: 1-rank and 2-rank outputs identical (kolmogorov2d, smoke3d); blow-up reported"
