#!/usr/bin/env bash
# Quickstart (1): set up, build, and run the main job on built-in defaults.
# Extra arguments go to `portaformer train` (e.g. --set train.steps=500).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PF_ROOT"
exec "$PF_BUILD/apps/portaformer" train --output "${PF_OUTPUT:-runs/mlp_demo}" "$@"
