#!/usr/bin/env bash
# The example sweep on a real Slurm: starts a private single-node cluster (munge, slurmctld,
# slurmd on localhost; slurm_local.sh), submits examples/sweep-l2tlb.ini as a job array with
# `nptsim sweep slurm --submit`, waits (bounded), and checks that the merged results are
# byte-identical to the same sweep run locally with GNU parallel. Stops the daemons in any case.
# Exit 77 (skipped) only when the daemons cannot start here; the reason is printed.
# Arguments: NPTSIM SOURCE_DIR TMP_DIR.
set -u
NPTSIM=$1
SRC=$2
TMP=$3
WAIT_SECONDS=${NPTSIM_SLURM_WAIT:-900}
rm -rf "$TMP" && mkdir -p "$TMP"
source "$SRC/tests/sweep/slurm_local.sh"

fail() {
  echo "FAIL: $*"
  exit 1
}

# The local reference first (no daemons needed).
"$NPTSIM" sweep plan "$SRC/examples/sweep-l2tlb.ini" --out "$TMP/local" > /dev/null || fail "plan (local)"
"$NPTSIM" sweep run "$TMP/local" -j 2 -q || fail "the local run (GNU parallel)"
"$NPTSIM" sweep merge "$TMP/local" --no-plot > /dev/null || fail "merge (local)"

slurm_local_start "$TMP/cluster" || exit $?
trap 'slurm_local_stop "$TMP/cluster"' EXIT
"$NPTSIM" sweep plan "$SRC/examples/sweep-l2tlb.ini" --out "$TMP/slurm" > /dev/null || fail "plan (slurm)"
"$NPTSIM" sweep slurm "$TMP/slurm" --throttle 2 --time 0:30:00 --mem 1G --submit || fail "sbatch"
waited=0
until "$NPTSIM" sweep status "$TMP/slurm" > "$TMP/status.txt"; do
  if grep -Eq " [1-9][0-9]* failed| [1-9][0-9]* corrupt" "$TMP/status.txt"; then
    cat "$TMP/status.txt"
    fail "a Slurm task failed"
  fi
  [ "$waited" -lt "$WAIT_SECONDS" ] || { cat "$TMP/status.txt"; squeue; fail "not done after ${WAIT_SECONDS}s"; }
  sleep 2
  waited=$((waited + 2))
done
echo "slurm: $(cat "$TMP/status.txt") after about ${waited}s"
"$NPTSIM" sweep merge "$TMP/slurm" --no-plot > /dev/null || fail "merge (slurm)"
for f in results.csv results.json summary.txt; do
  cmp "$TMP/local/merged/$f" "$TMP/slurm/merged/$f" || fail "$f differs between GNU parallel and Slurm"
done
ls "$TMP"/slurm/logs/slurm-*_*.out > /dev/null 2>&1 || fail "no Slurm task output: did Slurm run the tasks?"
echo "all checks passed: 18 jobs through Slurm merge byte-identical to the local run"
