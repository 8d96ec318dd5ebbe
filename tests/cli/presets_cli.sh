# The hardware presets of presets/: each loads, sets every hardware key with a source comment
# above it, and docs/PRESETS.md is generated from the files; per-architecture presets (native)
# need an architecture and put each one on its own core in compare.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$DATA/../.." && pwd)

expect_status 0 "params --presets-markdown" -- "$NPTSIM" params --presets-markdown
if ! diff -u "$ROOT/docs/PRESETS.md" "$TMP/out" > "$TMP/diff"; then
  echo "FAIL: docs/PRESETS.md is stale: regenerate it with 'nptsim params --presets-markdown > docs/PRESETS.md'"
  head -20 "$TMP/diff"; fails=$((fails+1))
fi

expect_status 0 "params --presets" -- "$NPTSIM" params --presets
cut -d' ' -f1 "$TMP/out" > "$TMP/names"
for name in $(cat "$TMP/names"); do
  if grep -q '^\[per_arch\]' "$ROOT/presets/$name.ini"; then
    for arch in x86_64 aarch64 riscv64; do
      expect_status 0 "preset $name on $arch" -- "$NPTSIM" params --preset "$name" --arch "$arch" --sources
    done
    continue
  fi
  expect_status 0 "preset $name loads" -- "$NPTSIM" params --preset "$name" --sources
  # Every hardware key comes from the preset (not a default), with a source comment.
  hw='^(core|mmu|tlb|walk_cache|mem|fault)\.'
  if grep -E "$hw" "$TMP/out" | grep -q -- "<- default:"; then
    echo "FAIL: preset $name leaves hardware keys at their defaults:"
    grep -E "$hw" "$TMP/out" | grep -- "<- default:" | head -5 | sed 's/^/  /'; fails=$((fails+1))
  fi
  if grep -E "$hw" "$TMP/out" | grep -Eq -- "<- [^ ]+\.ini:[0-9]+$"; then
    echo "FAIL: preset $name has values without a source comment:"
    grep -E -- "<- [^ ]+\.ini:[0-9]+$" "$TMP/out" | head -5 | sed 's/^/  /'; fails=$((fails+1))
  fi
done

# A per-architecture preset needs an architecture; it takes each architecture's entry.
expect_status 2 "native without --arch" -- "$NPTSIM" params --preset native
expect_grep "$TMP/err" "names a preset per architecture; choose one with --arch" "asks for --arch"
native_x86=$(sed -n 's/^x86_64 *= *//p' "$ROOT/presets/native.ini")
expect_status 0 "native on x86_64" -- "$NPTSIM" params --preset native --arch x86_64 --sources
expect_grep "$TMP/out" "^tlb.l2.entries = .*<- .*/$native_x86\.ini:" "x86_64 takes its preset's file"

printf '[per_arch]\nmips = skylake\n' > "$TMP/badarch.ini"
expect_status 2 "unknown architecture in a per-arch preset" -- "$NPTSIM" params --preset "$TMP/badarch.ini" --arch x86_64
expect_grep "$TMP/err" "badarch.ini:2: unknown architecture 'mips'" "names file:line and the architecture"
printf '[per_arch]\nx86_64 = skylake\n[tlb.l1d]\nentries = 32\n' > "$TMP/mixed.ini"
expect_status 2 "per-arch preset with other keys" -- "$NPTSIM" params --preset "$TMP/mixed.ini" --arch x86_64
expect_grep "$TMP/err" "mixed.ini:4: a per-architecture preset has only its \[per_arch\] section" "names the stray key"

# compare --preset native: each architecture on its own core, named in the table and the echo.
T=$(mktemp -d)
"$NPTSIM" gen --pattern uniform --count 20000 --footprint 64MiB --addr gpa -q --out "$T/u.nptb"
expect_status 0 "compare --preset native" -- "$NPTSIM" compare --trace "$T/u.nptb" --preset native --backend linear --timing off --json "$T/native.json"
expect_grep "$TMP/out" "^x86_64 .* $native_x86$" "the comparison table names each row's preset"
expect_grep "$TMP/out" "^configuration of x86_64 linear$" "the configuration of each core"
python3 - "$T/native.json" "$native_x86" <<'PY' || fails=$((fails+1))
import json, sys
r = json.load(open(sys.argv[1]))
runs = {x["arch"]: x for x in r["runs"]}
assert runs["x86_64"]["config"]["preset"] == sys.argv[2], runs["x86_64"].get("config", {}).get("preset")
assert len({x["config"]["tlb.l2.entries"] for x in r["runs"]}) > 1, "every core has the same L2 TLB"
assert "preset" not in r["config"], "the top-level config holds only shared keys"
PY
expect_status 0 "compare --preset skylake" -- "$NPTSIM" compare --trace "$T/u.nptb" --preset skylake --backend linear --timing off
expect_grep "$TMP/out" "^riscv64 .* skylake$" "one core for all three"
expect_grep "$TMP/out" "^  estimates = .*tlb.nested" "the echo lists the values without a public source"
rm -rf "$T"
finish
