#!/usr/bin/env bash
# Events in traces (docs/EVENTS.md) through `nptsim run`, functional and SystemC, worked out by
# hand: an unmap followed by an access faults again on every vCPU; dirty logging takes one write
# fault per page per round, on every backend; events the address space cannot take stop the run
# with an error naming the trace and the record; gen's events run and reports stay
# deterministic.
source "$(dirname "$0")/lib.sh"

# stat JSON ARCH BACKEND KEY: one statistic of one run of a report.
stat() {
  python3 - "$@" <<'PY'
import json, sys
path, arch, backend, key = sys.argv[1:5]
for run in json.load(open(path))["runs"]:
    if run["arch"] == arch and run["backend"] == backend:
        print(run["stats"][key])
PY
}
# expect_stat JSON ARCH BACKEND KEY WANT DESCRIPTION
expect_stat() {
  local got
  got=$(stat "$1" "$2" "$3" "$4")
  if [ "$got" != "$5" ]; then
    echo "FAIL: $6 ($2 $3): $4 = $got, wanted $5"
    fails=$((fails + 1))
  fi
}

# vCPUs 0 and 1 read page 0x3000; vCPU 0 unmaps it; each reads it again: two faults nobody
# resolves, the neighbouring page still translates, one other vCPU reached by the shootdown.
# (With timing on, vCPUs interleave by simulated time: the gaps put vCPU 1's first read before
# the unmap and its second after it there too.)
cat > "$TMP/unmap.txt" <<'TXT'
nptsim-trace 1 gpa
R 0x3000 8 cpu=0
R 0x3000 8 cpu=1
R 0x8000 8 gap=1000000 cpu=0
R 0x8000 8 gap=2000000 cpu=1
E unmap 0x3000 1 cpu=0
R 0x3000 8 cpu=0
R 0x3000 8 cpu=1
R 0x4000 8 cpu=1
TXT
for timing in off on; do
  expect_status 0 "unmap trace, timing $timing" -- "$NPTSIM" run --trace "$TMP/unmap.txt" --addr gpa \
    --backend linear,lazy --timing "$timing" -q --json "$TMP/unmap-$timing.json"
  for arch in x86_64 aarch64 riscv64; do
    for backend in linear lazy; do
      expect_stat "$TMP/unmap-$timing.json" $arch $backend faults.unhandled 2 "an unmap then an access faults on every vCPU (timing $timing)"
      expect_stat "$TMP/unmap-$timing.json" $arch $backend events.unmap 1 "the unmap is counted"
      expect_stat "$TMP/unmap-$timing.json" $arch $backend hypervisor.shootdown_ipis 1 "the shootdown reaches vCPU 1"
    done
  done
done

# A trace error met while the SystemC model runs is reported (not a crash, also under the
# sanitizers): a vCPU beyond the ones simulated.
expect_status 2 "a vCPU beyond --vcpus" -- "$NPTSIM" run --trace "$TMP/unmap.txt" --addr gpa --vcpus 1 -j 1 -q
expect_grep "$TMP/err" "unmap.txt: record 1: vCPU 1 but the platform was built with 1 vCPUs" "the vCPU error names the record"

# Round 1: pages 0 and 1 written (page 0 twice, once by vCPU 1): 2 write faults. Round 2: pages 1
# and 5: 2. After the stop: none. 4 pages logged over 2 rounds, on every backend.
cat > "$TMP/dirty.txt" <<'TXT'
nptsim-trace 1 gpa
R 0x0 8 cpu=1
E dirty-start
W 0x0 8
W 0x1000 8
W 0x0 8 cpu=1
W 0x1000 8
E dirty-sync
W 0x1000 8
W 0x5000 8
W 0x5008 8
E dirty-stop
W 0x0 8
W 0x9000 8
TXT
for timing in off on; do
  expect_status 0 "dirty-log trace, timing $timing" -- "$NPTSIM" run --trace "$TMP/dirty.txt" --addr gpa \
    --backend linear,alloc,lazy --guest-ram 64MiB --timing "$timing" -q --json "$TMP/dirty-$timing.json"
  for arch in x86_64 aarch64 riscv64; do
    for backend in linear alloc lazy; do
      expect_stat "$TMP/dirty-$timing.json" $arch $backend events.dirty_log.write_faults 4 "one write fault per page per round (timing $timing)"
      expect_stat "$TMP/dirty-$timing.json" $arch $backend events.dirty_log.pages_logged 4 "pages logged"
      expect_stat "$TMP/dirty-$timing.json" $arch $backend events.dirty_log.rounds 2 "rounds"
      expect_stat "$TMP/dirty-$timing.json" $arch $backend faults.unhandled 0 "no unhandled fault"
    done
  done
