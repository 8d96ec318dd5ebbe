# nptsim record: qemu and lackey tracers agree on a deterministic program (exact data accesses
# and fetch counts for a libc-free loop; qemu also tags records with cpu=0, lackey has no vCPU);
# errors for a missing program and no program.
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
