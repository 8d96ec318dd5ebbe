# nptsim calibrate --quick: the files it writes, their structure and sanity (no timing
# assertions: measurements vary), the fitted preset loading, and bad options.
source "$(dirname "$0")/lib.sh"
expect_status 0 "calibrate --help" -- "$NPTSIM" calibrate --help
expect_grep "$TMP/out" "Usage: nptsim calibrate" "usage"
expect_status 0 "calibrate --quick" -- "$NPTSIM" calibrate --quick --out "$TMP/cal"
for f in measured.json measured.csv fitted.ini; do
  [ -s "$TMP/cal/$f" ] || { echo "FAIL: $f missing"; fails=$((fails + 1)); }
done
expect_grep "$TMP/out" "^tlb-4k: " "summary: tlb-4k table"
expect_grep "$TMP/out" "^cache: " "summary: cache table"
expect_grep "$TMP/out" "^fitted \(fitted.ini\):" "summary: fitted values"
expect_grep "$TMP/out" "virtual machine" "summary: VM verdict"
if ! python3 - "$TMP/cal/measured.json" > "$TMP/py" 2>&1 <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["format"] == "nptsim-calibrate" and j["version"] == 1
h = j["host"]
assert isinstance(h["cpu"], str) and isinstance(h["virtual_machine"], bool)
assert isinstance(h["vm_evidence"], str) and isinstance(h["thp"], str)
assert h["freq_ghz"] > 0, "core clock"
assert isinstance(j["pattern"]["seed"], int) and j["pattern"]["line_rule"]
names = [s["name"] for s in j["series"]]
assert names == ["tlb-4k", "tlb-2m", "cache"], names
for s in j["series"]:
    assert s["mode"] in ("line-per-page", "every-line")
    assert s["page_bytes"] in (4096, 2 << 20)
    assert ("huge_backed" in s) == (s["page_bytes"] == 2 << 20)
    fp = [p["footprint_bytes"] for p in s["points"]]
    assert len(fp) >= 2 and fp == sorted(fp) and len(set(fp)) == len(fp), fp
    for p in s["points"]:
        assert p["pages"] > 0 and p["accesses"] > 0
        assert p["ns_per_access"] > 0 and p["cycles_per_access"] > 0, p
for k, v in j["fitted"].items():
    assert isinstance(v, (int, float)) and v > 0, (k, v)
PY
then echo "FAIL: measured.json"; cat "$TMP/py"; fails=$((fails + 1)); fi
expect_grep "$TMP/cal/measured.csv" "^series,pages,page_bytes,footprint_bytes,ns_per_access,cycles_per_access$" "CSV header"
expect_grep "$TMP/cal/measured.csv" "^tlb-2m,8,2097152,16777216," "CSV tlb-2m row"
[ "$(grep -c '^cache,' "$TMP/cal/measured.csv")" -ge 2 ] || { echo "FAIL: CSV cache rows"; fails=$((fails + 1)); }
# The fitted preset loads, alone and over the base preset.
expect_status 0 "fitted.ini loads" -- "$NPTSIM" params --config "$TMP/cal/fitted.ini"
expect_status 0 "fitted.ini over skylake" -- "$NPTSIM" params --preset skylake --config "$TMP/cal/fitted.ini"
expect_status 0 "fitted.ini over zen5" -- "$NPTSIM" params --preset zen5 --config "$TMP/cal/fitted.ini"
expect_grep "$TMP/cal/fitted.ini" "^# nptsim calibrate: values measured on " "preset title"
# Every key line has its 'measured by' comment just above (or 'estimate:' for what is not
# measured: the ways written with a size).
if ! awk '/^[a-z]/ { if (prev !~ /^# (measured by nptsim calibrate on |estimate: )/) bad = 1 } { prev = $0 } END { exit bad }' "$TMP/cal/fitted.ini"; then
  echo "FAIL: a fitted key without its comment"; fails=$((fails + 1))
fi
# One series, quiet: files only.
expect_status 0 "one series, quiet" -- "$NPTSIM" calibrate --quick -q --series cache --out "$TMP/one"
[ -s "$TMP/out" ] && { echo "FAIL: -q printed on stdout"; fails=$((fails + 1)); }
[ "$(grep -c -v '^cache,\|^series,' "$TMP/one/measured.csv")" = 0 ] || { echo "FAIL: --series cache measured others"; fails=$((fails + 1)); }

# Bad options: exit 2, naming the option.
expect_status 2 "unknown series" -- "$NPTSIM" calibrate --quick --series tlb-1g --out "$TMP/x"
expect_grep "$TMP/err" "--series.*tlb-1g" "names --series"
expect_status 2 "bad size" -- "$NPTSIM" calibrate --quick --max-footprint 12X --out "$TMP/x"
expect_grep "$TMP/err" "--max-footprint.*12X" "names --max-footprint"
expect_status 2 "too large" -- "$NPTSIM" calibrate --max-footprint 1000TiB --series tlb-4k --out "$TMP/x"
expect_grep "$TMP/err" "--max-footprint.*available" "refuses more than MemAvailable"
expect_status 2 "too small" -- "$NPTSIM" calibrate --max-footprint 1MiB --series tlb-2m --out "$TMP/x"
expect_grep "$TMP/err" "--max-footprint.*no point" "a series without points"
expect_status 2 "bad repeat" -- "$NPTSIM" calibrate --quick --repeat 0 --out "$TMP/x"
expect_grep "$TMP/err" "--repeat" "names --repeat"
expect_status 2 "not a number" -- "$NPTSIM" calibrate --quick --seed many --out "$TMP/x"
expect_grep "$TMP/err" "--seed" "names --seed"
printf 'x' > "$TMP/file"
expect_status 2 "out is a file" -- "$NPTSIM" calibrate --quick --series cache --out "$TMP/file/sub"
expect_grep "$TMP/err" "--out" "names --out"
finish
