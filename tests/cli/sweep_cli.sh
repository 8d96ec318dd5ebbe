#!/usr/bin/env bash
# nptsim sweep: bad sweep files exit 2 naming FILE:LINE; plan, run (GNU parallel), status and
# merge; merged results are byte-identical with 1 and 2 local processes; an interrupted or
# damaged sweep resumes by re-running only the jobs without a valid result; failed jobs are
# listed, never dropped.
source "$(dirname "$0")/lib.sh"
command -v parallel >/dev/null || { echo "GNU parallel missing: bash scripts/setup.sh installs it"; exit 1; }

expect_status 0 "sweep --help" -- "$NPTSIM" sweep --help
expect_grep "$TMP/out" "sweep plan FILE --out DIR" "sweep --help lists the verbs"
expect_status 2 "sweep without a verb" -- "$NPTSIM" sweep
expect_status 2 "an unknown verb" -- "$NPTSIM" sweep bake
expect_grep "$TMP/err" "unknown verb 'bake'" "the unknown verb is named"
for verb in plan run slurm status merge; do
  expect_status 0 "sweep $verb --help" -- "$NPTSIM" sweep "$verb" --help
done

# Bad sweep files: exit 2, FILE:LINE and what is wrong.
bad() {  # bad NAME LINE REGEX TEXT
  printf '%b' "$4" > "$TMP/$1.ini"
  expect_status 2 "bad sweep file $1" -- "$NPTSIM" sweep plan "$TMP/$1.ini" --out "$TMP/never"
  expect_grep "$TMP/err" "$1.ini:$2: .*$3" "bad sweep file $1 names its line"
}
bad unknown_key 3 "no configuration key 'tlb.l9.entries'" "[sweep]\n[axes]\ntlb.l9.entries = 1, 2\n"
bad empty_axis 2 "axis mmu.walkers: no values" "[axes]\nmmu.walkers =\n"
bad missing_trace 2 "trace 'nowhere.nptb' not found" "[sweep]\ntrace = nowhere.nptb\n"
bad bad_value 2 "tlb.l2.entries = 'many'" "[axes]\ntlb.l2.entries = 512, many\n"
bad bad_range 2 "range '9..1' is empty" "[axes]\nmmu.walkers = 9..1\n"
bad unknown_setting 2 "unknown sweep setting 'archs'" "[sweep]\narchs = x86_64\n"
bad outside 1 "outside the sections" "walkers = 2\n"
printf '[sweep]\narch = x86_64\n[axes]\ntlb.l2.entries = 64, 100\n[fixed]\ntlb.l2.ways = 8\n' > "$TMP/impossible.ini"
expect_status 2 "an impossible job" -- "$NPTSIM" sweep plan "$TMP/impossible.ini" --out "$TMP/never"
expect_grep "$TMP/err" "impossible.ini: the job \(x86_64, linear, tlb.l2.entries = 100\) is impossible: .*multiple of ways" "the impossible job is named"
expect_status 2 "a sweep file that does not exist" -- "$NPTSIM" sweep plan "$TMP/none.ini" --out "$TMP/x"
expect_grep "$TMP/err" "none.ini: no such sweep file" "the missing sweep file is named"
expect_status 2 "run on a directory without a plan" -- "$NPTSIM" sweep run "$TMP"
expect_grep "$TMP/err" "manifest.json: cannot read" "the missing manifest is named"

# A small sweep: 2 architectures x 2 walker counts on the built-in workload.
cat > "$TMP/small.ini" <<'INI'
[sweep]
name = small
arch = x86_64, riscv64
workload_count = 20000
timing = on
[axes]
mmu.walkers = 1, 2
[fixed]
tlb.l2.entries = 384
INI
expect_status 0 "plan the small sweep" -- "$NPTSIM" sweep plan "$TMP/small.ini" --out "$TMP/one"
expect_grep "$TMP/out" "4 jobs planned" "plan counts the jobs"
[ "$(wc -l < "$TMP/one/jobs.tsv")" -eq 4 ] || { echo "FAIL: jobs.tsv has not 4 lines"; fails=$((fails + 1)); }
expect_status 1 "status before running" -- "$NPTSIM" sweep status "$TMP/one"
expect_grep "$TMP/out" "4 jobs: 0 done, 0 failed, 0 corrupt, 4 pending" "status counts pending jobs"
expect_status 0 "run with 1 process" -- "$NPTSIM" sweep run "$TMP/one" -j 1 -q
expect_status 0 "status after running" -- "$NPTSIM" sweep status "$TMP/one"
expect_grep "$TMP/out" "4 done" "every job done"
expect_status 0 "merge" -- "$NPTSIM" sweep merge "$TMP/one" --metric walk_cycles.mean
expect_grep "$TMP/out" "^riscv64-linear-[0-9a-f]{12} +done +riscv64 +linear +2 " "the summary has a row per job"
head -1 "$TMP/one/merged/results.csv" > "$TMP/header"
expect_grep "$TMP/header" "^job.id,job.status,.*axis.mmu.walkers,.*walk_cycles.mean,.*stats.accesses,.*config.mmu.walkers" "the CSV has job, axis, statistic and configuration columns"
[ -s "$TMP/one/merged/walk_cycles.mean-vs-mmu.walkers.png" ] || { echo "FAIL: no plot"; fails=$((fails + 1)); }

