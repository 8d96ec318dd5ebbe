# The parameter tree on the command line: layers (preset < config < --KEY < --set), errors that
# name file:line, key and value, the skylake preset equal to the built-in defaults, and
# docs/PARAMETERS.md generated from the declarations.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$DATA/../.." && pwd)

expect_status 0 "params --markdown" -- "$NPTSIM" params --markdown
if ! diff -u "$ROOT/docs/PARAMETERS.md" "$TMP/out" > "$TMP/diff"; then
  echo "FAIL: docs/PARAMETERS.md is stale: regenerate it with 'nptsim params --markdown > docs/PARAMETERS.md'"
  head -20 "$TMP/diff"; fails=$((fails+1))
fi
expect_status 0 "params --ini" -- "$NPTSIM" params --ini
if ! diff <(grep -v '^#' "$ROOT/presets/skylake.ini") <(grep -v '^#' "$TMP/out") > "$TMP/diff"; then
  echo "FAIL: presets/skylake.ini differs from the built-in defaults"; head -20 "$TMP/diff"; fails=$((fails+1))
fi
expect_status 0 "skylake preset" -- "$NPTSIM" params --preset skylake
if grep -q "(default" "$TMP/out"; then echo "FAIL: --preset skylake changed a default"; grep "(default" "$TMP/out" | head; fails=$((fails+1)); fi

# Layers: the config file over the preset, --KEY over the file, --set over everything.
printf '# a comment\n[tlb.l1d]\nentries = 32 ; trailing comment\n' > "$TMP/a.ini"
printf 'tlb.l1d.ways = 8\n' > "$TMP/b.ini"
expect_status 0 "config layer" -- "$NPTSIM" params --preset skylake --config "$TMP/a.ini" --config "$TMP/b.ini"
expect_grep "$TMP/out" "^tlb.l1d.entries = 32  \(default 64\)" "INI section and key"
expect_grep "$TMP/out" "^tlb.l1d.ways = 8  \(default 4\)" "second config file, dotted key"
expect_status 0 "option layer" -- "$NPTSIM" params --config "$TMP/a.ini" --tlb.l1d.entries 16
expect_grep "$TMP/out" "^tlb.l1d.entries = 16 " "--KEY over the config file"
expect_status 0 "set layer" -- "$NPTSIM" params --config "$TMP/a.ini" --tlb.l1d.entries 16 --set tlb.l1d.entries=8
expect_grep "$TMP/out" "^tlb.l1d.entries = 8 " "--set over --KEY"

# Errors: exit 2, naming where, the key and the value.
printf '[tlb.l1d]\nentries = lots\n' > "$TMP/bad.ini"
expect_status 2 "bad INI value" -- "$NPTSIM" run --config "$TMP/bad.ini"
expect_grep "$TMP/err" "bad.ini:2: tlb.l1d.entries = 'lots': not a whole number" "file:line, key, value"
printf '[tlb.l1d]\nentires = 64\n' > "$TMP/typo.ini"
expect_status 2 "unknown INI key" -- "$NPTSIM" run --config "$TMP/typo.ini"
expect_grep "$TMP/err" "typo.ini:2: no configuration key 'tlb.l1d.entires'" "names the unknown key"
printf '[tlb.l1d\n' > "$TMP/syntax.ini"
expect_status 2 "bad INI syntax" -- "$NPTSIM" run --config "$TMP/syntax.ini"
expect_grep "$TMP/err" "syntax.ini:1: a section header" "syntax error with line"
expect_status 2 "missing config file" -- "$NPTSIM" run --config "$TMP/nonexistent.ini"
expect_grep "$TMP/err" "nonexistent.ini: cannot read" "names the missing file"
expect_status 2 "unknown preset" -- "$NPTSIM" run --preset pentium4
expect_grep "$TMP/err" "no preset 'pentium4'.*skylake" "lists the presets"
expect_status 2 "choice out of list" -- "$NPTSIM" run --set tlb.l2.policy=mru
expect_grep "$TMP/err" "tlb.l2.policy = 'mru': expected one of lru, fifo, random" "lists the choices"
expect_status 2 "on/off" -- "$NPTSIM" run --set ad.ept=yes
expect_grep "$TMP/err" "ad.ept = 'yes': expected on or off" "on/off values"
expect_status 2 "out of range" -- "$NPTSIM" run --set guest.levels=7
expect_grep "$TMP/err" "guest.levels = '7': out of range \[3, 5\]" "range"
expect_status 2 "option prefix" -- "$NPTSIM" run --tlb.l1d.entr 32
expect_grep "$TMP/err" "unrecognised option|unknown option" "no prefix guessing"
finish
