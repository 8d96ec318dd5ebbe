# The sample traces of traces/samples and the workload excerpts of traces/workloads decode to
# exactly the recorded summaries (tests/golden), and the binary -> text -> binary round trip of
# the gzip sample is byte-exact.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$DATA/../.." && pwd)
for dir in samples workloads; do
  cd "$ROOT/traces/$dir" || exit 1
  for f in *.nptb.xz; do
    [ -e "$f" ] || continue
    name=${f%.nptb.xz}
    expect_status 0 "info $f" -- "$NPTSIM" info -q "$f"
    if ! diff -u "$ROOT/tests/golden/$name.info" "$TMP/out" > "$TMP/diff"; then
      echo "FAIL: $f: nptsim info differs from tests/golden/$name.info"; head -20 "$TMP/diff"; fails=$((fails+1))
    fi
  done
done
cd "$ROOT/traces/samples" || exit 1
expect_status 0 "sample to binary" -- "$NPTSIM" convert -q gzip.nptb.xz "$TMP/a.nptb"
expect_status 0 "binary to text" -- "$NPTSIM" convert -q "$TMP/a.nptb" "$TMP/a.txt"
expect_status 0 "text to binary" -- "$NPTSIM" convert -q "$TMP/a.txt" "$TMP/b.nptb"
cmp -s "$TMP/a.nptb" "$TMP/b.nptb" || { echo "FAIL: round trip of gzip sample is not byte-exact"; fails=$((fails+1)); }
finish
