"""Render a crystal structure written by PortaFormer (src/io/vtk_crystal.hpp) to PNG: atoms as
spheres coloured by element (or by any per-atom array), the unit cell as a box, and the graph's
edges as tubes when an _edges.vtp file is there.

usage: xvfb-run -a pvbatch postprocess/render_crystal.py DIR/ID.vtm --out ID.png \\
           [--color-by species|charge|ewald_site_energy|...] [--radius 0.5] [--size 1000x1000]

ID.vtm lists ID.vtp (atoms), ID_cell.vtp and, if present, ID_edges.vtp; the script reads those
files directly (they sit next to the .vtm). Element colours are Jmol's for common elements and a
fixed grey otherwise; with --color-by another array, atoms are coloured by its values with a
colour bar.

Needs ParaView's Python (Debian: paraview and python3-paraview, which cannot be installed next to
libvtk9-dev). The Debian build renders through X only: run it under xvfb-run on a headless node.
"""
import argparse
import os
import sys

from paraview import servermanager
from paraview.simple import (ColorBy, CreateView, GetColorTransferFunction, GetScalarBar, Glyph,
                             SaveScreenshot, Show, Tube, XMLPolyDataReader)

# Jmol colours (RGB 0..1) for the elements our tests and generator use; others are grey.
ELEMENT_COLORS = {
    1: (1.0, 1.0, 1.0), 3: (0.80, 0.50, 1.0), 6: (0.56, 0.56, 0.56), 7: (0.19, 0.31, 0.97),
    8: (1.0, 0.05, 0.05), 9: (0.56, 0.88, 0.31), 11: (0.67, 0.36, 0.95), 12: (0.54, 1.0, 0.0),
    13: (0.75, 0.65, 0.65), 14: (0.94, 0.78, 0.63), 16: (1.0, 1.0, 0.19), 17: (0.12, 0.94, 0.12),
    19: (0.56, 0.25, 0.83), 20: (0.24, 1.0, 0.0), 22: (0.75, 0.76, 0.78), 26: (0.88, 0.40, 0.20),
    29: (0.78, 0.50, 0.20), 35: (0.65, 0.16, 0.16), 37: (0.44, 0.18, 0.69), 38: (0.0, 1.0, 0.0),
    39: (0.58, 1.0, 1.0), 53: (0.58, 0.0, 0.58), 55: (0.34, 0.09, 0.56), 56: (0.0, 0.79, 0.0),
    79: (1.0, 0.82, 0.14),
}
SYMBOLS = ("X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge "
           "As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm "
           "Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn").split()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vtm", help="ID.vtm written by portaformer structures-vtk (or write_crystal)")
    parser.add_argument("--out", required=True, help="PNG to write")
    parser.add_argument("--color-by", default="species", help="per-atom array to colour by")
    parser.add_argument("--radius", type=float, default=0.5, help="sphere radius in Å")
    parser.add_argument("--size", default="1000x1000", help="image size WIDTHxHEIGHT in pixels")
    args = parser.parse_args()
    if not args.vtm.endswith(".vtm") or not os.path.isfile(args.vtm):
        sys.exit(f"expected an existing .vtm file, found {args.vtm!r}")
    try:
        args.size = [int(v) for v in args.size.lower().split("x")]
        assert len(args.size) == 2 and min(args.size) > 0
    except (ValueError, AssertionError):
        sys.exit(f"--size: expected WIDTHxHEIGHT such as 1000x1000, found {args.size!r}")
    if args.radius <= 0:
        sys.exit(f"--radius: expected a positive length, found {args.radius}")
    return args


def main():
    args = parse_args()
    stem = args.vtm[:-len(".vtm")]
    view = CreateView("RenderView")
    view.ViewSize = args.size
    view.OrientationAxesVisibility = 1
    if hasattr(view, "UseColorPaletteForBackground"):
        view.UseColorPaletteForBackground = 0
    view.Background = [1.0, 1.0, 1.0]

    atoms = XMLPolyDataReader(FileName=[stem + ".vtp"])
    atoms.UpdatePipeline()
    arrays = atoms.PointData.keys()
    if args.color_by not in arrays:
        sys.exit(f"--color-by: {stem}.vtp has no point array {args.color_by!r}; it has {arrays}")
    spheres = Glyph(Input=atoms, GlyphType="Sphere")
    spheres.ScaleArray = ["POINTS", "No scale array"]
    spheres.ScaleFactor = 2.0 * args.radius  # the unit sphere source has radius 0.5
    spheres.GlyphMode = "All Points"
    spheres.GlyphType.ThetaResolution = 24
    spheres.GlyphType.PhiResolution = 24
    shown = Show(spheres, view)
    ColorBy(shown, ("POINTS", args.color_by))
    lut = GetColorTransferFunction(args.color_by)
    if args.color_by == "species":
        species = servermanager.Fetch(atoms).GetPointData().GetArray("species")
        present = sorted({int(species.GetValue(i)) for i in range(species.GetNumberOfTuples())})
        lut.InterpretValuesAsCategories = 1
        lut.Annotations = [str(v) for z in present for v in (z, SYMBOLS[z] if z < len(SYMBOLS) else z)]
        lut.IndexedColors = [c for z in present for c in ELEMENT_COLORS.get(z, (0.6, 0.6, 0.6))]
    else:
        lut.ApplyPreset("Cool to Warm", True)
    shown.SetScalarBarVisibility(view, True)
    bar = GetScalarBar(lut, view)
    bar.Title = "element" if args.color_by == "species" else args.color_by
    bar.ComponentTitle = ""
    bar.TitleColor = bar.LabelColor = [0.0, 0.0, 0.0]

    cell = XMLPolyDataReader(FileName=[stem + "_cell.vtp"])
    box = Show(cell, view)
    box.ColorArrayName = ["POINTS", ""]
    box.AmbientColor = box.DiffuseColor = [0.0, 0.0, 0.0]
    box.LineWidth = 2.0

    if os.path.isfile(stem + "_edges.vtp"):
        edges = Tube(Input=XMLPolyDataReader(FileName=[stem + "_edges.vtp"]))
        edges.Radius = 0.15 * args.radius
        tubes = Show(edges, view)
        tubes.ColorArrayName = ["POINTS", ""]
        tubes.AmbientColor = tubes.DiffuseColor = [0.5, 0.5, 0.5]

    view.ResetCamera()
    camera = view.GetActiveCamera()
    camera.Azimuth(30)
    camera.Elevation(20)
    view.ResetCamera()
    SaveScreenshot(args.out, view, ImageResolution=args.size)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
