#!/usr/bin/env bash
# README command (2): install what is missing, build with warnings as errors, run the whole test
# suite; then build and run it again under AddressSanitizer + UndefinedBehaviorSanitizer; then
# build the libFuzzer targets with clang and fuzz each for a bounded time (NPTSIM_FUZZ_SECONDS,
# default 60).
#   --no-sanitize   skip the sanitizer and fuzzing passes (quicker local runs; CI runs them)
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=1
for a in "$@"; do
  case "$a" in
    --no-sanitize) sanitize=0 ;;
    *) echo "test.sh: unknown argument '$a' (only --no-sanitize)" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
jobs=$(nproc)

run_suite() {  # run_suite BUILD_DIR CMAKE_ARGS...
  local dir=$1
  shift
  echo "== configure and build $dir"
  cmake -S . -B "$dir" -DNPTSIM_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  echo "== test $dir"
  (cd "$dir" && ctest -j"$jobs" --output-on-failure --timeout 600)
}

run_suite build-ci -DCMAKE_BUILD_TYPE=Release
if [ "$sanitize" -eq 1 ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNPTSIM_SANITIZE=ON -DNPTSIM_BUILD_BENCH=OFF
  echo "== fuzz (clang, libFuzzer)"
  CXX=clang++ cmake -S . -B build-fuzz -DNPTSIM_FUZZ=ON -DNPTSIM_BUILD_TESTS=OFF -DNPTSIM_BUILD_BENCH=OFF \
    -DNPTSIM_FUZZ_SECONDS="${NPTSIM_FUZZ_SECONDS:-60}" >/dev/null
  cmake --build build-fuzz -j"$jobs" --target fuzz_trace_readers
  (cd build-fuzz && ctest -L fuzz --output-on-failure)
fi
echo "== all tests passed"
