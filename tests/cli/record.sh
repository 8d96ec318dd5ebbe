# nptsim record: qemu and lackey tracers agree on a deterministic program (exact data accesses
# and fetch counts for a libc-free loop; qemu also tags records with cpu=0, lackey has no vCPU);
# the sampling window (--skip, --max-records) of both tracers; errors for a missing program, no
# program and bad window values.
source "$(dirname "$0")/lib.sh"
if [ "$(uname -m)" != x86_64 ]; then echo "skipped: the test program is x86-64"; exit 77; fi
cc -O1 -static -nostdlib -fno-stack-protector -o "$TMP/loop" "$DATA/record/loop_nostdlib.c" || exit 1
for t in qemu lackey; do
  expect_status 0 "record --tracer $t" -- "$NPTSIM" record -q --tracer $t -o "$TMP/$t.nptb" -- "$TMP/loop"
  expect_grep "$TMP/err" "491556 accesses from .* via $t" "$t record count"
  expect_status 0 "convert $t" -- "$NPTSIM" convert -q "$TMP/$t.nptb" "$TMP/$t.txt"
done
for type in R W F; do
  q=$(grep -c "^$type " "$TMP/qemu.txt"); l=$(grep -c "^$type " "$TMP/lackey.txt")
  [ "$q" = "$l" ] || { echo "FAIL: $type count: qemu $q, lackey $l"; fails=$((fails+1)); }
done
[ "$(grep -c '^R ' "$TMP/qemu.txt")" = 81920 ] || { echo "FAIL: expected 81920 loads"; fails=$((fails+1)); }
[ "$(grep -c '^W ' "$TMP/qemu.txt")" = 40960 ] || { echo "FAIL: expected 40960 stores"; fails=$((fails+1)); }
if ! diff <(grep -v '^F' "$TMP/qemu.txt" | sed 's/ cpu=0$//') <(grep -v '^F' "$TMP/lackey.txt") >/dev/null; then
  echo "FAIL: the data accesses differ between qemu and lackey"; fails=$((fails+1))
fi
# Programs of the other architectures run under their qemu-user, chosen from the ELF header.
for cc in aarch64-linux-gnu-gcc riscv64-linux-gnu-gcc; do
  "$cc" -O1 -static -nostdlib -fno-stack-protector -o "$TMP/loop-$cc" "$DATA/record/loop_nostdlib.c" || { fails=$((fails+1)); continue; }
  expect_status 0 "record $cc program" -- "$NPTSIM" record -q -o "$TMP/$cc.nptb" -- "$TMP/loop-$cc"
  expect_status 0 "info $cc trace" -- "$NPTSIM" info -q "$TMP/$cc.nptb"
  expect_grep "$TMP/out" "read 81920, write 40960" "$cc: the loop's exact data accesses"
done
expect_status 2 "lackey cannot run a foreign program" -- "$NPTSIM" record -q --tracer lackey -o "$TMP/x.nptb" -- "$TMP/loop-aarch64-linux-gnu-gcc"
expect_grep "$TMP/err" "valgrind" "names the tool that failed"

