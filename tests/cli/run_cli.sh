# nptsim run: reports, determinism, timing on/off agreement, faults, and bad options.
source "$(dirname "$0")/lib.sh"
run() { "$NPTSIM" run -q "$@"; }
expect_status 0 "all archs x backends, timing on" -- "$NPTSIM" run --workload-count 20000 --guest-ram 256MiB --json "$TMP/a.json" --csv "$TMP/a.csv"
for arch in x86_64 aarch64 riscv64; do for b in linear alloc lazy; do
  expect_grep "$TMP/out" "^== $arch $b \(timing" "$arch $b report"
done; done
expect_grep "$TMP/out" "^comparison" "comparison table"
expect_grep "$TMP/out" "^  tlb.l2 enabled=on entries=1536 ways=12" "effective configuration"
[ "$(wc -l < "$TMP/a.csv")" = 10 ] || { echo "FAIL: CSV should have a header and 9 rows"; fails=$((fails+1)); }
expect_grep "$TMP/a.csv" "^arch,backend,.*,stats\.vcpu0\.tlb\.l2\.hits,.*,config\.tlb\.l2\.entries," "CSV: summary, statistics tree and configuration columns"
expect_grep "$TMP/a.json" '"schema_version": 5' "JSON schema version"
expect_status 0 "same again" -- "$NPTSIM" run -q --workload-count 20000 --guest-ram 256MiB --json "$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" || { echo "FAIL: identical inputs gave different JSON"; fails=$((fails+1)); }
expect_status 0 "timing off" -- "$NPTSIM" run -q --timing off --workload-count 20000 --guest-ram 256MiB --json "$TMP/off.json"
# Timing on and off agree on every counter and on the cycles.
if ! diff <(grep -v -E '"mode"|"simulated_seconds"|"timing"' "$TMP/a.json") \
          <(grep -v -E '"mode"|"simulated_seconds"|"timing"' "$TMP/off.json") >/dev/null; then
  echo "FAIL: timing on and off disagree"; fails=$((fails+1))
fi
expect_grep "$TMP/a.json" '"cycles_per_access"' "JSON run fields"

# A GPA trace file; an access in the device window is an unhandled fault, a write to a read-only
# area a permission fault.
printf 'nptsim-trace 1 gpa\nR 0x1000 8\nW 0x1000 8\nR 0x10000100 8\nW 0x200000 8\n' > "$TMP/t.txt"
expect_status 0 "trace with faults" -- "$NPTSIM" run --trace "$TMP/t.txt" --arch riscv64 --backend linear \
  --guest-ram 256MiB --set "guest.area=0x0 2MiB linear rwxu" --set "guest.area=0x200000 2MiB linear ru"
expect_grep "$TMP/out" "nested faults +0 handled, 2 unhandled \(translation 1, permission 1\)" "fault kinds"

# nptsim compare: a trace is required; plots come out as SVG and PNG.
expect_status 2 "compare without a trace" -- "$NPTSIM" compare
expect_grep "$TMP/err" "needs --trace" "asks for the trace"
printf 'nptsim-trace 1 gva\nR 0x7f0000001000 8\nF 0x7f0000400000 4\n' > "$TMP/small-gva.txt"
expect_status 0 "compare with plots" -- "$NPTSIM" compare -q --trace "$TMP/small-gva.txt" --timing off --plot "$TMP/plots"
for f in x86_64-linear.walk-cdf.svg x86_64-lazy.refs.png riscv64-lazy.walk-cdf.png aarch64-linear.refs.svg; do
  [ -s "$TMP/plots/$f" ] || { echo "FAIL: plot $f missing"; fails=$((fails+1)); }
done

