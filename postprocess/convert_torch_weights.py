#!/usr/bin/python3
"""Convert PyTorch weights (.pt/.pth) into PortaFormer's HDF5 weights file.

    /usr/bin/python3 postprocess/convert_torch_weights.py checkpoint.pth weights.h5 [--key model]

Accepts a state_dict, a training checkpoint holding one (the FactFormer reference saves
{'model': state_dict, 'optimizer': ..., ...}; 'state_dict' and 'model_state_dict' are found too,
or name it with --key), or a pickled nn.Module. Writes one float32 dataset per entry,
/params/<state_dict key>, in PyTorch's shape (Linear weight [out, in]); `portaformer forward
--weights` and the C++ load_params() match them by name. Integer buffers (BatchNorm's
num_batches_tracked) become float32 like PortaFormer stores them; anything else that is not a
real-valued tensor stops the conversion with a message naming it. A 'module.' prefix that
DataParallel adds to every key is removed (--keep-prefix keeps it).
Needs Debian's python3-torch and python3-h5py.
"""
import argparse
import sys

import h5py
import numpy as np
import torch

CONTAINER_KEYS = ("model", "state_dict", "model_state_dict", "net")


def find_state_dict(obj, key, source):
    if isinstance(obj, torch.nn.Module):
        return obj.state_dict(), "the pickled module's state_dict()"
    if not isinstance(obj, dict):
        raise SystemExit(f"{source}: expected a state_dict or a dict holding one, found {type(obj).__name__}")
    if key is not None:
        if key not in obj:
            raise SystemExit(f"{source}: no entry '{key}'; entries: {', '.join(map(str, obj))}")
        return find_state_dict(obj[key], None, f"{source}['{key}']")[0], f"entry '{key}'"
    if obj and all(isinstance(v, torch.Tensor) for v in obj.values()):
        return obj, "the top-level state_dict"
    for k in CONTAINER_KEYS:
        if isinstance(obj.get(k), dict) and obj[k]:
            return obj[k], f"entry '{k}'"
    raise SystemExit(f"{source}: no state_dict found: the top level is not all tensors and none of "
                     f"{', '.join(CONTAINER_KEYS)} is present (entries: {', '.join(map(str, obj))}); "
                     f"name the entry with --key")


def to_float32(name, value):
    if not isinstance(value, torch.Tensor):
        return None, f"{name}: expected a tensor, found {type(value).__name__}"
    if value.is_complex():
        return None, f"{name}: complex tensor ({value.dtype}) cannot be stored as float32"
    if value.dtype == torch.bool:
        return None, f"{name}: boolean tensor cannot be stored as float32"
    if value.is_sparse or value.layout != torch.strided:
        return None, f"{name}: {value.layout} tensor, only dense tensors convert"
    return value.detach().cpu().to(torch.float32).contiguous().numpy(), None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("input", help=".pt/.pth file written by torch.save")
    ap.add_argument("output", help="HDF5 file to write (replaced if present)")
    ap.add_argument("--key", help="entry of the checkpoint dict that holds the state_dict")
    ap.add_argument("--keep-prefix", action="store_true", help="keep a leading 'module.' on keys")
    args = ap.parse_args(argv)

    obj = torch.load(args.input, map_location="cpu")
    state, where = find_state_dict(obj, args.key, args.input)
    arrays, problems = {}, []
    for name, value in state.items():
        key = name if args.keep_prefix or not name.startswith("module.") else name[len("module."):]
        array, problem = to_float32(name, value)
        if problem:
            problems.append(problem)
        elif key in arrays:
            problems.append(f"{name}: key '{key}' appears twice after removing 'module.'")
        else:
            arrays[key] = array
    if problems:
        raise SystemExit(f"{args.input}: {len(problems)} entr{'y' if len(problems) == 1 else 'ies'} "
                         f"cannot be converted:\n  " + "\n  ".join(problems))

    with h5py.File(args.output, "w") as f:
        for key, array in arrays.items():
            f.create_dataset(f"params/{key}", data=array)
        f.attrs["converted_from"] = np.bytes_(args.input)
    total = sum(a.size for a in arrays.values())
    print(f"{args.output}: {len(arrays)} tensors ({total} values) from {where} of {args.input}")
    for key, array in arrays.items():
        print(f"  /params/{key} {list(array.shape)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
