#!/usr/bin/env python3
"""Seeded random riscv64 images (IMAGE.md) for the QEMU oracle.

usage: gen_random.py --seed N --count K --out DIR [--probes P] [--keep-deviations]

Writes DIR/rv_<seed>_<k>/ for k < K (segments, regime.json, probes.txt; expected.txt is
written later by emulate.py). Image k of a seed cycles through the configurations:
  k % 4 == 0: Sv39x4 + Sv39     1: Sv48x4 + Sv48     2: G-stage only (Sv39x4 or Sv48x4)
  3: mixed modes (Sv39x4 + Sv48 or Sv48x4 + Sv39); privilege alternates (k // 4 parity).
Each image has random G-stage and VS-stage tables with 4 KiB / 2 MiB / 1 GiB leaves, random
permissions (R, RW, RX, RWX, X-only, U), A/D clear (hardware-updated), invalid entries,
W-without-R and reserved-bit (63:54) entries, misaligned superpages, VS tables at GPAs not
mapped (or not readable/writable) at the G-stage, and out-of-range GVAs/GPAs. Probes (R =
HLV.D, W = HSV.D, X = HLVX.WU) are aimed with model.py at the leaves; the mix keeps roughly
half successes. Probes that would meet a known QEMU deviation (model.DEVIATION_FEATURES,
DEVIATIONS.md) are never written (unless --keep-deviations, for exploring).
Memory layout (inside the windows of emulate.py): tables in [0x80200000, 0x80800000),
final data pages in [0x80800000, 0x88000000) (128 MiB of RAM).
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from image import Memory, write_image  # noqa: E402
from model import Model, DEVIATION_FEATURES, V, R, W, X, U, A, D  # noqa: E402

PG, MB2, GB = 1 << 12, 1 << 21, 1 << 30
POOL_LO, POOL_HI, DATA_LO, DATA_HI = 0x80200000, 0x80800000, 0x80800000, 0x88000000
PERMS = [R, R | W, R | X, R | W | X, X]


def pte(pa, flags):
    return ((pa >> 12) << 10) | flags


class Builder:
    def __init__(self, rng, g_levels, vs_levels, user):
        self.rng, self.mem = rng, Memory()
        self.g_levels, self.vs_levels, self.user = g_levels, vs_levels, user
        self.pool = POOL_LO
        self.g_root = self.alloc(4)                    # 16 KiB root
        self.gpa_next = 0x1000                          # guest pages for VS tables
        self.vs_tables = {}                            # VS table gpa -> hpa
        self.data_used = set()                         # 2 MiB data frames handed out
        self.vs_leaves, self.g_leaves = [], []         # (addr, level) for aiming probes
        if vs_levels:
            self.vs_root = self.new_vs_table(plain=True)
            self.vs_tables[self.vs_root[0]] = self.vs_root[1]

    def alloc(self, pages=1):
        a = self.pool
        self.pool += pages * PG
        assert self.pool <= POOL_HI, "table pool exhausted"
        for i in range(pages):
            self.mem.touch(a + i * PG)
        return a

    def data_frame(self):
        """A fresh 2 MiB-aligned host frame in the data window."""
        while True:
            f = self.rng.randrange(DATA_LO, DATA_HI, MB2)
            if f not in self.data_used:
                self.data_used.add(f)
                return f

    # ---- G-stage -----------------------------------------------------------------
    def g_slot(self, gpa, level):
        """Address of the G-stage entry for gpa at level, creating tables on the way."""
        a, top = self.g_root, self.g_levels - 1
        for lvl in range(top, level, -1):
            idx = (gpa >> (12 + 9 * lvl)) & (0x7ff if lvl == top else 0x1ff)
            e = self.mem.r64(a + idx * 8)
            if e & V and not e & (R | W | X):
                a = ((e >> 10) & ((1 << 44) - 1)) << 12
            elif e:
                return None                             # a leaf or junk is in the way
            else:
                t = self.alloc()
                self.mem.w64(a + idx * 8, pte(t, V))
                a = t
        idx = (gpa >> (12 + 9 * level)) & (0x7ff if level == top else 0x1ff)
        return a + idx * 8

    def g_map(self, gpa, hpa, level, flags):
        slot = self.g_slot(gpa, level)
        if slot is None or self.mem.r64(slot):
            return False
        self.mem.w64(slot, pte(hpa, flags))
        self.g_leaves.append((gpa, level))
        return True

    # ---- VS-stage ----------------------------------------------------------------
    def new_vs_table(self, plain=False):
        """A VS table page: a fresh GPA, usually mapped RWU at the G-stage to a pool page."""
        gpa = self.gpa_next
        self.gpa_next += PG
        hpa = self.alloc()
        r = 1.0 if plain else self.rng.random()
        fl = V | R | W | X | U | A | D
        if r < 0.06:
            return gpa, None                            # GPA not mapped at the G-stage
        if r < 0.10:
            fl = V | R | X | U | A | D                  # read-only: A/D updates fault
        elif r < 0.13:
            fl = V | R | W | X | A | D                  # U=0: walk fault
        self.g_map(gpa, hpa, 0, fl)
        return gpa, hpa

    def vs_slot(self, gva, level):
        (gpa, hpa) = self.vs_root
        for lvl in range(self.vs_levels - 1, level, -1):
            idx = (gva >> (12 + 9 * lvl)) & 0x1ff
            if hpa is None:
                return None
            e = self.mem.r64(hpa + idx * 8)
            if e & V and not e & (R | W | X):
                gpa = ((e >> 10) & ((1 << 44) - 1)) << 12
                hpa = self.vs_tables.get(gpa)
                if hpa is None:
                    return None
            elif e:
                return None
            else:
                t = self.new_vs_table()
                fl = V
                if self.rng.random() < 0.04:
                    fl = self.rng.choice([0, V | (1 << self.rng.randrange(54, 64))])
                self.mem.w64(hpa + idx * 8, pte(t[0], fl))
                if t[1] is not None:
                    self.vs_tables[t[0]] = t[1]
                gpa, hpa = t
        if hpa is None:
            return None
        return hpa + ((gva >> (12 + 9 * level)) & 0x1ff) * 8

    def vs_map(self, gva, gpa, level, flags):
        slot = self.vs_slot(gva, level)
        if slot is None or self.mem.r64(slot):
            return False
        self.mem.w64(slot, pte(gpa, flags))
        self.vs_leaves.append((gva, level))
        return True


def leaf_flags(rng, gstage, user):
    """Random leaf flags: mostly valid permissions, sometimes broken encodings."""
    fl = V | rng.choice(PERMS)
    u = rng.random()
    if gstage:
        fl |= U if u < 0.9 else 0
    else:
        fl |= U if (user and u < 0.85) or (not user and u < 0.1) else 0
    fl |= A if rng.random() < 0.7 else 0
    fl |= D if rng.random() < 0.6 else 0
    r = rng.random()
    if r < 0.04:
        fl &= ~V
    elif r < 0.07:
        fl = (fl & ~(R | X)) | W                        # W without R: reserved
    elif r < 0.10:
        fl |= 1 << rng.randrange(54, 64)                # reserved bits 63:54
    return fl


def build(rng, g_levels, vs_levels, user):
    b = Builder(rng, g_levels, vs_levels, user)
    gtop = 1 << (12 + 9 * g_levels + 2)
    # G-stage data mappings: (gpa, level). GPAs avoid the top GPA bit (QEMU item 5).
    data_gpas = []
    for _ in range(rng.randrange(6, 14)):
        level = rng.choices([0, 1, 2], [5, 4, 2])[0]
        size = 1 << (12 + 9 * level)
        gpa = rng.randrange(size, gtop // 2, size)
        if level == 2:
            hpa = 0x80000000                           # the only 1 GiB frame holding RAM
        else:
            hpa = b.data_frame() + (rng.randrange(0, MB2, PG) if level == 0 else 0)
        fl = leaf_flags(rng, True, user)
        if level and rng.random() < 0.1:
            hpa += PG * rng.randrange(1, 512)          # misaligned superpage
        if level == 0 and rng.random() < 0.5:          # a run of 4 KiB pages
            for k in range(rng.randrange(2, 8)):
                if b.g_map(gpa + k * PG, hpa + k * PG, 0, fl if k else leaf_flags(rng, True, user)):
                    data_gpas.append((gpa + k * PG, 0))
        elif b.g_map(gpa, hpa, level, fl):
            data_gpas.append((gpa, level))
    if not vs_levels:
        return b, data_gpas
    vtop = 1 << (12 + 9 * vs_levels - 1)
    for _ in range(rng.randrange(10, 24)):
        level = rng.choices([0, 1, 2], [6, 3, 1])[0]
        size = 1 << (12 + 9 * level)
        if data_gpas and rng.random() < 0.85:          # aim at a G-stage mapping
            g, gl = rng.choice(data_gpas)
            gsize = 1 << (12 + 9 * gl)
            gpa = g + (rng.randrange(0, gsize, size) if gsize >= size else 0)
            if gl == 2 and level < 2:                  # inside the data window of the 1 GiB frame
                gpa = g + rng.randrange(DATA_LO - 0x80000000, DATA_HI - 0x80000000, size)
            gpa -= gpa % size
        else:
            gpa = rng.randrange(0, gtop * 2, size)     # maybe beyond the G-stage range
        if level and rng.random() < 0.08:
            gpa += PG * rng.randrange(1, 512)          # misaligned superpage
        gva = rng.randrange(0, vtop, size)
        if rng.random() < 0.3:
            gva = (gva | ~(vtop - 1)) & (2**64 - 1)    # upper half
        b.vs_map(gva, gpa, level, leaf_flags(rng, False, user))
    return b, data_gpas


def pick_probes(rng, b, model, n, vs, keep_dev, gtop):
    """Aim at leaves; keep a mix of outcomes; drop deviation and unreadable cases."""
    cands = []
    leaves = b.vs_leaves if vs else b.g_leaves
    for _ in range(n * 6):
        r = rng.random()
        if leaves and r < 0.85:
            base, lvl = rng.choice(leaves)
            if lvl == 2 and rng.random() < 0.8:        # 1 GiB frames: aim at the data window
                addr = base + rng.randrange(DATA_LO - 0x80000000, DATA_HI - 0x80000000, 8)
            else:
                addr = base + rng.randrange(0, 1 << (12 + 9 * lvl), 8)
        elif r < 0.93:
            addr = rng.randrange(0, 1 << 48, 8)                    # unmapped / out of range
        else:
            addr = rng.choice([gtop, gtop * 3, 1 << 63, (1 << 64) - 8, 1 << 40, 1 << 47]) + 8 * rng.randrange(512)
        cands.append((rng.choice("RRWWX"), addr & (2**64 - 8)))
    out, buckets = [], {}
    for t, a in cands:
        ans, feats = model.walk(a, t)
        if feats & DEVIATION_FEATURES and not keep_dev:
            continue
        if ans[0] == "OK" and not (DATA_LO <= ans[1] < DATA_HI):
            continue                                   # lands on tables or outside the tags
        key = ans[0] + str(ans[1:3] if ans[0] == "F" else "") + ("/" + ans[3] if len(ans) > 3 else "")
        cls = "ok" if ans[0] == "OK" else "s1" if ans[1] == 1 else "s2" + ans[3]
        limit = {"ok": n // 2, "s1": n // 4, "s2walk": n // 6, "s2final": n // 5}[cls]
        if buckets.get(cls, 0) >= limit or key in buckets and cls != "ok" and rng.random() < 0.7:
            continue
        buckets[cls] = buckets.get(cls, 0) + 1
        buckets[key] = 1
        out.append((t, a))
        if len(out) == n:
            break
    return out


def make_image(seed, k, out, nprobes, keep_dev):
    rng = random.Random(seed * 1000 + k)
    cfg = k % 4
    user = (k // 4) % 2 == 1
    gl = {0: 3, 1: 4, 2: rng.choice([3, 4]), 3: rng.choice([3, 4])}[cfg]
    vl = {0: 3, 1: 4, 2: 0, 3: 7 - gl}[cfg]
    b, _ = build(rng, gl, vl, user)
    hgatp = ((8 if gl == 3 else 9) << 60) | (b.g_root >> 12)
    vsatp = ((8 if vl == 3 else 9) << 60) | (b.vs_root[0] >> 12) if vl else 0
    model = Model(b.mem, hgatp, vsatp, user)
    probes = pick_probes(rng, b, model, nprobes, bool(vl), keep_dev, 1 << (12 + 9 * gl + 2))
    regime = {
        "arch": "riscv64",
        "stage2": {"hgatp": f"{hgatp:#x}"},
        "stage1": {"vsatp": f"{vsatp:#x}"} if vl else None,
        "privilege": "user" if user else "supervisor",
        "ad_policy": "hw-update",
        "params": {"vsstatus_sum": 0, "vsstatus_mxr": 0, "mstatus_mxr": 0,
                   "svpbmt": False, "svnapot": False, "svadu": True},
        "notes": f"gen_random.py seed {seed} image {k}: Sv{12 + 9 * gl}x4"
                 + (f" + Sv{12 + 9 * vl}" if vl else ", G-stage only"),
    }
    d = os.path.join(out, f"rv_{seed}_{k}")
    write_image(d, b.mem, regime, probes)
    return d, len(probes)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--probes", type=int, default=64, help="probes per image (default 64)")
    ap.add_argument("--keep-deviations", action="store_true")
    a = ap.parse_args()
    total = 0
    for k in range(a.count):
        d, n = make_image(a.seed, k, a.out, a.probes, a.keep_deviations)
        total += n
        print(d)
    print(f"{a.count} images, {total} probes", file=sys.stderr)


if __name__ == "__main__":
    main()