# --jobs: the runs split among processes give the same reports as one process, timing on and
# off; a bad trace line met inside a child process is reported as in one process.
for t in on off; do
  expect_status 0 "9 runs in 1 process, timing $t" -- "$NPTSIM" run -q -j 1 --timing $t --workload-count 20000 --guest-ram 256MiB --json "$TMP/j1.json" --csv "$TMP/j1.csv"
  expect_status 0 "9 runs in 2 processes, timing $t" -- "$NPTSIM" run -j 2 --timing $t --workload-count 20000 --guest-ram 256MiB --json "$TMP/j2.json" --csv "$TMP/j2.csv"
  "$NPTSIM" run -q -j 4 --timing $t --workload-count 20000 --guest-ram 256MiB --json "$TMP/j4.json"
  for f in j2.json j2.csv j4.json; do
    cmp -s "$TMP/j1.${f#*.}" "$TMP/$f" || { echo "FAIL: --jobs changed $f (timing $t)"; fails=$((fails+1)); }
  done
done
printf 'nptsim-trace 1 gpa\nR 0x1000 8\nR 0x2000 8\nX 0x3000 8\n' > "$TMP/bad-line.txt"
expect_status 2 "a bad trace line in a child process" -- "$NPTSIM" compare -j 2 --trace "$TMP/bad-line.txt" --timing off
expect_grep "$TMP/err" "bad-line.txt:4:" "the child's trace error names file and line"

# Errors: one clear message, exit 2.
expect_status 2 "unknown arch" -- "$NPTSIM" run --arch sparc
expect_grep "$TMP/err" "'--arch'.*sparc" "names --arch"
expect_status 2 "negative size" -- "$NPTSIM" run --guest-ram -4GiB
expect_grep "$TMP/err" "guest-ram" "names --guest-ram"
expect_status 2 "zero ways" -- "$NPTSIM" run --set tlb.l2.ways=0
expect_grep "$TMP/err" "tlb.l2.ways = '0': out of range" "names the key and value"
expect_status 2 "overlapping areas" -- "$NPTSIM" run --set "guest.area=0x0 4MiB linear" --set "guest.area=0x200000 4MiB lazy"
expect_grep "$TMP/err" "overlaps" "says overlap"
expect_status 2 "bad --set" -- "$NPTSIM" run --set tlb.l2.ways
expect_grep "$TMP/err" "section.key=value" "explains --set"
expect_status 2 "unknown key" -- "$NPTSIM" run --set tlb.l9.ways=2
expect_grep "$TMP/err" "tlb.l9.ways" "names the key"
expect_status 2 "prefix of a key" -- "$NPTSIM" run --set mem.fixed=on
expect_grep "$TMP/err" "no configuration key 'mem.fixed'" "a prefix is not taken for mem.fixed_latency"
expect_status 2 "bad cache size" -- "$NPTSIM" run --set mem.llc.size=lots
expect_grep "$TMP/err" "mem.llc.size.*not a size" "names the size option"
expect_status 0 "cache size with a unit" -- "$NPTSIM" run --workload-count 2000 --arch riscv64 --backend linear --set mem.llc.size=1MiB --mem.l2.size 128KiB
expect_grep "$TMP/out" "mem.l2 size=128KiB ways=4" "echoes the L2 size given"
expect_grep "$TMP/out" "mem.llc size=1MiB ways=16" "echoes the LLC size given"
printf '[tlb.l1d]\nentries = 63\nways = 4\n' > "$TMP/bad.ini"
expect_status 2 "bad config file" -- "$NPTSIM" run --config "$TMP/bad.ini"
expect_grep "$TMP/err" "tlb.l1d: entries \(63\) must be a multiple of ways \(4\)" "checks the INI values"
printf '[tlb.l1d]\nentries = 32\n' > "$TMP/ok.ini"
expect_status 0 "config file" -- "$NPTSIM" run -q --config "$TMP/ok.ini" --workload-count 1000 --arch x86_64 --backend linear --json "$TMP/c.json"
expect_grep "$TMP/c.json" '"tlb.l1d.entries": "32"' "INI value echoed"
# Guest-virtual traces run two-dimensionally (guest tables over stage 2); --addr gpa keeps
# stage 2 only.
printf 'nptsim-trace 1 gva\nR 0x7f0000001000 8\nW 0x7f0000001008 8\nR 0x7f0000200000 8\n' > "$TMP/gva.txt"
expect_status 0 "gva trace" -- "$NPTSIM" run --trace "$TMP/gva.txt" --arch x86_64 --backend lazy --tlb off --walk-cache off --guest-ram 64MiB
expect_grep "$TMP/out" "two-dimensional +guest 4-level tables" "two-dimensional report"
expect_grep "$TMP/out" "guest faults +2 \(demand paging\)" "demand paging of two pages"
expect_status 0 "gva trace as gpa" -- "$NPTSIM" run --trace "$TMP/gva.txt" --addr gpa --arch x86_64 --backend linear
expect_grep "$TMP/out" "translation = stage 2 only" "one-dimensional with --addr gpa"
# Two-dimensional timing on and off agree too.
for t in on off; do
  expect_status 0 "2D timing $t" -- "$NPTSIM" run -q --trace "$DATA/../../traces/samples/sort.nptb.xz" --arch aarch64 \
    --backend lazy --timing $t --json "$TMP/2d_$t.json"
