#!/usr/bin/python3
"""Read a PortaFormer structure dataset (docs/data-layout.md, "Crystal structures") in Python,
e.g. for PyTorch reference models and parity plots.

    from structure_dataset import load
    for s in load("runs/crystals.h5"):
        s["lattice"]  # (3, 3) float64, rows a, b, c in Å
        s["species"]  # (n,) int, atomic numbers
        s["frac"]     # (n, 3) float64, fractional coordinates in [0, 1)
        s["cart"]     # (n, 3) float64, Cartesian Å (frac @ lattice)
        s["targets"]  # {name: value}, NaN-free (missing targets left out)
        s["atoms"]    # {field: (n,) float64}: occupancy and per-atom fields such as charge

As a script it prints a summary (structures, atoms, targets with units and ranges):
    /usr/bin/python3 postprocess/structure_dataset.py runs/crystals.h5
With --ase, each structure is also converted to ase.Atoms (python3-ase) as a check.
Needs Debian's python3-h5py and python3-numpy.
"""
import sys

import h5py
import numpy as np


def load(path):
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") != "portaformer.structures":
            raise ValueError(f"{path}: not a PortaFormer structure dataset (@format)")
        offsets = f["structures/offsets"][:]
        lattice = f["lattice"][:]
        ids = [i.decode() if isinstance(i, bytes) else i for i in f["ids"][:]]
        species = f["atoms/species"][:].astype(np.int64)
        frac = f["atoms/frac"][:]
        fields = {name: f["atoms"][name][:] for name in f["atoms"] if name not in ("species", "frac")}
        names = [n.decode() if isinstance(n, bytes) else n for n in f["targets"].attrs["names"]]
        targets = {n: f["targets"][n][:] for n in names}
    out = []
    for i, sid in enumerate(ids):
        lo, hi = offsets[i], offsets[i + 1]
        out.append({
            "id": sid,
            "lattice": lattice[i],
            "species": species[lo:hi],
            "frac": frac[lo:hi],
            "cart": frac[lo:hi] @ lattice[i],
            "targets": {n: float(v[i]) for n, v in targets.items() if not np.isnan(v[i])},
            "atoms": {n: v[lo:hi] for n, v in fields.items()},
        })
    return out


def main(argv):
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    path = argv[0]
    structures = load(path)
    with h5py.File(path, "r") as f:
        units = {n: f["targets"][n].attrs["units"] for n in f["targets"]}
    atoms = sum(len(s["species"]) for s in structures)
    print(f"{path}: {len(structures)} structures, {atoms} atoms")
    for name, unit in sorted(units.items()):
        values = np.array([s["targets"][name] for s in structures if name in s["targets"]])
        unit = unit.decode() if isinstance(unit, bytes) else unit
        print(f"  {name} [{unit or '?'}]: {len(values)} values, "
              f"min {values.min():.4g}, mean {values.mean():.4g}, max {values.max():.4g}")
    if "--ase" in argv:
        from ase import Atoms
        for s in structures:
            a = Atoms(numbers=s["species"], scaled_positions=s["frac"], cell=s["lattice"], pbc=True)
            assert np.allclose(a.positions, s["cart"]), s["id"]
        print(f"  converted all {len(structures)} to ase.Atoms")


if __name__ == "__main__":
    main(sys.argv[1:])
