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


def run_harness(image_dir, img, qemu_cmd, cfg, cfg_addr):
    """Runs the harness on QEMU with the config block `cfg` at `cfg_addr` and every segment of
    the image loaded at its address; saves the output as IMAGE_DIR/raw.out and returns it."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        cfgf = os.path.join(tmp, "cfg.bin")
        with open(cfgf, "wb") as f:
            f.write(cfg)
        loads = [(cfgf, cfg_addr)] + [(os.path.join(image_dir, f"seg_{h:x}.bin"), h) for h, _ in img.segments]
        out = run_qemu(qemu_cmd, loads)
    with open(os.path.join(image_dir, "raw.out"), "w") as f:
        f.write(out)
    return out


def write_expected(image_dir, img, got, answer):
    """expected.txt: answer(index, type, address, harness line) per probe, in order; every probe
    must have a harness line in `got` (index -> line). Returns the number of probes."""
    lines = []
    for i, t, a in img.probes:
        if i not in got:
            raise RuntimeError(f"no harness output for probe {i}")
        lines.append(answer(i, t, a, got[i]))
    with open(os.path.join(image_dir, "expected.txt"), "w") as f:
        f.write("".join(l + "\n" for l in lines))
    return len(lines)


def emulate_main(doc, arch_dir, emulate, default_ram_mib, ram_help):
    """The command line of rv/emulate.py and arm/emulate.py: IMAGE [--harness] [--ram-mib].
    Exit 0 done, 3 image refused (message says why), 1 emulator or harness failure."""
    import argparse
    import sys
    import tempfile
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("image")
    ap.add_argument("--harness", help="harness.elf (default: build one into a temp dir)")
    ap.add_argument("--ram-mib", type=int, default=default_ram_mib, help=ram_help)
    a = ap.parse_args()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            harness = a.harness or build_harness(arch_dir, tmp)
            n = emulate(a.image, harness, a.ram_mib)
    except ImageRefused as e:
        print(f"emulate.py: {a.image}: cannot run this image on QEMU: {e}", file=sys.stderr)
        return 3
    except (OSError, RuntimeError, ValueError, KeyError) as e:
        print(f"emulate.py: {a.image}: {e}", file=sys.stderr)
        return 1
    print(f"{a.image}: {n} probes emulated")
    return 0
