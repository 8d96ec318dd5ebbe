#!/bin/sh
# Build the Bochs EPT oracle harness into OUT (default: ./build): OUT/boot.img (1.44 MB floppy
# holding boot.S as its boot sector) and OUT/harness.bin (flat binary for 0x10000).
# Needs only the native binutils/gcc (x86-64). Exit 1 on any error.
set -e
here=$(cd "$(dirname "$0")/harness" && pwd)
out=${1:-build}
mkdir -p "$out"
cd "$out"
as --32 -o boot.o "$here/boot.S"
ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o boot.bin boot.o
dd if=/dev/zero of=boot.img bs=512 count=2880 2>/dev/null
dd if=boot.bin of=boot.img conv=notrunc 2>/dev/null
gcc -O2 -m64 -ffreestanding -fno-pic -no-pie -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
    -fcf-protection=none -fno-asynchronous-unwind-tables -nostdlib -static -Wall -Werror \
    -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack -T "$here/link.ld" \
    "$here/entry.S" "$here/harness.c" -o harness.elf
objcopy -O binary harness.elf harness.bin
end=$(nm harness.elf | awk '$3 == "_end" { print $1 }')
if [ $((0x$end)) -gt $((0x20000)) ]; then
    echo "build_harness.sh: harness ends at 0x$end, beyond 0x20000 (directory buffer)" >&2
    exit 1
fi
