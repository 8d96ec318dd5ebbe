#!/usr/bin/env python3
"""Run a riscv64 image (IMAGE.md) on QEMU 7.2 (virt, H extension) and write its answers.

usage: emulate.py IMAGE_DIR [--harness ELF] [--ram-mib N]

Writes IMAGE_DIR/expected.txt (normalized per IMAGE.md section 4) and IMAGE_DIR/raw.out
(the harness's UART output). Exit 0 on success, 3 when the image cannot be run on QEMU
(the reason is printed: see the windows below and tests/oracles/README.md), 1 on errors.

Physical windows (QEMU virt, RAM at 0x80000000, --ram-mib MiB; default: the smallest power
of two >= 128 MiB that holds every segment, at most 2048):
  [0x80000000, 0x80200000)  harness code, data, stack and config block: no segment, no probe
  [0x80200000, RAM end)     segments (tables) and final data pages
Every word of the RAM window outside the segments is a "tag" (holds its own address), so a
successful probe must end in that part: a final address inside a segment or outside RAM
cannot be identified and the image is refused.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from image import read_image, answer_ok, answer_fault  # noqa: E402
from qemu_run import ImageRefused, check_segments, run_harness, write_expected, emulate_main  # noqa: E402

RAM_LO, HARNESS_END, CFG_ADDR = 0x80000000, 0x80200000, 0x80100000
MAGIC, MAX_TAGS, MAX_PROBES = 0x3242525054534e4e, 256, 60000
QEMU = ["qemu-system-riscv64", "-machine", "virt", "-cpu", "rv64,h=true", "-bios", "none",
        "-display", "none", "-monitor", "none", "-serial", "stdio", "-nodefaults"]
WALK_TINST = {0x2000, 0x3000, 0x2020, 0x3020}  # implicit VS-stage table access pseudoinstructions
TYPES = {"R": 0, "W": 1, "X": 2}


def check_regime(rg):
    """Return (hgatp, vsatp, flags) or raise ImageRefused for anything the harness cannot set."""
    if rg.get("arch") != "riscv64":
        raise ImageRefused(f"arch {rg.get('arch')!r} is not riscv64")
    hgatp = int(rg["stage2"]["hgatp"], 16)
    if hgatp >> 60 not in (8, 9) or (hgatp >> 44) & 0xffff:
        raise ImageRefused(f"hgatp {hgatp:#x}: MODE must be 8 or 9 and VMID 0")
    vsatp = 0
    if rg.get("stage1"):
        vsatp = int(rg["stage1"]["vsatp"], 16)
        if vsatp >> 60 not in (8, 9) or (vsatp >> 44) & 0xffff:
            raise ImageRefused(f"vsatp {vsatp:#x}: MODE must be 8 or 9 and ASID 0")
    if rg.get("ad_policy") != "hw-update":
        raise ImageRefused("QEMU 7.2 always sets A/D in hardware: ad_policy must be hw-update")
    p = rg.get("params", {})
    for k in ("vsstatus_sum", "vsstatus_mxr", "mstatus_mxr"):
        if int(p.get(k, 0)):
            raise ImageRefused(f"params.{k} = 1 is not supported (QEMU deviation 2 / harness)")
    for k in ("svpbmt", "svnapot"):
        if p.get(k, False):
            raise ImageRefused(f"params.{k} = true is not supported")
    if rg.get("privilege") not in ("supervisor", "user"):
        raise ImageRefused(f"privilege {rg.get('privilege')!r}")
    # bit4: HS-mode satp identity, needed for correct VS-stage fault causes (QEMU deviation 1)
    flags = (1 if rg["privilege"] == "supervisor" else 0) | 16
    return hgatp, vsatp, flags


def tag_ranges(img, ram_hi):
    """RAM outside the harness and the segments, as (base, len) ranges."""
    out, cur = [], HARNESS_END
    for hpa, data in img.segments:
        if hpa > cur:
            out.append((cur, hpa - cur))
        cur = max(cur, hpa + len(data))
    if ram_hi > cur:
        out.append((cur, ram_hi - cur))
    if len(out) > MAX_TAGS:
        raise ImageRefused(f"{len(img.segments)} segments: too many gaps (at most {MAX_TAGS - 1})")
    return out


def normalize(i, typ, addr, res, tags):
    """One harness result -> one expected.txt line (IMAGE.md section 4, riscv64 rows)."""
    if res.startswith("OK"):
        val = int(res.split("val=")[1].split()[0], 16)
        ok = any(b <= val < b + n for b, n in tags) and val % 4096 == addr % 4096
        if not ok:
            raise ImageRefused(f"probe {i} {typ} {addr:#x}: succeeded but read {val:#x}, not a "
                               "tag: the final address is inside a segment or the harness")
        return answer_ok(i, val)
    f = dict(kv.split("=") for kv in res.split()[1:])
    cause = int(f["cause"])
    if cause in (12, 13, 15):
        return answer_fault(i, 1, "page")
    if cause in (20, 21, 23):
        on = "walk" if int(f["tinst"], 16) in WALK_TINST else "final"
        return answer_fault(i, 2, "page", gpa=int(f["tval2"], 16) << 2, on=on)
    raise ImageRefused(f"probe {i} {typ} {addr:#x}: trap cause {cause} (an access fault means a "
                       "table or final address outside RAM)")


def emulate(d, harness, ram_mib):
    img = read_image(d)
    hgatp, vsatp, flags = check_regime(img.regime)
    if not ram_mib:
        end = max(h + len(d) for h, d in img.segments)
        ram_mib = 128
        while RAM_LO + ram_mib * 2**20 < end and ram_mib < 2048:
            ram_mib *= 2
    ram_hi = RAM_LO + ram_mib * 2**20
    check_segments(img, [(HARNESS_END, ram_hi)])
    if len(img.probes) > MAX_PROBES:
        raise ImageRefused(f"{len(img.probes)} probes (at most {MAX_PROBES})")
    for i, t, a in img.probes:
        if a % 8 or a >> 64:
            raise ImageRefused(f"probe {i}: address {a:#x} not 8-byte aligned")
    tags = tag_ranges(img, ram_hi)
    cfg = struct.pack("<5Q", MAGIC, hgatp, vsatp, flags, len(tags))
    cfg += b"".join(struct.pack("<QQ", b, n) for b, n in tags + [(0, 0)] * (MAX_TAGS - len(tags)))
    cfg += struct.pack("<Q", len(img.probes))
    cfg += b"".join(struct.pack("<QQ", a, TYPES[t]) for _, t, a in img.probes)
    out = run_harness(d, img, QEMU + ["-m", f"{ram_mib}M", "-kernel", harness], cfg, CFG_ADDR)
    got = {}
    for line in out.splitlines():
        tok = line.split(None, 4)
        if len(tok) == 5 and tok[0] == "P":
            got[int(tok[1])] = tok[4]
    return write_expected(d, img, got, lambda i, t, a, line: normalize(i, t, a, line, tags))


if __name__ == "__main__":
    sys.exit(emulate_main(__doc__, HERE, emulate, 0, "RAM size (default: see above)"))