expect_status 0 "record --no-fetch" -- "$NPTSIM" record -q --no-fetch -o "$TMP/nf.nptb" -- "$TMP/loop"
expect_grep "$TMP/err" "122880 accesses" "data accesses only"
# The sampling window: --max-records cuts the trace (a complete file: its header counts the
# records) and stops the program; --skip drops exactly the first records. Both tracers.
full=491556
for t in qemu lackey; do
  expect_status 0 "$t --max-records" -- "$NPTSIM" record -q --tracer $t --max-records 1000 -o "$TMP/$t-cut.nptb" -- "$TMP/loop"
  expect_grep "$TMP/err" "1000 accesses from .* via $t .*cut at 1000 records" "$t says the trace was cut"
  expect_status 0 "info of the $t cut trace" -- "$NPTSIM" info -q "$TMP/$t-cut.nptb"
  expect_grep "$TMP/out" "records +1000 \\(" "$t cut trace holds 1000 records"
  expect_status 0 "convert $t cut" -- "$NPTSIM" convert -q "$TMP/$t-cut.nptb" "$TMP/$t-cut.txt"
  cmp -s <(head -n 1001 "$TMP/$t.txt") "$TMP/$t-cut.txt" || { echo "FAIL: $t: the cut trace is not the first 1000 records"; fails=$((fails+1)); }
  expect_status 0 "$t --skip" -- "$NPTSIM" record -q --tracer $t --skip 100000 -o "$TMP/$t-skip.nptb" -- "$TMP/loop"
  expect_grep "$TMP/err" "^nptsim record: $((full - 100000)) accesses .*first 100000 records skipped" "$t skips 100000"
  expect_status 0 "$t --skip --max-records" -- "$NPTSIM" record -q --tracer $t --skip 100000 --max-records 5000 -o "$TMP/$t-win.nptb" -- "$TMP/loop"
  expect_status 0 "convert $t window" -- "$NPTSIM" convert -q "$TMP/$t-win.nptb" "$TMP/$t-win.txt"
  cmp -s <(sed -n '100002,105001p' "$TMP/$t.txt") <(tail -n +2 "$TMP/$t-win.txt") || { echo "FAIL: $t: the window is not records 100000..104999"; fails=$((fails+1)); }
  expect_status 2 "$t --skip past the end" -- "$NPTSIM" record -q --tracer $t --skip $full -o "$TMP/x.nptb" -- "$TMP/loop"
  expect_grep "$TMP/err" "no accesses were recorded: the program ended within the first $full records \(--skip\)" "$t says the skip swallowed everything"
  # A long-running program is stopped once the trace is cut.
  start=$SECONDS
  expect_status 0 "$t cuts sleep 60" -- "$NPTSIM" record -q --tracer $t --max-records 2000 -o "$TMP/sleep.nptb" -- /bin/sleep 60
  expect_grep "$TMP/err" "cut at 2000 records .*program stopped" "$t stops the program"
  [ $((SECONDS - start)) -lt 30 ] || { echo "FAIL: $t: the program ran on after the cut"; fails=$((fails+1)); }
done
expect_status 0 "--no-fetch --max-records" -- "$NPTSIM" record -q --no-fetch --max-records 300 -o "$TMP/nfcut.nptb" -- "$TMP/loop"
expect_status 0 "info nofetch cut" -- "$NPTSIM" info -q "$TMP/nfcut.nptb"
expect_grep "$TMP/out" "\\(fetch 0, " "the window counts data records only under --no-fetch"
for bad in "--max-records 0" "--max-records -5" "--max-records 1e6" "--skip abc" "--skip -1" "--skip 99999999999999999999"; do
  expect_status 2 "bad window $bad" -- "$NPTSIM" record $bad -o "$TMP/x.nptb" -- "$TMP/loop"
  expect_grep "$TMP/err" "option '${bad%% *}'" "names ${bad%% *} ($bad)"
done
expect_status 2 "missing program" -- "$NPTSIM" record -o "$TMP/x.nptb" -- "$TMP/no-such-program"
expect_grep "$TMP/err" "no-such-program: program not found" "names the program"
expect_status 2 "no program" -- "$NPTSIM" record -o "$TMP/x.nptb"
expect_grep "$TMP/err" "after '--'" "says where the program goes"
expect_status 2 "tools missing" -- env PATH=/nonexistent "$NPTSIM" record -o "$TMP/x.nptb" -- "$TMP/loop"
expect_grep "$TMP/err" "valgrind not found: install the Debian package 'valgrind'" "names the package to install"
expect_status 2 "qemu missing" -- env PATH=/nonexistent "$NPTSIM" record --tracer qemu -o "$TMP/x.nptb" -- "$TMP/loop"
expect_grep "$TMP/err" "qemu-x86_64 not found: install the Debian package 'qemu-user'" "names qemu-user"
expect_status 2 "bad tracer" -- "$NPTSIM" record --tracer pin -- "$TMP/loop"
expect_grep "$TMP/err" "'--tracer'" "names --tracer"
finish
