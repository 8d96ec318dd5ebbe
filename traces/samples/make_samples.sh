#!/usr/bin/env bash
# Regenerates the sample traces of this folder: real programs from Debian 12 recorded with
# `nptsim record` (qemu tracer, x86_64), xz-compressed. Usage: make_samples.sh NPTSIM [OUTDIR]
# The words file is generated deterministically (mawk srand(42)), so the inputs are the same on
# every machine; the traces can differ in a few addresses between qemu and libc versions.
set -euo pipefail
NPTSIM=${1:?usage: make_samples.sh PATH/TO/nptsim [OUTDIR]}
OUT=${2:-$(dirname "$0")}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# 2000 lines "word number prefix" of pseudo-random lowercase words.
mawk 'BEGIN{srand(42); for(i=0;i<2000;i++){n=int(rand()*12)+3; w="";
  for(j=0;j<n;j++) w=w sprintf("%c",97+int(rand()*26));
  printf "%s %d %s\n", w, int(rand()*100000), substr(w,1,3)}}' > "$TMP/words.txt"
head -n 800 "$TMP/words.txt" > "$TMP/words800.txt"

"$NPTSIM" record -q -o "$TMP/sort.nptb" -- /usr/bin/sort "$TMP/words.txt" > /dev/null
"$NPTSIM" record -q -o "$TMP/awk-dict.nptb" -- /usr/bin/mawk \
  '{c[$3]++; s[$1]=$2} END{for(k in c) n++; print n}' "$TMP/words.txt" > /dev/null
"$NPTSIM" record -q -o "$TMP/gzip.nptb" -- /bin/gzip -6 -c "$TMP/words800.txt" > /dev/null
for t in sort awk-dict gzip; do
  xz -6 -T1 -c "$TMP/$t.nptb" > "$OUT/$t.nptb.xz"
done
ls -l "$OUT"/*.nptb.xz
