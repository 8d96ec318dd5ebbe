#!/usr/bin/env bash
# nptsim translate / export-image: round trip, determinism, and clear errors on bad images.
source "$(dirname "$0")/lib.sh"

expect_status 0 "translate --help" -- "$NPTSIM" translate --help
expect_grep "$TMP/out" "IMAGE.md" "translate help names the format"
expect_status 2 "translate without --image" -- "$NPTSIM" translate
expect_status 2 "translate of a missing directory" -- "$NPTSIM" translate --image "$TMP/nope"
expect_grep "$TMP/err" "nope: is not a directory" "missing directory named"

# A guest exported per architecture translates, and the same seed gives the same image.
for arch in x86_64 aarch64 riscv64; do
  expect_status 0 "export-image $arch" -- "$NPTSIM" export-image --arch "$arch" --out "$TMP/$arch" --probes 50 --workload-count 2000
  expect_status 0 "export-image $arch again" -- "$NPTSIM" export-image --arch "$arch" --out "$TMP/$arch.2" --probes 50 --workload-count 2000
  if ! diff -r "$TMP/$arch" "$TMP/$arch.2" >/dev/null; then echo "FAIL: export-image $arch is not deterministic"; fails=$((fails + 1)); fi
  expect_status 0 "translate $arch" -- "$NPTSIM" translate --image "$TMP/$arch" --refs
  expect_grep "$TMP/out" "^49 (OK|FAULT)" "$arch: an answer for the last probe"
  expect_grep "$TMP/out" "^[0-9]+ OK pa=0x" "$arch: some probes translate"
  expect_grep "$TMP/out" "^[0-9]+ R 0x[0-9a-f]+ [A-Z_0-9]+ 0x" "$arch: reference lines"
done

# Malformed images: each error names the file and what to fix.
img=$TMP/x86_64
cp -r "$img" "$TMP/bad"
printf '0 R 0x1000\n2 W 0x2000\n' > "$TMP/bad/probes.txt"
expect_status 2 "probe index out of order" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" "probes.txt: line 2: index '2' should be 1" "bad probe line named"
printf '0 Q 0x1000\n' > "$TMP/bad/probes.txt"
expect_status 2 "bad access type" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" "line 1: access type 'Q'" "bad access type named"
printf '0 X 0x1000\n' > "$TMP/bad/probes.txt"
expect_status 2 "X probe on x86" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" "X probes exist on riscv64 only" "X probe refused"
cp "$img/probes.txt" "$TMP/bad/probes.txt"
sed 's/"cr4": "0x20"/"cr4": "0x100020"/' "$img/regime.json" > "$TMP/bad/regime.json"
expect_status 2 "unsupported CR4.SMEP" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" "stage1.cr4.SMEP is not modelled" "unsupported field named"
sed 's/"eptp"/"eptq"/' "$img/regime.json" > "$TMP/bad/regime.json"
expect_status 2 "unknown register" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" "stage2.eptq is not a field" "unknown register named"
sed 's/"arch"/"extra": 1, "arch"/' "$img/regime.json" > "$TMP/bad/regime.json"
expect_status 2 "unknown regime key" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" 'regime.json: unknown key "extra"' "unknown key named"
echo '{"arch": "x86_64", "stage2": ' > "$TMP/bad/regime.json"
expect_status 2 "truncated regime.json" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" "regime.json: not valid JSON" "truncated JSON named"
cp "$img/regime.json" "$TMP/bad/regime.json"
seg=$(ls "$TMP/bad"/seg_*.bin | head -1)
head -c 100 "$seg" > "$TMP/bad/seg_5000.bin"
expect_status 2 "short segment" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" "seg_5000.bin: segment length 100" "short segment named"
rm "$TMP/bad/seg_5000.bin"
cp "$seg" "$TMP/bad/seg_12G.bin"
expect_status 2 "bad segment name" -- "$NPTSIM" translate --image "$TMP/bad"
expect_grep "$TMP/err" "seg_<lowercase hex address>.bin" "bad segment name explained"

expect_status 2 "export-image without --out" -- "$NPTSIM" export-image
expect_status 2 "export-image bad arch" -- "$NPTSIM" export-image --out "$TMP/e" --arch sparc
expect_grep "$TMP/err" "unknown architecture 'sparc'" "bad arch named"
expect_status 2 "export-image bad RAM size" -- "$NPTSIM" export-image --out "$TMP/e" --guest-ram 3MiB
expect_grep "$TMP/err" "guest-ram" "bad RAM option named"
finish
