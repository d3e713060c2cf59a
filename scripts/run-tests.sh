#!/usr/bin/env bash
# Quickstart (2): set up, build, and run the whole test suite (unit tests, 1- and 2-rank MPI
# tests, the end-to-end demo and the resume-after-kill check) through CTest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# CTest launches mpiexec; OpenMPI refuses root unless told (CI runs as root).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --test-dir "$PF_BUILD" --output-on-failure -j "${PF_TEST_JOBS:-2}" "$@"
