#!/usr/bin/python3
"""Baselines for a crystal property split made by `portaformer train` (task = "crystal"):
the training mean, and a composition-only model (least squares on the element fractions plus
an intercept, minimum-norm when elements are collinear). Both see exactly the training
structures of the run's split.csv and are scored on its test structures.

usage: scripts/crystal_baselines.py RUN_DIR [--data DATASET.h5] [--target NAME]
Prints one CSV row per baseline: model,n_train,mae,units (the columns of
postprocess/plot_learning_curve.py). DATASET and TARGET default to the run's metrics.json.
Needs Debian's python3-h5py and python3-numpy.
"""
import argparse
import csv
import json
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "postprocess"))
from structure_dataset import load  # noqa: E402


def fractions(structure, elements):
    z = structure["species"]
    return np.array([np.mean(z == e) for e in elements])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir", type=pathlib.Path)
    parser.add_argument("--data")
    parser.add_argument("--target")
    parser.add_argument("--header", action="store_true", help="print the CSV header first")
    args = parser.parse_args()
    metrics = json.loads((args.run_dir / "metrics.json").read_text())
    data = args.data or metrics["data"]
    target = args.target or metrics["target"]
    units = metrics.get("units", "")
    structures = load(data)
    with (args.run_dir / "split.csv").open() as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    part = {"train": [], "test": []}
    for r in rows:
        if r["part"] in part:
            part[r["part"]].append(int(r["index"]))
    if not part["train"] or not part["test"]:
        sys.exit(f"{args.run_dir}/split.csv: expected training and test structures")
    y_train = np.array([structures[i]["targets"][target] for i in part["train"]])
    y_test = np.array([structures[i]["targets"][target] for i in part["test"]])
    elements = sorted({int(z) for i in part["train"] for z in structures[i]["species"]})
    x_train = np.array([np.append(fractions(structures[i], elements), 1.0) for i in part["train"]])
    x_test = np.array([np.append(fractions(structures[i], elements), 1.0) for i in part["test"]])
    coef, *_ = np.linalg.lstsq(x_train, y_train, rcond=None)
    n = len(part["train"])
    if args.header:
        print("model,n_train,mae,units")
    print(f"mean predictor,{n},{np.mean(np.abs(y_train.mean() - y_test)):.6g},{units}")
    print(f"composition least squares,{n},{np.mean(np.abs(x_test @ coef - y_test)):.6g},{units}")


if __name__ == "__main__":
    main()
