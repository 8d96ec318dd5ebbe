#!/usr/bin/env bash
# README command (1): install what is missing, build Release, run the default job: the
# comparison of x86_64, aarch64 and riscv64 (linear and lazy backends) on a real program's trace
# (traces/samples/sort.nptb.xz, guest-virtual: two-dimensional translation), timed with SystemC.
# Extra arguments go to `nptsim compare` (see `build/sim/nptsim compare --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DNPTSIM_BUILD_TESTS=OFF -DNPTSIM_BUILD_BENCH=OFF \
  -DNPTSIM_LTO=ON >/dev/null
cmake --build build -j"$(nproc)" --target nptsim
echo
./build/sim/nptsim compare --trace traces/samples/sort.nptb.xz "$@"
