#!/usr/bin/env bash
# Cross-compiles the AArch64 probe harness into OUT_DIR/harness.elf (< 1 s).
# usage: build.sh OUT_DIR
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)/harness"
out="$1"; mkdir -p "$out"
command -v aarch64-linux-gnu-gcc >/dev/null || { echo "aarch64-linux-gnu-gcc missing: run scripts/setup.sh" >&2; exit 1; }
aarch64-linux-gnu-gcc -O2 -mgeneral-regs-only -mstrict-align -ffreestanding -nostdlib -static \
  -fno-pic -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
  -T "$src/link.ld" "$src/start.S" "$src/harness.c" -o "$out/harness.elf"
