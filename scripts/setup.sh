#!/usr/bin/env bash
# Installs PortaFormer's Debian 12 packages (only the missing ones), then configures and builds.
# Sourced by scripts/run-demo.sh and scripts/run-tests.sh; safe and fast to run again.
set -euo pipefail

PF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PF_BUILD="${PF_BUILD:-$PF_ROOT/build}"
PF_JOBS="${PF_JOBS:-$(nproc)}"

PF_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libtrilinos-kokkos-dev libtrilinos-kokkos-kernels-dev
  libopenblas-dev libopenblas0-pthread
  libhdf5-dev hdf5-tools
  libvtk9-dev libeigen3-dev
  libgtest-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  libfftw3-dev libcli11-dev libtoml11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  python3-matplotlib python3-h5py python3-numpy
  libsymspg-dev python3-ase
)

pf_install_packages() {
  local missing=()
  for p in "${PF_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

pf_build() {
  if [ ! -f "$PF_BUILD/build.ninja" ]; then
    # This build runs where it is built, so it may use the CPU's full instruction set
    # (PF_NATIVE=OFF for binaries that must run on other machines).
    cmake -S "$PF_ROOT" -B "$PF_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPF_ENABLE_NATIVE_ARCH="${PF_NATIVE:-ON}" ${PF_CMAKE_ARGS:-}
  fi
  cmake --build "$PF_BUILD" -j "$PF_JOBS"
}

pf_install_packages
pf_build