"$NPTSIM" sweep plan "$TMP/small.ini" --out "$TMP/two" > /dev/null
expect_status 0 "run with 2 processes" -- "$NPTSIM" sweep run "$TMP/two" -j 2 -q
expect_status 0 "merge the 2-process run" -- "$NPTSIM" sweep merge "$TMP/two" --metric walk_cycles.mean
for f in results.csv results.json summary.txt walk_cycles.mean-vs-mmu.walkers.dat; do
  cmp -s "$TMP/one/merged/$f" "$TMP/two/merged/$f" || { echo "FAIL: $f differs between -j 1 and -j 2"; fails=$((fails + 1)); }
done

# Resume: a deleted result and a corrupt one are re-run, the other two are kept.
results=("$TMP"/two/results/*.json)
rm "${results[0]}"
echo '{"schema_version":' > "${results[1]}"
kept_a=$(stat -c %Y.%s "${results[2]}")
expect_status 1 "status of a damaged sweep" -- "$NPTSIM" sweep status "$TMP/two"
expect_grep "$TMP/out" "2 done, 0 failed, 1 corrupt, 1 pending" "status sees the corrupt and the missing result"
expect_grep "$TMP/out" "corrupt .*results/.*\.json: not valid JSON" "the corrupt file is named"
expect_status 1 "merge of a damaged sweep" -- "$NPTSIM" sweep merge "$TMP/two" --no-plot
expect_grep "$TMP/err" "2 of 4 jobs have no result" "merge lists what is missing"
expect_grep "$TMP/two/merged/results.csv" ",pending," "a missing job keeps its row"
before=$(grep -c run-job.sh "$TMP/two/logs/joblog.tsv")
expect_status 0 "resume" -- "$NPTSIM" sweep run "$TMP/two" -j 2 -q
after=$(grep -c run-job.sh "$TMP/two/logs/joblog.tsv")
[ $((after - before)) -eq 2 ] || { echo "FAIL: resume ran $((after - before)) jobs, wanted 2"; fails=$((fails + 1)); }
[ "$(stat -c %Y.%s "${results[2]}")" = "$kept_a" ] || { echo "FAIL: a finished job was re-run"; fails=$((fails + 1)); }
"$NPTSIM" sweep merge "$TMP/two" --metric walk_cycles.mean > /dev/null
cmp -s "$TMP/one/merged/results.csv" "$TMP/two/merged/results.csv" || { echo "FAIL: resumed results differ"; fails=$((fails + 1)); }

# A job that fails when it runs (its trace is not a trace): listed, its row kept.
echo "not a trace" > "$TMP/bad.nptb"
cat > "$TMP/failing.ini" <<INI
[sweep]
arch = x86_64
trace = bad.nptb, $DATA/traces/lackey_small.txt
timing = off
INI
"$NPTSIM" sweep plan "$TMP/failing.ini" --out "$TMP/fail" > /dev/null
expect_status 1 "a sweep with a failing job" -- "$NPTSIM" sweep run "$TMP/fail" -q
expect_grep "$TMP/out" "1 of 2 jobs done, 1 failed" "run reports the failure"
expect_status 1 "status of the failed sweep" -- "$NPTSIM" sweep status "$TMP/fail"
expect_grep "$TMP/out" "failed +exit status 2 .*log: logs/x86_64-linear-.*\.log" "status names the failed job's log"
log=$(ls "$TMP"/fail/logs/x86_64-linear-*.log | xargs grep -l "bad.nptb")
[ -n "$log" ] || { echo "FAIL: the failed job's log does not say why"; fails=$((fails + 1)); }
expect_status 1 "merge of the failed sweep" -- "$NPTSIM" sweep merge "$TMP/fail" --no-plot
expect_grep "$TMP/err" "x86_64-linear-[0-9a-f]{12}: failed: exit status 2" "merge lists the failed job"
expect_grep "$TMP/fail/merged/results.csv" ",failed,exit status 2 .*,bad.nptb," "the failed job keeps its row"
expect_status 2 "merge with an unknown metric" -- "$NPTSIM" sweep merge "$TMP/one" --metric no_such
expect_grep "$TMP/err" "--metric: 'no_such' is not a numeric column" "the unknown metric is named"
expect_status 2 "merge with an unknown axis" -- "$NPTSIM" sweep merge "$TMP/one" --axis core.window
expect_grep "$TMP/err" "--axis: 'core.window' is not an axis of this sweep \(axes: mmu.walkers\)" "the unknown axis is named"

# Slurm's script: an array over the unfinished jobs, with the throttle and limits asked for.
rm "$TMP"/one/results/riscv64-*.json
expect_status 0 "write a Slurm script" -- "$NPTSIM" sweep slurm "$TMP/one" --throttle 3 --time 0:10:00 --mem 1G
expect_grep "$TMP/one/sweep.sbatch" "^#SBATCH --array=2,4%3$" "the array holds the unfinished jobs' lines"
expect_grep "$TMP/one/sweep.sbatch" "^#SBATCH --time=0:10:00$" "the time limit"
expect_grep "$TMP/one/sweep.sbatch" "^#SBATCH --mem=1G$" "the memory limit"
finish
