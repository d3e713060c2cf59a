#!/usr/bin/python3
"""Statistics of a `portaformer simulate` Kolmogorov-flow file: time-mean energy, enstrophy,
injection and dissipation (from scalars/), the time-mean shell energy spectrum E(k) of the stored
vorticity, and its log-log slope over a wavenumber range. Not part of CI.

usage: kolmogorov_spectrum.py FILE [--from T] [--fit KMIN KMAX] [--csv OUT]
Needs Debian's python3-h5py and python3-numpy."""
import argparse

import h5py
import numpy as np


def shell_spectrum(w):
    """w [n, n] vorticity → E(k), k = 0 .. n/2, with E = ½⟨|u|²⟩ = Σ_k E(k)."""
    n = w.shape[0]
    w_hat = np.fft.fft2(w) / n**2
    k = np.fft.fftfreq(n, 1.0 / n)
    kx, ky = np.meshgrid(k, k, indexing="ij")
    k2 = kx**2 + ky**2
    e = np.where(k2 > 0, 0.5 * np.abs(w_hat) ** 2 / np.where(k2 > 0, k2, 1), 0.0)
    shell = np.rint(np.sqrt(k2)).astype(int)
    spectrum = np.bincount(shell.ravel(), weights=e.ravel())
    return spectrum[: n // 2 + 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--from", dest="t0", type=float, default=None,
                    help="average frames with time ≥ T (default: all)")
    ap.add_argument("--fit", nargs=2, type=int, default=None, metavar=("KMIN", "KMAX"),
                    help="fit the slope of E(k) over [KMIN, KMAX] (default: 2k_f .. n/6)")
    ap.add_argument("--csv", default=None, help="write k, E(k) here")
    a = ap.parse_args()
    f = h5py.File(a.file, "r")
    t = f["dimensions/time"][:]
    sel = np.ones_like(t, dtype=bool) if a.t0 is None else t >= a.t0
    w = f["t0_fields/vorticity"]
    n = w.shape[-1]
    kf = int(f.attrs["forcing_wavenumber"])
    print(f"{a.file}: {w.shape[0]} trajectories, {sel.sum()} of {len(t)} frames "
          f"(t = {t[sel][0]:.3f} .. {t[sel][-1]:.3f}), stored {n}², solved "
          f"{int(f.attrs['solve_resolution'])}², Re {f.attrs['Re']:g}, drag {f.attrs['drag']:g}")
    for name in ["kinetic_energy", "enstrophy", "energy_injection", "dissipation"]:
        s = f["scalars/" + name][:, sel]
        print(f"  {name:17s} mean {s.mean():.5g}  std {s.std():.3g}  min {s.min():.4g}  "
              f"max {s.max():.4g}")
    e = f["scalars/kinetic_energy"][:, sel].mean()
    p = f["scalars/energy_injection"][:, sel].mean()
    d = f["scalars/dissipation"][:, sel].mean()
    drag = f.attrs["drag"]
    print(f"  mean budget: P − ε − 2αE = {p - d - 2 * drag * e:.4g} (≈ 0 in a statistically "
          f"steady state; P = {p:.4g})")
    spectrum = np.zeros(n // 2 + 1)
    count = 0
    for b in range(w.shape[0]):
        for i in np.nonzero(sel)[0]:
            spectrum += shell_spectrum(w[b, i].astype(np.float64))
            count += 1
    spectrum /= count
    k = np.arange(len(spectrum))
    kmin, kmax = a.fit if a.fit else (2 * kf, max(2 * kf + 2, n // 6))
    fit = (k >= kmin) & (k <= kmax) & (spectrum > 0)
    slope = np.polyfit(np.log(k[fit]), np.log(spectrum[fit]), 1)[0]
    print(f"  spectrum: Σ E(k) = {spectrum.sum():.5g}; peak at k = {spectrum[1:].argmax() + 1}; "
          f"slope over k ∈ [{kmin}, {kmax}]: {slope:.2f}")
    cut = min(n // 2, int(f.attrs["solve_resolution"]) // 3)  # the solver's 2/3 cut
    print(f"  E(k_f = {kf}) = {spectrum[kf]:.3e}, E({cut // 2}) = {spectrum[cut // 2]:.3e}, "
          f"E({cut}) = {spectrum[cut]:.3e}: {np.log10(spectrum[kf] / spectrum[cut]):.1f} decades "
          f"from k_f to the 2/3 cut")
    for kk in sorted({1, 2, 4, kf, 2 * kf, 16, 32, 48, 64, 85}):
        if kk < len(spectrum):
            print(f"    k = {kk:3d}  E(k) = {spectrum[kk]:.3e}")
    if a.csv:
        np.savetxt(a.csv, np.column_stack([k, spectrum]), delimiter=",", header="k,E",
                   comments="")


if __name__ == "__main__":
    main()
