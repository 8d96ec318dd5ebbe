# nptsim validate: replays a calibrate file (tests/data/calibrate/measured-small.json, measured
# once on an AMD EPYC VM) through the model: a table per series with measured and simulated
# time; deterministic; errors name the file and field, or the option.
source "$(dirname "$0")/lib.sh"
M="$DATA/calibrate/measured-small.json"

expect_status 0 "validate skylake" -- "$NPTSIM" validate --preset skylake --measured "$M" --out "$TMP/v" --no-plot -q
expect_grep "$TMP/out" "^series tlb-4k \(line-per-page, 4 KiB pages\): guest-virtual chase" "2D replay for a VM's curve"
expect_grep "$TMP/out" "^series cache \(every-line, 2 MiB pages\)" "the cache series"
expect_grep "$TMP/out" "mean \|error\|" "a mean error per series"
# Inside the L1 TLB and the L1D, a dependent chase costs the L1D latency: skylake's 4 cycles.
expect_grep "$TMP/out" "^ +128 KiB +32 +[0-9.]+ +1\.21 +4\.0 " "32 pages: an L1 hit at 3.3 GHz"
[ "$(wc -l < "$TMP/v/validate.csv")" -eq 11 ] || { echo "FAIL: validate.csv should have 10 points (4 + 2 + 4)"; fails=$((fails+1)); }
cp "$TMP/v/validate.csv" "$TMP/first.csv"
expect_status 0 "validate again" -- "$NPTSIM" validate --preset skylake --measured "$M" --out "$TMP/v" --no-plot -q
cmp -s "$TMP/first.csv" "$TMP/v/validate.csv" || { echo "FAIL: validate is not deterministic"; fails=$((fails+1)); }

expect_status 0 "one series, one-dimensional" -- "$NPTSIM" validate --preset skylake --measured "$M" --out "$TMP/v1" --no-plot --series tlb-4k --two-dimensional off
expect_grep "$TMP/out" "guest-physical chase over stage 2 only" "1D replay on request"

# Without a measurement: the preset's own curve over calibrate's footprints.
expect_status 0 "no --measured" -- "$NPTSIM" validate --preset skylake --series tlb-4k --max-footprint 512KiB --out "$TMP/v2" --no-plot
expect_grep "$TMP/out" "^no measurement; simulated: x86_64, preset skylake" "says nothing was measured"
expect_grep "$TMP/out" "^ +256 KiB +64 +- +1\.21 +4\.0 +- +0\.0% +0\.0%$" "64 pages: every access an L1 TLB hit"
expect_grep "$TMP/out" "^ +512 KiB +128 +- +[0-9.]+ +16\.0 +- +100\.0% +0\.0%$" "128 pages: an L2 TLB hit (+12 cycles)"
expect_status 2 "bad --max-footprint" -- "$NPTSIM" validate --max-footprint lots
expect_grep "$TMP/err" "option '--max-footprint': not a size" "names the option"
printf '{"format": "nptsim-calibrate", "version": 1, "host": {"cpu": "x"}}' > "$TMP/bad.json"
expect_status 2 "incomplete file" -- "$NPTSIM" validate --measured "$TMP/bad.json"
expect_grep "$TMP/err" "bad.json: host: no valid 'arch'" "names the file and the field"
printf 'not json' > "$TMP/notjson.json"
expect_status 2 "not JSON" -- "$NPTSIM" validate --measured "$TMP/notjson.json"
expect_grep "$TMP/err" "notjson.json: not JSON" "names the file"
expect_status 2 "bad laps" -- "$NPTSIM" validate --measured "$M" --laps 0
expect_grep "$TMP/err" "option '--laps'" "names the option"
expect_status 2 "bad backing" -- "$NPTSIM" validate --measured "$M" --host-backing lazy
expect_grep "$TMP/err" "option '--host-backing'" "names the option"
finish
