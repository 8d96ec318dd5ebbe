#!/usr/bin/env bash
# Checks `nptsim translate --refs` against the Spike image (answers and reference sequence).
# usage: run_spike_refs.sh NPTSIM IMAGE_DIR WORK_DIR
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1   # keep the source tree clean (and parallel runs apart)
nptsim=$1 img=$2 work=$3
common="$(cd "$(dirname "$0")/../common" && pwd)"
rm -rf "$work"; mkdir -p "$work"
rc=0; "$nptsim" translate --image "$img" --refs > "$work/actual.txt" 2> "$work/actual.err" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "FAIL: nptsim translate --image $img --refs exited $rc: $(head -c 400 "$work/actual.err")"; exit 1
fi
bad=0
python3 "$common/compare_answers.py" "$img/expected.txt" "$work/actual.txt" --probes "$img/probes.txt" --label answers || bad=1
python3 "$common/compare_refs.py" "$img/refs.txt" "$work/actual.txt" --label refs || bad=1
exit $bad
