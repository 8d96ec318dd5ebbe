#!/usr/bin/env python3
"""Run an aarch64 image (IMAGE.md) on QEMU 7.2 (virt, virtualization=on, EL2) and write its answers.

usage: emulate.py IMAGE_DIR [--harness ELF] [--ram-mib N]

Each probe is one AT S12E1R/W (privilege supervisor) or S12E0R/W (user) from EL2; the
answer comes from PAR_EL1. Writes IMAGE_DIR/expected.txt (IMAGE.md section 4) and
IMAGE_DIR/raw.out. Exit 0 on success, 3 when the image cannot be run (reason printed), 1 on errors.

Physical windows (QEMU virt, RAM at 0x40000000, --ram-mib MiB, default 1024):
  [0x40000000, 0x40200000)  harness code, stack and config block: no segment
  [0x40200000, RAM end)     segments (all tables of both stages)
Final addresses may be anywhere (AT does not access the data), but every table a walk
reads must be in a segment: a walk that leaves RAM gets an external abort (refused).
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from image import read_image, answer_ok, answer_fault  # noqa: E402
from qemu_run import ImageRefused, check_segments, run_harness, write_expected, emulate_main  # noqa: E402

RAM_LO, HARNESS_END, CFG_ADDR = 0x40000000, 0x40200000, 0x40100000
MAGIC, MAX_PROBES = 0x3142525054534e4e, 60000
QEMU = ["qemu-system-aarch64", "-machine", "virt,virtualization=on,gic-version=3", "-cpu", "max",
        "-display", "none", "-monitor", "none", "-serial", "stdio", "-nodefaults"]
KINDS = {"user": {"R": 2, "W": 3}, "supervisor": {"R": 0, "W": 1}}
FST_KIND = {0: "addrsize", 1: "translation", 2: "access", 3: "permission"}
HCR_VM, HCR_RW, HCR_PTW, HCR_DC = 1 << 0, 1 << 31, 1 << 2, 1 << 12
SCTLR_DEFAULT = 0x30D00800  # RES1 bits, M = 0
TCR_EPD1, TCR_HA, TCR_HD, VTCR_HA, VTCR_HD = 1 << 23, 1 << 39, 1 << 40, 1 << 21, 1 << 22


def h(x):
    return int(x, 16)


def check_regime(rg):
    """Return the config registers or raise ImageRefused for what the harness cannot set."""
    if rg.get("arch") != "aarch64":
        raise ImageRefused(f"arch {rg.get('arch')!r} is not aarch64")
    s2, s1, p = rg["stage2"], rg.get("stage1"), rg.get("params", {})
    vtcr, vttbr = h(s2["vtcr_el2"]), h(s2["vttbr_el2"])
    hcr = h(p.get("hcr_el2", "0x80000001"))
    if (hcr & (HCR_VM | HCR_RW)) != (HCR_VM | HCR_RW) or hcr & (HCR_PTW | HCR_DC):
        raise ImageRefused(f"hcr_el2 {hcr:#x}: need VM=1, RW=1, PTW=0, DC=0")
    if (vtcr >> 14) & 3 or vtcr & VTCR_HD:
        raise ImageRefused(f"vtcr_el2 {vtcr:#x}: need TG0=0 (4 KiB) and HD=0")
    if s1:
        tcr, ttbr0 = h(s1["tcr_el1"]), h(s1["ttbr0_el1"])
        sctlr, mair = h(s1.get("sctlr_el1", "0x30d00801")), h(s1.get("mair_el1", "0xff"))
        if (tcr >> 14) & 3 or not tcr & TCR_EPD1 or tcr & TCR_HD or not sctlr & 1:
            raise ImageRefused(f"tcr_el1 {tcr:#x} / sctlr_el1 {sctlr:#x}: need TG0=0, EPD1=1, HD=0, M=1")
        hw = bool(tcr & TCR_HA) and bool(vtcr & VTCR_HA)
        if bool(tcr & TCR_HA) != bool(vtcr & VTCR_HA):
            raise ImageRefused("TCR_EL1.HA and VTCR_EL2.HA differ: ad_policy cannot express it")
    else:
        tcr, ttbr0, sctlr, mair = TCR_EPD1, 0, SCTLR_DEFAULT, 0xff
        hw = bool(vtcr & VTCR_HA)
    if rg.get("ad_policy") != ("hw-update" if hw else "fault"):
        raise ImageRefused(f"ad_policy {rg.get('ad_policy')!r} does not match TCR_EL1.HA/VTCR_EL2.HA")
    if rg.get("privilege") not in KINDS:
        raise ImageRefused(f"privilege {rg.get('privilege')!r}")
    return vtcr, vttbr, tcr, ttbr0, 0, mair, sctlr, hcr


def normalize(i, va, res):
    """'OK pa=..' / 'FAULT fst=.. S=.. PTW=..' -> one expected.txt line (aarch64 row)."""
    f = dict(kv.split("=") for kv in res.split()[1:])
    if res.startswith("OK"):
        return answer_ok(i, h(f["pa"]))
    fst, stage, ptw = h(f["fst"]), int(f["S"]) + 1, int(f["PTW"])
    if fst >> 2 not in FST_KIND:
        raise ImageRefused(f"probe {i} {va:#x}: fault status {fst:#x} (external abort: a table "
                           "outside RAM?)")
    on = ("walk" if ptw else "final") if stage == 2 else None
    level = None if on == "walk" else fst & 3
    return answer_fault(i, stage, FST_KIND[fst >> 2], level=level, on=on)


def emulate(d, harness, ram_mib):
    img = read_image(d)
    regs = check_regime(img.regime)
    check_segments(img, [(HARNESS_END, RAM_LO + ram_mib * 2**20)])
    if len(img.probes) > MAX_PROBES:
        raise ImageRefused(f"{len(img.probes)} probes (at most {MAX_PROBES})")
    kinds = KINDS[img.regime["privilege"]]
    for i, t, a in img.probes:
        if t not in kinds or a % 8 or a >> 64:
            raise ImageRefused(f"probe {i} {t} {a:#x}: only R/W probes at 8-byte aligned addresses")
    cfg = struct.pack("<10Q", MAGIC, *regs, len(img.probes))
    cfg += b"".join(struct.pack("<QQ", a, kinds[t]) for _, t, a in img.probes)
    out = run_harness(d, img, QEMU + ["-m", f"{ram_mib}M", "-kernel", harness], cfg, CFG_ADDR)
    got = {}
    for line in out.splitlines():
        tok = line.split(None, 5)
        if len(tok) == 6 and tok[0] == "P":
            got[int(tok[1])] = tok[5]
        elif line.startswith("EXC"):
            raise RuntimeError(f"harness took an exception: {line}")
    return write_expected(d, img, got, lambda i, t, a, line: normalize(i, a, line))


if __name__ == "__main__":
    sys.exit(emulate_main(__doc__, HERE, emulate, 1024, "RAM size in MiB"))
