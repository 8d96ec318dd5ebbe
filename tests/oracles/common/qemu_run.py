"""Helpers shared by the QEMU emulate.py drivers (riscv64, aarch64).

  ImageRefused            exception: the image cannot be run on this emulator (message says why)
  check_segments(img, windows)   every segment must lie inside one (lo, hi) window
  build_harness(arch_dir, out_dir) -> path of harness.elf (runs <arch>/build.sh)
  run_qemu(cmd, loads, timeout) -> stdout text; loads = [(path, addr)] for -device loader
"""
import os
import shutil
import subprocess


class ImageRefused(Exception):
    pass


def check_segments(img, windows, what="segment"):
    for hpa, data in img.segments:
        end = hpa + len(data)
        if not any(lo <= hpa and end <= hi for lo, hi in windows):
            allowed = ", ".join(f"[{lo:#x}, {hi:#x})" for lo, hi in windows)
            raise ImageRefused(f"{what} [{hpa:#x}, {end:#x}) outside the usable RAM {allowed}")


def need(tool):
    if shutil.which(tool) is None:
        raise FileNotFoundError(f"{tool} not found: run scripts/setup.sh")


def build_harness(arch_dir, out_dir):
    elf = os.path.join(out_dir, "harness.elf")
    if not os.path.exists(elf):
        subprocess.run([os.path.join(arch_dir, "build.sh"), out_dir], check=True)
    return elf


def run_qemu(cmd, loads, timeout=60):
    need(cmd[0])
    args = list(cmd)
    for path, addr in loads:
        args += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
    p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                       text=True, errors="replace")
    if p.returncode != 0 or "END" not in p.stdout:
        raise RuntimeError(f"{cmd[0]} failed (exit {p.returncode}):\n{p.stderr[-2000:]}\n"
                           f"{p.stdout[-2000:]}")
    return p.stdout
