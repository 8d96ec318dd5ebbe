# One preset runs each sample trace on each architecture (timing off, linear backend): the
# preset's values build every platform, and the report names the preset. Argument 4: the preset.
source "$(dirname "$0")/lib.sh"
PRESET=$4
ROOT=$(cd "$DATA/../.." && pwd)
for sample in sort awk-dict gzip; do
  expect_status 0 "preset $PRESET runs $sample" -- "$NPTSIM" compare --trace "$ROOT/traces/samples/$sample.nptb.xz" \
    --preset "$PRESET" --backend linear --timing off
  expect_grep "$TMP/out" "^riscv64 .* [a-z0-9-]+$" "$sample: the table names the preset"
done
finish