done
if ! diff <(grep -v -E '"mode"|"simulated_seconds"|"timing"' "$TMP/2d_on.json") \
          <(grep -v -E '"mode"|"simulated_seconds"|"timing"' "$TMP/2d_off.json") >/dev/null; then
  echo "FAIL: two-dimensional timing on and off disagree"; fails=$((fails+1))
fi
# The real sample traces: x86_64, aarch64, riscv64 x linear, lazy in one command.
expect_status 0 "sample comparison" -- "$NPTSIM" run -q --trace "$DATA/../../traces/samples/gzip.nptb.xz" \
  --backend linear,lazy --timing off --csv "$TMP/s.csv"
[ "$(grep -c '^x86_64\|^aarch64\|^riscv64' "$TMP/s.csv")" = 6 ] || { echo "FAIL: sample comparison should have 6 runs"; fails=$((fails+1)); }
expect_status 2 "x86 has no 3 levels" -- "$NPTSIM" run --arch x86_64 --levels 3
expect_grep "$TMP/err" "no 3-level" "explains the shape"
# A trace on standard input is read once: a run from a pipe works, look-ahead is refused clearly.
"$NPTSIM" gen --format binary --pattern seq --count 1000 --footprint 64KiB --out "$TMP/seq.nptb" -q
expect_status 0 "run from stdin" -- sh -c "\"$NPTSIM\" run --trace - -q --arch x86_64 --backend linear --addr gpa --vcpus 1 --json \"$TMP/stdin.json\" < \"$TMP/seq.nptb\""
expect_grep "$TMP/stdin.json" '"accesses": 1000' "stdin run saw every access"
expect_status 2 "stdin without --addr" -- sh -c "\"$NPTSIM\" run --trace - --arch x86_64 --backend linear < \"$TMP/seq.nptb\""
expect_grep "$TMP/err" "give --addr gva or gpa" "stdin --addr error says what to give"
expect_status 2 "stdin into several runs" -- sh -c "\"$NPTSIM\" run --trace - --addr gpa --vcpus 1 < \"$TMP/seq.nptb\""
expect_grep "$TMP/err" "feeds one run" "stdin several-runs error"
# --warm-pass: the whole trace once unreported, then measured: no first-touch faults remain.
"$NPTSIM" gen --pattern uniform --count 3000 --footprint 8MiB --addr gva -q --out "$TMP/wp.nptb"
expect_status 0 "warm pass" -- "$NPTSIM" run --trace "$TMP/wp.nptb" --arch x86_64 --backend lazy --warm-pass --timing off
expect_grep "$TMP/out" "^  accesses +3000 \(after 3000 warm-up\)" "the first pass is warm-up"
expect_grep "$TMP/out" "^  guest faults +0 " "no guest first-touch faults measured"
expect_grep "$TMP/out" "^  nested faults +0 handled" "no stage-2 first-touch faults measured"
expect_grep "$TMP/out" "warmup = a pass over the whole trace, then 0 accesses" "the echo says so"
expect_status 2 "warm pass from stdin" -- "$NPTSIM" run --trace - --addr gva --arch x86_64 --backend lazy --warm-pass --timing off
expect_grep "$TMP/err" "--warm-pass reads the trace twice" "refused with the reason"
finish
