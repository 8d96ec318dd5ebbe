# The default job runs, describes every architecture, and is byte-identical across runs.
source "$(dirname "$0")/lib.sh"
for backend in linear alloc lazy; do
  expect_status 0 "summary $backend" -- "$NPTSIM" summary --backend "$backend" --guest-ram 256MiB
  cp "$TMP/out" "$TMP/first"
  expect_status 0 "summary $backend again" -- "$NPTSIM" summary --backend "$backend" --guest-ram 256MiB
  cmp -s "$TMP/first" "$TMP/out" || { echo "FAIL: $backend output differs between runs"; fails=$((fails+1)); }
  for arch in x86_64 aarch64 riscv64; do expect_grep "$TMP/out" "^== $arch" "$backend: $arch section"; done
done
expect_status 0 "default summary" -- "$NPTSIM" summary
expect_grep "$TMP/out" "leaves +4K: 0, 2M: 0, 1G: 4" "4 GiB linear RAM uses four 1 GiB leaves"
expect_grep "$TMP/out" "GPA 0x1234 +HPA 0x4000001234" "linear translation"
expect_status 0 "lazy" -- "$NPTSIM" summary --backend lazy --arch riscv64 --geometry hardware --levels 3
expect_grep "$TMP/out" "root 16 KiB" "Sv39x4 root"
expect_grep "$TMP/out" "nested fault handled -> HPA" "lazy faults in"
finish
