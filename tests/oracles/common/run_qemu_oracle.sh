#!/usr/bin/env bash
# Differential test of one architecture against QEMU: generate seeded random images, run
# QEMU on each (emulate.py -> expected.txt), run `nptsim translate --image` on each, compare.
# usage: run_qemu_oracle.sh ARCH_DIR QEMU CROSS_GCC NPTSIM WORK_DIR SEED COUNT
#   ARCH_DIR  tests/oracles/rv or tests/oracles/arm (build.sh, gen_random.py, emulate.py)
#   WORK_DIR  private to this test (wiped first), so tests can run in parallel
# Exit 0 when every probe agrees; 1 with the disagreements listed otherwise.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1   # keep the source tree clean (and parallel runs apart)
arch_dir=$1 qemu=$2 gcc=$3 nptsim=$4 work=$5 seed=$6 count=$7
common="$(cd "$(dirname "$0")" && pwd)"
for tool in "$qemu" "$gcc" python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found: run scripts/setup.sh"; exit 1; }
done
rm -rf "$work"; mkdir -p "$work/images"
"$arch_dir/build.sh" "$work"
python3 "$arch_dir/gen_random.py" --seed "$seed" --count "$count" --out "$work/images" > "$work/images.list"
bad=0 probes=0
while read -r img; do
  python3 "$arch_dir/emulate.py" "$img" --harness "$work/harness.elf" > /dev/null < /dev/null
  probes=$((probes + $(wc -l < "$img/expected.txt")))
  rc=0; "$nptsim" translate --image "$img" > "$img/actual.txt" 2> "$img/actual.err" < /dev/null || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAIL: nptsim translate --image $img exited $rc: $(head -c 400 "$img/actual.err")"
    bad=1; continue
  fi
  python3 "$common/compare_answers.py" "$img/expected.txt" "$img/actual.txt" \
      --probes "$img/probes.txt" --label "$(basename "$img")" > "$img/compare.txt" || {
    grep -v ' agree, 0 disagree' "$img/compare.txt"; bad=1; }
done < "$work/images.list"
echo "$(wc -l < "$work/images.list") images, $probes probes compared with QEMU ($work/images)"
exit $bad
