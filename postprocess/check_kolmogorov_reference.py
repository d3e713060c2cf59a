#!/usr/bin/python3
"""Cross-check `portaformer simulate` against the FactFormer reference scheme, re-implemented here
in PyTorch (fp64) from its description in /work/shared/simulators.md: CN + Heun with the 2/3 mask
applied to the new state only, full complex FFTs, forcing −(k_f/2)·s² on modes (0, ±k_f).

Make a file whose stored grid is the solver grid and whose first frame is the initial state:
  portaformer simulate --output ref.h5 --set grid.solve_n=64 --set grid.store_n=64 \
    --set time.warmup=0 --set time.n_frames=9 --set time.scheme=cn_heun_reference \
    --set output.n_trajectories=1 --set output.velocity=true
  /usr/bin/python3 postprocess/check_kolmogorov_reference.py ref.h5
The reference starts from frame 0 (fp32, as stored) and takes the same steps; the printed
relative differences are bounded by the fp32 storage of the frames (~1e-7 per frame).
Needs Debian's python3-torch, python3-h5py, python3-numpy (Python ≥ 3.11 for tomllib)."""
import math
import sys
import tomllib

import h5py
import numpy as np
import torch


def main(path):
    f = h5py.File(path, "r")
    deck = tomllib.loads(f.attrs["config"])
    if deck["grid"]["solve_n"] != deck["grid"]["store_n"]:
        sys.exit("need grid.store_n == grid.solve_n (the reference steps the stored field)")
    if deck["physics"]["forcing_shape"] != "cos":
        sys.exit("the reference forces with cos")
    s = deck["grid"]["solve_n"]
    re, drag = deck["physics"]["reynolds"], deck["physics"]["drag"]
    kf, amp = deck["physics"]["forcing_wavenumber"], deck["physics"]["forcing_amplitude"]
    frame_dt = deck["time"]["frame_dt"]
    steps = math.ceil(frame_dt / deck["time"]["dt"] - 1e-9)
    dt = frame_dt / steps
    w = f["t0_fields/vorticity"][0].astype(np.float64)
    times = f["dimensions/time"][:]

    k = torch.cat((torch.arange(0, s // 2), torch.arange(-s // 2, 0))).double()
    ky = k.repeat(s, 1)
    kx = ky.t().clone()
    lap = kx**2 + ky**2
    inv_lap = lap.clone()
    inv_lap[0, 0] = 1.0
    inv_lap = 1.0 / inv_lap
    lin = lap / re + drag
    mask = (lap <= (s / 3.0) ** 2).double()
    mask[0, 0] = 0.0

    def explicit(wh):
        ww = torch.fft.ifft2(wh)
        psi = inv_lap * wh
        u = torch.fft.irfft2(psi * 1j * ky, s=(s, s))
        v = torch.fft.irfft2(psi * -1j * kx, s=(s, s))
        out = -1j * (kx * torch.fft.fft2(u * ww) + ky * torch.fft.fft2(v * ww))
        # A·cos(k_f y) on the unnormalised spectrum: A/2·s² on (0, ±k_f).
        out[0, kf] += amp / 2.0 * s**2
        out[0, -kf] += amp / 2.0 * s**2
        return out

    wh = torch.fft.fft2(torch.tensor(w[0]))
    worst = 0.0
    for frame in range(1, w.shape[0]):
        for _ in range(steps):
            g = wh - 0.5 * dt * lin * wh
            h1 = explicit(wh)
            w_tilde = (g + dt * h1) / (1 + 0.5 * dt * lin)
            h2 = 0.5 * (explicit(w_tilde) + h1)
            wh = mask * (g + dt * h2) / (1 + 0.5 * dt * lin)
        ref = torch.fft.irfft2(wh, s=(s, s)).numpy()
        err = np.abs(ref - w[frame]).max() / np.abs(ref).max()
        worst = max(worst, err)
        print(f"t = {times[frame]:.5f}: max|ω − ω_ref| / max|ω_ref| = {err:.2e}")
    print(f"worst {worst:.2e}")


if __name__ == "__main__":
    main(sys.argv[1])
