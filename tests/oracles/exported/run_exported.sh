#!/usr/bin/env bash
# Images nptsim exports from its own AddrSpace and guest-OS model (nptsim export-image), after a
# real sample trace and after a built-in stream, run on each architecture's emulator and
# through `nptsim translate`; answers (and for x86 the Bochs reference sequences) compared.
# usage: run_exported.sh NPTSIM SAMPLE_TRACE WORK_DIR
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
nptsim=$1 trace=$2 work=$3
oracles="$(cd "$(dirname "$0")/.." && pwd)"
for tool in qemu-system-riscv64 qemu-system-aarch64 riscv64-linux-gnu-gcc aarch64-linux-gnu-gcc bochs script python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found: run scripts/setup.sh"; exit 1; }
done
rm -rf "$work"; mkdir -p "$work"
"$oracles/rv/build.sh" "$work/rv" >/dev/null
"$oracles/arm/build.sh" "$work/arm" >/dev/null
"$oracles/x86/build_harness.sh" "$work/x86" >/dev/null

bad=0 total=0
# check ARCH NAME EXPORT-OPTIONS...: export, emulate, translate, compare.
check() {
  local arch=$1 name=$2; shift 2
  local img="$work/img/$name"
  "$nptsim" export-image --arch "$arch" --out "$img" "$@" > "$work/$name.export.txt"
  case $arch in
    riscv64) python3 "$oracles/rv/emulate.py" "$img" --harness "$work/rv/harness.elf" > /dev/null ;;
    aarch64) python3 "$oracles/arm/emulate.py" "$img" --harness "$work/arm/harness.elf" > /dev/null ;;
    x86_64) python3 "$oracles/x86/emulate.py" "$img" --harness "$work/x86" --work "$work/bochs/$name" > /dev/null ;;
  esac
  "$nptsim" translate --image "$img" --refs > "$work/$name.actual.txt"
  total=$((total + $(wc -l < "$img/expected.txt")))
  python3 "$oracles/common/compare_answers.py" "$img/expected.txt" "$work/$name.actual.txt" \
      --probes "$img/probes.txt" --label "$name" > "$work/$name.compare.txt" || { cat "$work/$name.compare.txt"; bad=1; }
  if [ "$arch" = x86_64 ]; then
    python3 "$oracles/x86/compare_refs_x86.py" "$img/refs.txt" "$work/$name.actual.txt" --label "$name: " || bad=1
  fi
}
# guest-virtual sample trace: 48-bit guest address spaces (Sv48, AArch64 4 levels, x86-64 4 levels)
for arch in x86_64 aarch64 riscv64; do
  check "$arch" "$arch-trace-lazy" --trace "$trace" --backend lazy --guest-levels 4 --probes 300 --seed 11
  check "$arch" "$arch-gpa-alloc" --addr gpa --backend alloc --probes 200 --seed 12
  check "$arch" "$arch-gva-huge-linear" --addr gva --backend linear --guest-huge on --probes 200 --seed 13
done
echo "$total probes of images exported by nptsim compared with the emulators ($work)"
exit $bad
