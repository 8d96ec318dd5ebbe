#!/usr/bin/env bash
# README command (1): install what is missing, build Release, run the default job: every
# architecture x backend on the built-in workload, with the comparison table.
# Extra arguments go to `nptsim run` (see `build/sim/nptsim run --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DNPTSIM_BUILD_TESTS=OFF -DNPTSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" --target nptsim
echo
./build/sim/nptsim run --arch all --backend all "$@"
