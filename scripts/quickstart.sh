#!/usr/bin/env bash
# README command (1): install what is missing, build Release, run the default job: the
# comparison of x86_64, aarch64 and riscv64, each on its own core (--preset native: Zen 5,
# Neoverse V2, XiangShan), linear and lazy backends, on a workload where translation matters
# (traces/workloads/chase-aarch64.nptb.xz: a pointer chase over 256 MiB, a walk per 7 accesses;
# guest-virtual: two-dimensional translation), in steady state (--warm-pass), timed with SystemC.
# Extra arguments go to `nptsim compare` (see `build/sim/nptsim compare --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DNPTSIM_BUILD_TESTS=OFF -DNPTSIM_BUILD_BENCH=OFF \
  -DNPTSIM_LTO=ON >/dev/null
cmake --build build -j"$(nproc)" --target nptsim
echo
./build/sim/nptsim compare --trace traces/workloads/chase-aarch64.nptb.xz --preset native --warm-pass "$@"
