"""Render a PortaFormer .pvd time series to PNG: one row of panels per time step.

usage: xvfb-run -a pvbatch postprocess/render_frames.py --pvd run/rollout.pvd --out-dir run/png \\
           [--arrays vorticity_pred,vorticity_true,vorticity_error] [--size 1500x500] [--every 1]

Each panel colours one scalar point array of the ImageData files the .pvd lists (a 3D grid shows its
middle z slice), with its own colour bar and the simulation time in its title. Vorticity is
signed, so colour ranges are symmetric about zero and set per frame: arrays whose name ends in
"_error" each get their own range, all other arrays share one (so predicted and true fields are
coloured alike). Writes OUT_DIR/frame_NNNN.png, NNNN the time-step index in the .pvd.

Needs ParaView's Python (Debian: paraview and python3-paraview, which cannot be installed next to
libvtk9-dev). The Debian build renders through X only: run it under xvfb-run on a headless node.
"""
import argparse
import os
import sys

from paraview.simple import (ColorBy, CreateLayout, CreateView, GetAnimationScene, GetColorTransferFunction,
                             GetScalarBar, PVDReader, SaveScreenshot, Show, Text)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pvd", required=True, help=".pvd collection written by portaformer")
    parser.add_argument("--out-dir", required=True, help="directory for frame_NNNN.png")
    parser.add_argument("--arrays", default="vorticity_pred,vorticity_true,vorticity_error",
                        help="comma-separated point arrays, one panel each, left to right")
    parser.add_argument("--size", default="1500x500", help="image size WIDTHxHEIGHT in pixels")
    parser.add_argument("--every", type=int, default=1, help="render every N-th time step")
    args = parser.parse_args()
    args.arrays = [a for a in args.arrays.split(",") if a]
    try:
        args.size = [int(v) for v in args.size.lower().split("x")]
        assert len(args.size) == 2 and min(args.size) > 0
    except (ValueError, AssertionError):
        sys.exit(f"--size: expected WIDTHxHEIGHT such as 1500x500, found {args.size!r}")
    if not args.arrays:
        sys.exit("--arrays: expected at least one array name")
    if args.every < 1:
        sys.exit(f"--every: expected a positive integer, found {args.every}")
    if not os.path.isfile(args.pvd):
        sys.exit(f"--pvd: {args.pvd} not found")
    return args


def symmetric_range(reader, names):
    extent = max(max(abs(v) for v in reader.PointData[n].GetRange()) for n in names)
    return extent if extent > 0 else 1.0


def fit_camera(view, reader, aspect):
    """Looks down z at the whole x-y extent, with room for the title above and the colour bar below."""
    x0, x1, y0, y1, _, z1 = reader.GetDataInformation().GetBounds()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    view.CameraParallelProjection = 1
    view.CameraFocalPoint = [cx, cy, z1]
    view.CameraPosition = [cx, cy, z1 + 10 * max(x1 - x0, y1 - y0, 1e-30)]
    view.CameraViewUp = [0, 1, 0]
    # The parallel scale is half the visible height.
    view.CameraParallelScale = 0.5 * max(y1 - y0, (x1 - x0) / aspect) * 1.35


def main():
    args = parse_args()
    reader = PVDReader(FileName=os.path.abspath(args.pvd))
    reader.UpdatePipelineInformation()
    available = set(reader.PointData.keys())
    missing = [a for a in args.arrays if a not in available]
    if missing:
        sys.exit(f"{args.pvd}: no point array {', '.join(missing)}; it has {', '.join(sorted(available))}")
    times = list(reader.TimestepValues) if reader.TimestepValues else [0.0]
    reader.UpdatePipeline(times[0])
    z_extent = reader.GetDataInformation().GetExtent()[4:6]
    middle_z = (z_extent[1] - z_extent[0]) // 2

    layout = CreateLayout("frames")
    # Equal columns: split the right-hand remainder again for each further panel. A layout cell's
    # children are cells 2c + 1 (left) and 2c + 2 (right).
    cells, cell = [], 0
    for k in range(len(args.arrays) - 1):
        layout.SplitHorizontal(cell, 1.0 / (len(args.arrays) - k))
        cells.append(2 * cell + 1)
        cell = 2 * cell + 2
    cells.append(cell)
    panels = []
    for name, cell in zip(args.arrays, cells):
        view = CreateView("RenderView")
        layout.AssignView(cell, view)
        view.OrientationAxesVisibility = 0
        view.InteractionMode = "2D"
        display = Show(reader, view)
        display.Representation = "Slice"
        display.SliceMode = "XY Plane"
        display.Slice = middle_z
        ColorBy(display, ("POINTS", name))
        lut = GetColorTransferFunction(name)
        lut.ApplyPreset("Cool to Warm", True)
        display.SetScalarBarVisibility(view, True)
        bar = GetScalarBar(lut, view)
        bar.Orientation = "Horizontal"
        bar.WindowLocation = "Lower Center"
        bar.Title = ""
        bar.ComponentTitle = ""
        title = Text()
        title_display = Show(title, view)
        title_display.WindowLocation = "Upper Center"
        title_display.FontSize = 14
        fit_camera(view, reader, args.size[0] / len(args.arrays) / args.size[1])
        panels.append((name, view, lut, title))
    layout.SetSize(*args.size)

    shared = [a for a in args.arrays if not a.endswith("_error")]
    scene = GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    os.makedirs(args.out_dir, exist_ok=True)
    for index in range(0, len(times), args.every):
        time = times[index]
        scene.AnimationTime = time
        reader.UpdatePipeline(time)
        shared_extent = symmetric_range(reader, shared) if shared else None
        for name, view, lut, title in panels:
            extent = shared_extent if name in shared else symmetric_range(reader, [name])
            lut.RescaleTransferFunction(-extent, extent)
            title.Text = f"{name}   t = {time:.4g}"
        path = os.path.join(args.out_dir, f"frame_{index:04d}.png")
        SaveScreenshot(path, layout, ImageResolution=args.size)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
