#!/usr/bin/env bash
# End-to-end throughput report of `nptsim run` (issue 6): builds Release in its own build
# directory, runs nptsim on TLB-hit, walk and fault dominated streams and on the sample traces,
# for each architecture, timing on and off, and writes bench/results/<name>.json and
# bench/results/REPORT.md. See bench/README.md, "End-to-end report".
#
#   bash bench/run_report.sh                 # full report: median of 5 runs per case
#   bash bench/run_report.sh --quick         # smoke test: small sizes, 1 run (written to /tmp)
#   bash bench/run_report.sh --help          # every option
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

build_dir="$repo/build-bench-release"
rev=""            # empty: build the working tree; else build a clean `git archive` of this commit
clean=0
nptsim=""         # an existing nptsim: skip the build
wait_load=""      # wait (up to wait_max s) until the 1-minute load average is below this
wait_max=900
nice_build=10
jobs="$(nproc)"
py_args=()

usage() {
  cat <<EOF
Usage: bash bench/run_report.sh [OPTIONS]

Builds nptsim (Release, tests and benchmarks off) into its own build directory and writes the
end-to-end throughput report.

Build:
  --build-dir DIR   build directory (default: build-bench-release in the repository)
  --rev REV         build a clean snapshot of commit REV (git archive; the working tree is
                    not used, so others' uncommitted edits cannot leak into the build)
  --clean           delete the build directory first (a build from scratch)
  --nptsim PATH     use this nptsim executable, build nothing
  --jobs N          parallel compile jobs (default: nproc); the build runs under nice -n 10
Runs:
  --runs N          runs per case, the median is reported (default 5)
  --quick           smoke test: small streams, 1 run, results in /tmp/nptsim-bench-quick
  --out DIR         where to write <name>.json and REPORT.md (default bench/results)
  --name NAME       results file name (default e2e; e2e-quick with --quick)
  --only LIST       comma-separated case groups: tlbhit,walk1d,walk2d,walk2d_nocache,
                    fault,samples,samples_nocache,memory (default: all)
  --wait-load L     before running, wait until the 1-minute load average is below L
                    (polls every 30 s, at most --wait-max seconds, default 900; then runs
                    anyway and the report shows the load)
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --build-dir) build_dir="$(realpath -m "$2")"; shift 2 ;;
    --rev) rev="$2"; shift 2 ;;
    --clean) clean=1; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --nptsim) nptsim="$(realpath "$2")"; shift 2 ;;
    --wait-load) wait_load="$2"; shift 2 ;;
    --wait-max) wait_max="$2"; shift 2 ;;
    --runs|--out|--name|--only) py_args+=("$1" "$2"); shift 2 ;;
    --quick) py_args+=("$1"); shift ;;
    *) echo "run_report.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

source_desc=""
if [[ -z "$nptsim" ]]; then
  [[ $clean -eq 1 ]] && rm -rf "$build_dir"
  mkdir -p "$build_dir"
  src="$repo"
  if [[ -n "$rev" ]]; then
    commit="$(git -C "$repo" rev-parse --verify "$rev^{commit}")"
    src="$build_dir/src"
    # Re-extract only when the commit changed, so an unchanged snapshot builds incrementally.
    if [[ "$(cat "$src/.nptsim-commit" 2>/dev/null || true)" != "$commit" ]]; then
      rm -rf "$src" && mkdir -p "$src"
      git -C "$repo" archive --format=tar "$commit" | tar -x -C "$src"
      echo "$commit" > "$src/.nptsim-commit"
    fi
    source_desc="snapshot:$commit"
  else
    source_desc="worktree"
  fi
  gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  obj="$build_dir/obj"
  echo "== configure ($src -> $obj)"
  # -g only adds debug information (for profiles); it does not change the generated code.
  cmake -S "$src" -B "$obj" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-g \
    -DNPTSIM_BUILD_TESTS=OFF -DNPTSIM_BUILD_BENCH=OFF -DNPTSIM_LTO=ON >"$build_dir/configure.log" 2>&1 \
    || { cat "$build_dir/configure.log" >&2; exit 1; }
  echo "== build (nice -n $nice_build, -j$jobs)"
  nice -n "$nice_build" cmake --build "$obj" -j"$jobs" --target nptsim >"$build_dir/build.log" 2>&1 \
    || { tail -50 "$build_dir/build.log" >&2; exit 1; }
  nptsim="$obj/sim/nptsim"
  py_args+=(--source-dir "$src" --build-type Release)
else
  source_desc="prebuilt:$nptsim"
fi

if [[ -n "$wait_load" ]]; then
  waited=0
  while :; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if python3 -c "import sys; sys.exit(0 if float('$load') < float('$wait_load') else 1)"; then break; fi
    if (( waited >= wait_max )); then echo "== load $load still >= $wait_load after ${waited}s: running anyway"; break; fi
    echo "== load $load >= $wait_load: waiting (${waited}s of ${wait_max}s)"
    sleep 30; waited=$((waited + 30))
  done
  py_args+=(--waited "$waited")
fi

exec python3 "$here/report.py" --nptsim "$nptsim" --repo "$repo" --source "$source_desc" "${py_args[@]}"
