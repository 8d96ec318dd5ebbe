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

# Events (traces/FORMAT.md, "Events"): gen writes them where asked, deterministically; info
# counts them per kind and not as accesses; convert carries them through text and back.
ev_opts="--pattern seq --count 100 --footprint 64KiB --balloon-every 10 --balloon-pages 2 --dirty-rounds 2 --dirty-every 30 --ctxsw-every 25 --tlb-flush-every 50 --migrate-every 40"
expect_status 0 "gen with events" -- "$NPTSIM" gen -q $ev_opts -o "$TMP/ev.nptb"
[ "$(od -An -tu1 -j8 -N1 "$TMP/ev.nptb" | tr -d ' ')" = 2 ] || { echo "FAIL: binary traces are written as version 2"; fails=$((fails+1)); }
expect_status 0 "info of a trace with events" -- "$NPTSIM" info -q "$TMP/ev.nptb"
# 100 accesses; inflates after 10, 20, ..., 100 and deflates 5 later (not the one after 105);
# dirty-start after 30, a sync after 60, the stop after 90; ctxsw after 25, 50, 75, 100.
expect_grep "$TMP/out" "^records +130 \(fetch 0, read 100, write 0, events 30\)$" "info: records with events"
expect_grep "$TMP/out" "^events +30 \(balloon-inflate 10, balloon-deflate 9, dirty-start 1, dirty-sync 1, dirty-stop 1, ctxsw 4, tlb-flush 2, migrate 2\)$" "info: events per kind"
expect_grep "$TMP/out" "^sizes +8B:100$" "info: sizes of the accesses only"
expect_grep "$TMP/out" "^4K pages +1 " "info: pages of the accesses only"
expect_grep "$TMP/out" "^range +\\[0x0, 0x31f\\]$" "info: range of the accesses only"
expect_status 0 "gen with events again" -- "$NPTSIM" gen -q $ev_opts -o "$TMP/ev2.nptb"
cmp -s "$TMP/ev.nptb" "$TMP/ev2.nptb" || { echo "FAIL: gen with events is not deterministic"; fails=$((fails+1)); }
expect_status 0 "events to text" -- "$NPTSIM" convert -q "$TMP/ev.nptb" "$TMP/ev.txt"
expect_grep "$TMP/ev.txt" "^E balloon-inflate 0x[0-9a-f]*000 2$" "text form of a balloon-inflate"
expect_grep "$TMP/ev.txt" "^E dirty-sync$" "text form of a dirty-sync"
expect_status 0 "events back to binary" -- "$NPTSIM" convert -q "$TMP/ev.txt" "$TMP/ev3.nptb"
cmp -s "$TMP/ev.nptb" "$TMP/ev3.nptb" || { echo "FAIL: events: binary -> text -> binary differs"; fails=$((fails+1)); }
expect_status 0 "gen --help" -- "$NPTSIM" gen --help
expect_grep "$TMP/out" "--balloon-every" "gen --help lists the event options"
expect_status 2 "balloon in a gva trace" -- "$NPTSIM" gen --addr gva --balloon-every 10 --balloon-pages 1 -o "$TMP/x.nptb"
expect_grep "$TMP/err" "option '--balloon-every': .*--addr gpa" "balloon needs gpa"
expect_status 2 "every 0" -- "$NPTSIM" gen --ctxsw-every 0 -o "$TMP/x.nptb"
expect_grep "$TMP/err" "option '--ctxsw-every': must be at least 1" "names --ctxsw-every"
expect_status 2 "asids without ctxsw" -- "$NPTSIM" gen --asids 4 -o "$TMP/x.nptb"
expect_grep "$TMP/err" "option '--asids' needs --ctxsw-every" "names --asids"
expect_status 2 "balloon pages beyond the footprint" -- "$NPTSIM" gen --footprint 64KiB --balloon-every 10 --balloon-pages 17 -o "$TMP/x.nptb"
expect_grep "$TMP/err" "option '--balloon-pages': 17 pages" "names --balloon-pages"
expect_status 2 "dirty rounds beyond the count" -- "$NPTSIM" gen --count 100 --dirty-rounds 4 --dirty-every 25 -o "$TMP/x.nptb"
expect_grep "$TMP/err" "option '--dirty-rounds': the dirty-stop would follow access 125" "names --dirty-rounds"
printf 'nptsim-trace 1 gpa\nR 0x1000 8\nE unmap 0x1001 1\n' > "$TMP/badevent.txt"
expect_status 2 "unaligned unmap" -- "$NPTSIM" info -q "$TMP/badevent.txt"
expect_grep "$TMP/err" "badevent.txt:3: unmap: address 0x1001 is not 4 KiB-aligned" "file:line of a bad event"
# export-image applies a trace's events as run does (the image is the guest after them); an event
# the address space refuses is named with its record.
expect_status 0 "gen cache events" -- "$NPTSIM" gen -q --count 2000 --footprint 4MiB --ctxsw-every 100 --tlb-flush-every 300 --migrate-every 500 -o "$TMP/cache-ev.nptb"
expect_status 0 "export-image with cache events" -- "$NPTSIM" export-image --addr gpa --trace "$TMP/cache-ev.nptb" --probes 20 --out "$TMP/img-ok"
expect_status 0 "export-image with balloon events" -- "$NPTSIM" export-image --addr gpa --backend lazy --trace "$TMP/ev.nptb" --probes 20 --out "$TMP/img-balloon"
printf 'nptsim-trace 1 gpa\nR 0x1000 8\nE dirty-stop\n' > "$TMP/stop-off.txt"
expect_status 2 "export-image refuses a stop without a start" -- "$NPTSIM" export-image --addr gpa --trace "$TMP/stop-off.txt" --probes 4 --out "$TMP/img-bad"
expect_grep "$TMP/err" "stop-off.txt: record 1: dirty-stop: dirty logging is off" "export-image names the refused event's record"

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
