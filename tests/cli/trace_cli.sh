# nptsim gen / convert / info from the command line: exact round trips, errors with FILE:LINE or
# record numbers, bad options, and a 200 M-access stream read with flat memory.
source "$(dirname "$0")/lib.sh"
expect_status 0 "gen binary" -- "$NPTSIM" gen -q --pattern zipf --count 100000 --footprint 64GiB --write-ratio 0.3 --seed 7 -o "$TMP/g.nptb"
expect_status 0 "to text" -- "$NPTSIM" convert -q "$TMP/g.nptb" "$TMP/g.txt"
expect_status 0 "back to binary" -- "$NPTSIM" convert -q "$TMP/g.txt" "$TMP/g2.nptb"
cmp -s "$TMP/g.nptb" "$TMP/g2.nptb" || { echo "FAIL: gen -> binary -> text -> binary differs"; fails=$((fails+1)); }
expect_status 0 "gen again" -- "$NPTSIM" gen -q --pattern zipf --count 100000 --footprint 64GiB --write-ratio 0.3 --seed 7 -o "$TMP/g3.nptb"
cmp -s "$TMP/g.nptb" "$TMP/g3.nptb" || { echo "FAIL: gen is not deterministic"; fails=$((fails+1)); }
expect_status 0 "gen to stdout" -- "$NPTSIM" gen -q --count 3 --pattern seq --addr gva -o - --format text
printf 'nptsim-trace 1 gva\nR 0x7f0000000000 8\nR 0x7f0000000008 8\nR 0x7f0000000010 8\n' | diff - "$TMP/out" >/dev/null \
  || { echo "FAIL: gen seq gva text"; cat "$TMP/out"; fails=$((fails+1)); }

# Bad input: FILE:LINE / FILE: record N, exit 2.
printf 'nptsim-trace 1 gpa\nR 0x1000 8\nW 0x10zz 8\n' > "$TMP/badaddr.txt"
expect_status 2 "bad address" -- "$NPTSIM" convert -q "$TMP/badaddr.txt" "$TMP/x.nptb"
expect_grep "$TMP/err" "badaddr.txt:3: bad address '0x10zz'" "file:line of a bad address"
printf 'nptsim-trace 1 gpa\nQ 0x1000 8\n' > "$TMP/badtype.txt"
expect_status 2 "bad type" -- "$NPTSIM" info -q "$TMP/badtype.txt"
expect_grep "$TMP/err" "badtype.txt:2: bad access type 'Q'" "file:line of a bad type"
head -c 1000 "$TMP/g.nptb" > "$TMP/trunc.nptb"
expect_status 2 "truncated binary" -- "$NPTSIM" info -q "$TMP/trunc.nptb"
expect_grep "$TMP/err" "trunc.nptb: record 60: truncated \(8 of 16 bytes\)" "record number of the truncation"
: > "$TMP/empty.txt"
expect_status 2 "empty file" -- "$NPTSIM" convert -q "$TMP/empty.txt" "$TMP/x.txt"
expect_grep "$TMP/err" "empty.txt: empty trace" "empty input"
expect_status 2 "missing file" -- "$NPTSIM" info "$TMP/nope.nptb"
expect_grep "$TMP/err" "nope.nptb: cannot open" "missing input"
expect_status 2 "unknown output extension" -- "$NPTSIM" convert -q "$TMP/g.nptb" "$TMP/out.bin"
expect_grep "$TMP/err" "name it .txt .* or .nptb" "explains the output naming"
expect_status 2 "bad pattern" -- "$NPTSIM" gen --pattern spiral -o "$TMP/x.nptb"
expect_grep "$TMP/err" "'--pattern'" "names --pattern"
expect_status 2 "bad footprint" -- "$NPTSIM" gen --footprint 4QB -o "$TMP/x.nptb"
expect_grep "$TMP/err" "'--footprint'" "names --footprint"
expect_status 2 "bad write ratio" -- "$NPTSIM" gen --write-ratio 1.5 -o "$TMP/x.nptb"
expect_grep "$TMP/err" "write ratio" "explains the ratio"
expect_status 2 "count not a number" -- "$NPTSIM" gen --count many -o "$TMP/x.nptb"
expect_grep "$TMP/err" "count" "names --count"

# --from forces the input format; --format the output format.
printf 'addr 0x1000\n' > "$TMP/unknown.log"
expect_status 2 "unrecognisable input" -- "$NPTSIM" convert -q "$TMP/unknown.log" "$TMP/x.txt"
expect_grep "$TMP/err" "cannot recognise the trace format" "asks for the format"
printf 'nptsim-trace 1 gpa\n L 1000,8\n' > "$TMP/ambiguous.log"
expect_status 2 "read as text by content" -- "$NPTSIM" convert -q "$TMP/ambiguous.log" "$TMP/x.txt"
expect_grep "$TMP/err" "ambiguous.log:2: bad access type" "text by content"
expect_status 0 "--from lackey" -- "$NPTSIM" convert -q --from lackey --format text "$TMP/ambiguous.log" "$TMP/x.out"
printf 'nptsim-trace 1 gva\nR 0x1000 8\n' | diff - "$TMP/x.out" >/dev/null || { echo "FAIL: --from lackey --format text"; fails=$((fails+1)); }

# 200 M accesses streamed through a pipe: gen | convert, peak RSS of the reader under 100 MB.
if [ -z "${NPTSIM_SKIP_LONG:-}" ]; then
  /usr/bin/time -f "%M" -o "$TMP/rss" bash -c \
    "\"$NPTSIM\" gen -q --pattern uniform --count 200000000 --footprint 1GiB -o - --format binary | \
     /usr/bin/time -f %M -o \"$TMP/rss_reader\" \"$NPTSIM\" convert -q --format binary - /dev/null"
  rss=$(tail -1 "$TMP/rss_reader")
  echo "reader peak RSS for 200 M records: ${rss} KiB"
  [ "$rss" -lt 102400 ] || { echo "FAIL: reader peak RSS ${rss} KiB is not under 100 MB"; fails=$((fails+1)); }
fi
finish
