#!/usr/bin/env python3
"""Rebuild the checked-in Spike image rv/case1b/ (tables of the shared PoC gen_rv.py case1b:
Sv39x4 G-stage + Sv39 VS-stage, SPVP=1) and convert Spike's nocache trace (case1b/raw.out,
from results/rv_case1b_spike_nocache.out) into expected.txt and refs.txt.

usage: case1b_make.py [OUT_DIR]   (default: the case1b/ folder next to this script)

Spike ran with Svade (ADUE 0): a clear A/D bit is a page fault, so ad_policy = fault.
refs.txt `what`: GPTE for G-stage entries, VSPTE for VS-stage entries, DATA for the access,
told apart by the address (the G-stage table pages and the host pages of the VS tables are
known here). Answers: OK pa = the DATA reference's address; traps per IMAGE.md section 4."""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from image import Memory, write_image, answer_ok, answer_fault  # noqa: E402

V, R, W, X, U, A, D = 1, 2, 4, 8, 16, 64, 128
PG = 4096
mem = Memory()


def pte(pa, flags):
    return ((pa >> 12) << 10) | flags


# G-stage (Sv39x4): 16 KiB root at 0x80200000, level-1 and level-0 tables after it
GROOT, GL1, GL0 = 0x80200000, 0x80204000, 0x80205000
G_TABLE_PAGES = {GROOT, GROOT + PG, GROOT + 2 * PG, GROOT + 3 * PG, GL1, GL0}
GPA2HPA = {}


def g_leaf_4k(gpa, hpa, fl=V | R | W | X | U | A | D):
    mem.w64(GL0 + ((gpa >> 12) & 511) * 8, pte(hpa, fl))
    GPA2HPA[gpa] = hpa


for k in range(4):
    mem.touch(GROOT + k * PG)                                          # whole 16 KiB root
mem.w64(GROOT, pte(GL1, V))
mem.w64(GL1, pte(GL0, V))
for i in range(15):
    g_leaf_4k(i * PG, 0x80300000 + i * PG)
g_leaf_4k(0xF000, 0x8030F000, V | R | W | X | A | D)                      # U=0
mem.w64(GL1 + 1 * 8, pte(0x80600000, V | R | U | A | D))                  # 2 MiB read-only
mem.w64(GL1 + 2 * 8, pte(0x80800000, V | R | W | X | U | A | D))          # 2 MiB RWX
mem.w64(GROOT + 1 * 8, pte(0x80000000, V | R | W | X | U | A | D))        # 1 GiB
mem.w64(GROOT + 2047 * 8, pte(0x80000000, V | R | W | X | U | A | D))     # root index 2047

# VS-stage (Sv39) tables at GPAs 0x1000 (root), 0x2000, 0x3000
VROOT, VL1, VL0 = 0x1000, 0x2000, 0x3000
VS_TABLE_PAGES = {GPA2HPA[g] for g in (VROOT, VL1, VL0)}


def vs_w64(gpa, v):
    mem.w64(GPA2HPA[gpa & ~0xFFF] + (gpa & 0xFFF), v)


vs_w64(VROOT, pte(VL1, V))
vs_w64(VROOT + 8, pte(0x40000000, V | R | W | X | A | D))
vs_w64(VL1 + 2 * 8, pte(VL0, V))
vs_w64(VL1 + 3 * 8, pte(0x200000, V | R | W | X | A | D))
vs_w64(VL1 + 5 * 8, pte(0x110000, V))                                     # L0 at unmapped GPA
vs_w64(VL1 + 6 * 8, pte(0x210000, V | R | W | X | A | D))                 # misaligned megapage
for gva, gpa, fl in [(0x400000 + i * PG, 0x410000 + i * PG, V | R | W | X | A | D) for i in range(4)] + [
        (0x404000, 0x100000, V | R | W | X | A | D), (0x405000, 0x415000, V | R | W | X | U | A | D),
        (0x406000, 0x416000, V | R | A | D), (0x407000, 0xF000, V | R | W | X | A | D),
        (0x408000, 0x418000, V | R | W | X), (0x409000, 0x419000, V | R | W | X | A | D | (1 << 60)),
        (0x40A000, 0x20000000000, V | R | W | X | A | D), (0x40B000, 0x41B000, V | W | A | D)]:
    vs_w64(VL0 + ((gva >> 12) & 511) * 8, pte(gpa, fl))

regime = {
    "arch": "riscv64",
    "stage2": {"hgatp": f"{(8 << 60) | (GROOT >> 12):#x}"},
    "stage1": {"vsatp": f"{(8 << 60) | (VROOT >> 12):#x}"},
    "privilege": "supervisor",
    "ad_policy": "fault",
    "params": {"vsstatus_sum": 0, "vsstatus_mxr": 0, "mstatus_mxr": 0,
               "svpbmt": False, "svnapot": False, "svadu": False},
    "notes": "shared PoC case1b (gen_rv.py, PROBE_FLAGS=17) answered by Spike with Svade "
             "(A/D clear => page fault); refs.txt from Spike's uncached trace",
}


def what(addr):
    pg = addr & ~(PG - 1)
    return "GPTE" if pg in G_TABLE_PAGES else "VSPTE" if pg in VS_TABLE_PAGES else "DATA"


def convert(spike_out):
    probes, expected, refs, cur = [], [], [], []
    for line in open(spike_out):
        m = re.match(r"P (\d+) ([LSX]) (0x[0-9a-f]+)", line)
        t = re.match(r"\s+T ([RW]) (0x[0-9a-f]+) \d+ (0x[0-9a-f]+|\d+)", line)
        r = re.match(r"\s+=> (OK|TRAP)(.*)", line)
        if m:
            i = int(m.group(1))
            probes.append(({"L": "R", "S": "W", "X": "X"}[m.group(2)], int(m.group(3), 16)))
            cur = []
        elif t:
            a = int(t.group(2), 16)
            cur.append((t.group(1), a, what(a), int(t.group(3), 0)))
            refs.append(f"{i} {t.group(1)} {a:#x} {cur[-1][2]} {cur[-1][3]:#x}")
        elif r and r.group(1) == "OK":
            assert cur and cur[-1][2] == "DATA", f"probe {i}: no data reference"
            assert all(c[2] != "DATA" for c in cur[:-1]), f"probe {i}: DATA inside the walk"
            expected.append(answer_ok(i, cur[-1][1]))
        elif r:
            f = dict(re.findall(r"(\w+)=(0x[0-9a-f]+|\d+)", r.group(2)))
            cause = int(f["cause"], 0)
            assert all(c[2] != "DATA" for c in cur), f"probe {i}: fault after a DATA reference"
            if cause in (12, 13, 15):
                expected.append(answer_fault(i, 1, "page"))
            else:
                assert cause in (20, 21, 23), line
                on = "walk" if int(f["tinst"], 16) in (0x2000, 0x3000, 0x2020, 0x3020) else "final"
                expected.append(answer_fault(i, 2, "page", gpa=int(f["tval2"], 16) << 2, on=on))
    return probes, expected, refs


out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "case1b")
probes, expected, refs = convert(os.path.join(HERE, "case1b", "raw.out"))
write_image(out, mem, regime, probes, expected, refs)
print(f"{out}: {len(probes)} probes, {len(refs)} references")