done

# Events the address space cannot take: the trace and the record are named, exit 2.
printf 'nptsim-trace 1 gpa\nR 0x0 8\nE dirty-sync\n' > "$TMP/sync_off.txt"
for timing in off on; do
  expect_status 2 "a sync without dirty logging (timing $timing)" -- "$NPTSIM" run --trace "$TMP/sync_off.txt" \
    --addr gpa --timing "$timing" -q
  expect_grep "$TMP/err" "sync_off.txt: record 1: dirty-sync: dirty logging is off" "the refused event is named (timing $timing)"
  if grep -q "sc_stop\|Simulation stopped" "$TMP/err"; then
    echo "FAIL: SystemC's stop notes are printed with the error"; fails=$((fails + 1))
  fi
done
printf 'nptsim-trace 1 gpa\nE map 0x0 4 rw-\n' > "$TMP/map_over.txt"
expect_status 2 "a map over RAM" -- "$NPTSIM" run --trace "$TMP/map_over.txt" --addr gpa -q
expect_grep "$TMP/err" "map_over.txt: record 0: map 0x0 \+ 4 pages: AlreadyExists" "the overlapping map is named"
printf 'nptsim-trace 1 gpa\nE map 0x8000000 4 rw-\nR 0x8000000 8\n' > "$TMP/map_once.txt"
expect_status 0 "a map beyond RAM" -- "$NPTSIM" run --trace "$TMP/map_once.txt" --addr gpa --guest-ram 64MiB -q
expect_status 2 "the same map twice with --warm-pass" -- "$NPTSIM" run --trace "$TMP/map_once.txt" --addr gpa \
  --guest-ram 64MiB --warm-pass -q
expect_grep "$TMP/err" "map_once.txt: record 2: map 0x8000000 \+ 4 pages: AlreadyExists" "the second pass's map is named"
expect_grep "$TMP/err" "warm-pass runs the trace twice" "the warm pass is explained"
printf 'nptsim-trace 1 gpa\nE balloon-inflate 0x7fff0000 4\n' > "$TMP/outside.txt"
expect_status 2 "a balloon outside RAM" -- "$NPTSIM" run --trace "$TMP/outside.txt" --addr gpa --guest-ram 64MiB -q
expect_grep "$TMP/err" "outside.txt: record 0: balloon-inflate .* is not guest RAM" "the balloon outside RAM is named"
printf 'nptsim-trace 1 gpa\nR 0x0 8\nE unmap 0x1001 2\n' > "$TMP/unaligned.txt"
expect_status 2 "a malformed event" -- "$NPTSIM" run --trace "$TMP/unaligned.txt" --addr gpa -q
expect_grep "$TMP/err" "unaligned.txt:3: unmap: address 0x1001 is not 4 KiB-aligned" "the malformed event names its line"

# gen's events run (balloon cycles on a lazy guest free and refault frames; every event kind
# counted) and the report is the same with 1 and 2 processes.
expect_status 0 "gen with events" -- "$NPTSIM" gen --pattern uniform --count 20000 --footprint 8MiB \
  --write-ratio 0.3 --addr gpa --balloon-every 5000 --balloon-pages 64 --dirty-rounds 2 --dirty-every 4000 \
  --ctxsw-every 3000 --tlb-flush-every 7000 --migrate-every 6000 --seed 3 --out "$TMP/gen.nptb"
for jobs in 1 2; do
  expect_status 0 "run the generated trace (--jobs $jobs)" -- "$NPTSIM" run --trace "$TMP/gen.nptb" --addr gpa \
    --backend linear,lazy --arch x86_64,aarch64 --guest-ram 64MiB -q --jobs $jobs --json "$TMP/gen-$jobs.json"
done
cmp -s "$TMP/gen-1.json" "$TMP/gen-2.json" || { echo "FAIL: reports differ across --jobs"; fails=$((fails + 1)); }
expect_stat "$TMP/gen-1.json" x86_64 lazy events.balloon_inflate 4 "four balloon cycles"
expect_stat "$TMP/gen-1.json" x86_64 lazy events.dirty_start 1 "dirty logging started once"
expect_stat "$TMP/gen-1.json" x86_64 linear events.balloon.pages_kept 256 "Linear keeps its ballooned pages"
if [ "$(stat "$TMP/gen-1.json" x86_64 lazy events.balloon.frames_freed)" = 0 ]; then
  echo "FAIL: the lazy guest's balloon freed no frame"; fails=$((fails + 1))
fi
finish
