"""Render density volumes of a PortaFormer 3-D .pvd/.vti time series to PNG.

usage: xvfb-run -a pvbatch postprocess/render_volume.py --pvd run/vtk/traj_0000.pvd --out-dir run/png \\
           [--arrays density_pred,density_true] [--mode contour|volume] [--levels 0.25,0.5,0.75] \\
           [--size 1200x600] [--every 1]

--pvd also accepts a single .vti file. Each panel shows one scalar point array of the ImageData
files (by default the predicted and the true density side by side) inside the box outline,
seen from the same oblique camera, z up:
- contour (default): isosurfaces at the given fractions of the range [min, max] that all panels
  share at that time step, so equal surfaces mean equal values; coloured by level;
- volume: ParaView's ray-cast volume rendering with one shared colour and opacity map.
The time step's simulation time is in each panel's title. Writes OUT_DIR/volume_NNNN.png, NNNN
the time-step index in the .pvd.

Needs ParaView's Python (Debian: paraview and python3-paraview, which cannot be installed next to
libvtk9-dev). The Debian build renders through X only: run it under xvfb-run on a headless node.
"""
import argparse
import os
import sys

from paraview.simple import (ColorBy, Contour, CreateLayout, CreateView, GetAnimationScene,
                             GetColorTransferFunction, GetOpacityTransferFunction, Outline, PVDReader,
                             SaveScreenshot, Show, Text, XMLImageDataReader)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pvd", required=True, help=".pvd collection (or one .vti) written by portaformer predict")
    parser.add_argument("--out-dir", required=True, help="directory for volume_NNNN.png")
    parser.add_argument("--arrays", default="density_pred,density_true",
                        help="comma-separated scalar point arrays, one panel each, left to right")
    parser.add_argument("--mode", choices=("contour", "volume"), default="contour")
    parser.add_argument("--levels", default="0.25,0.5,0.75",
                        help="contour mode: isosurface values as fractions of the shared range")
    parser.add_argument("--size", default="1200x600", help="image size WIDTHxHEIGHT in pixels")
    parser.add_argument("--every", type=int, default=1, help="render every N-th time step")
    args = parser.parse_args()
    args.arrays = [a for a in args.arrays.split(",") if a]
    try:
        args.size = [int(v) for v in args.size.lower().split("x")]
        assert len(args.size) == 2 and min(args.size) > 0
    except (ValueError, AssertionError):
        sys.exit(f"--size: expected WIDTHxHEIGHT such as 1200x600, found {args.size!r}")
    try:
        args.levels = [float(v) for v in args.levels.split(",") if v]
        assert args.levels and all(0.0 < v < 1.0 for v in args.levels)
    except (ValueError, AssertionError):
        sys.exit(f"--levels: expected fractions in (0, 1) such as 0.25,0.5,0.75, found {args.levels!r}")
    if not args.arrays:
        sys.exit("--arrays: expected at least one array name")
    if args.every < 1:
        sys.exit(f"--every: expected a positive integer, found {args.every}")
    if not os.path.isfile(args.pvd):
        sys.exit(f"--pvd: {args.pvd} not found")
    return args


def open_series(path):
    path = os.path.abspath(path)
    return XMLImageDataReader(FileName=[path]) if path.endswith(".vti") else PVDReader(FileName=path)


def shared_range(reader, names):
    lo = min(reader.PointData[n].GetRange()[0] for n in names)
    hi = max(reader.PointData[n].GetRange()[1] for n in names)
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


def place_camera(view, bounds):
    """An oblique view of the whole box from the front-right, slightly above, z up."""
    x0, x1, y0, y1, z0, z1 = bounds
    centre = [(x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2]
    size = max(x1 - x0, y1 - y0, z1 - z0, 1e-30)
    view.CameraFocalPoint = centre
    view.CameraPosition = [centre[0] + 1.6 * size, centre[1] - 2.2 * size, centre[2] + 1.2 * size]
    view.CameraViewUp = [0, 0, 1]
    view.CameraViewAngle = 30


def main():
    args = parse_args()
    reader = open_series(args.pvd)
    reader.UpdatePipelineInformation()
    available = set(reader.PointData.keys())
    missing = [a for a in args.arrays if a not in available]
    if missing:
        sys.exit(f"{args.pvd}: no point array {', '.join(missing)}; it has {', '.join(sorted(available))}")
    vectors = [a for a in args.arrays if reader.PointData[a].GetNumberOfComponents() != 1]
    if vectors:
        sys.exit(f"{args.pvd}: {', '.join(vectors)} not scalar; pick scalar arrays such as density_pred")
    times = list(reader.TimestepValues) if reader.TimestepValues else [0.0]
    reader.UpdatePipeline(times[0])
    bounds = reader.GetDataInformation().GetBounds()
    if bounds[4] == bounds[5]:
        sys.exit(f"{args.pvd}: a 2-D image (one point thick in z); use render_frames.py for slices")

    layout = CreateLayout("volumes")
    # Equal columns: split the right-hand remainder again for each further panel. A layout cell's
    # children are cells 2c + 1 (left) and 2c + 2 (right).
    cells, cell = [], 0
    for k in range(len(args.arrays) - 1):
        layout.SplitHorizontal(cell, 1.0 / (len(args.arrays) - k))
        cells.append(2 * cell + 1)
        cell = 2 * cell + 2
    cells.append(cell)
    lut = GetColorTransferFunction("density_shared")
    lut.ApplyPreset("Viridis (matplotlib)", True)
    opacity = GetOpacityTransferFunction("density_shared")
    panels = []
    for name, cell in zip(args.arrays, cells):
        view = CreateView("RenderView")
        layout.AssignView(cell, view)
        view.OrientationAxesVisibility = 1
        outline_display = Show(Outline(Input=reader), view)
        outline_display.DiffuseColor = [0.3, 0.3, 0.3]
        if args.mode == "contour":
            contour = Contour(Input=reader)
            contour.ContourBy = ["POINTS", name]
            contour.ComputeScalars = 1
            display = Show(contour, view)
            ColorBy(display, ("POINTS", name))
            display.Opacity = 0.45  # nested surfaces stay visible through the outer ones
        else:
            contour = None
            display = Show(reader, view)
            display.Representation = "Volume"
            ColorBy(display, ("POINTS", name))
        display.LookupTable = lut
        if args.mode == "volume":
            display.ScalarOpacityFunction = opacity
        title = Text()
        title_display = Show(title, view)
        title_display.WindowLocation = "Upper Center"
        title_display.FontSize = 14
        place_camera(view, bounds)
        panels.append((name, view, contour, title))
    layout.SetSize(*args.size)

    scene = GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    os.makedirs(args.out_dir, exist_ok=True)
    for index in range(0, len(times), args.every):
        time = times[index]
        scene.AnimationTime = time
        reader.UpdatePipeline(time)
        lo, hi = shared_range(reader, args.arrays)
        lut.RescaleTransferFunction(lo, hi)
        opacity.RescaleTransferFunction(lo, hi)
        for name, view, contour, title in panels:
            if contour is not None:
                contour.Isosurfaces = [lo + f * (hi - lo) for f in args.levels]
            title.Text = f"{name}   t = {time:.4g}"
        path = os.path.join(args.out_dir, f"volume_{index:04d}.png")
        SaveScreenshot(path, layout, ImageResolution=args.size)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
