#!/usr/bin/env python3
"""Seeded random aarch64 images (IMAGE.md) for the QEMU oracle.

usage: gen_random.py --seed N --count K --out DIR [--probes P]

Writes DIR/arm_<seed>_<k>/ for k < K (segments, regime.json, probes.txt; emulate.py adds
expected.txt). Image k cycles through four stage-2 configurations:
  k % 4 == 0: start level 1, 40..43-bit IPA (2..16 concatenated root pages), PS 40..44;
              stage 1 with a 39-bit VA (start level 1), IPS 40
  1: start level 0 (4-level stage 2), 48-bit IPA, PS 48; stage 1 48-bit VA (start level 0)
  2: stage 2 only (stage 1 off), one of the other configurations
  3: start level 2, 31..34-bit IPA (2..16 concatenated pages), PS 36; stage 1 39-bit VA,
     IPS 36 (stage-1 address size faults above 2^36)
Privilege alternates (k // 4 parity); hardware AF (TCR.HA = VTCR.HA = 1, ad_policy
hw-update) in about half the images, else AF = 0 faults. Tables: 4 KiB pages, 2 MiB and
1 GiB blocks at both stages, S2AP none/RO/WO/RW, AP and APTable variants, AF = 0, invalid and
reserved (level-3 0b01, level-0 block) descriptors, output addresses above PS/IPS, stage-1
tables at IPAs unmapped or not readable/writable at stage 2, VAs outside the TTBR0 range.
Probes (R, W) are aimed with model.py at the leaves; the mix keeps roughly half successes.
Layout: tables in [0x40200000, 0x44000000) (inside emulate.py's segment window); final
addresses anywhere below 2^PS (AT never accesses the data).
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from image import Memory, write_image  # noqa: E402
from model import Model, DEVIATION_FEATURES, start_level_s1, start_level_s2  # noqa: E402

PG = 1 << 12
POOL_LO, POOL_HI = 0x40200000, 0x44000000
OA = 0x0000FFFFFFFFF000
AF, SH_IS = 1 << 10, 3 << 8


class Tables:
    """One stage's tables: write(addr) maps a table address to the host address to write."""

    def __init__(self, b, root, start, root_pages, host_of):
        self.b, self.root, self.start, self.root_pages, self.host_of = b, root, start, root_pages, host_of

    def slot(self, addr, level, new_table):
        """Host address of the entry for addr at level, creating tables (new_table()) on the way."""
        t = self.root
        for lvl in range(self.start, level):
            shift = 12 + 9 * (3 - lvl)
            idx = (addr >> shift) if lvl == self.start else (addr >> shift) & 511
            if lvl == self.start and idx >= 512 * self.root_pages:
                return None
            h = self.host_of(t)
            if h is None:
                return None
            d = self.b.mem.r64(h + idx * 8)
            if d & 3 == 3:
                t = d & OA
            elif d:
                return None
            else:
                t, flags = new_table()
                self.b.mem.w64(h + idx * 8, (t & OA) | 3 | flags)
        shift = 12 + 9 * (3 - level)
        idx = (addr >> shift) if level == self.start else (addr >> shift) & 511
        if level == self.start and idx >= 512 * self.root_pages:
            return None
        h = self.host_of(t)
        return None if h is None else h + idx * 8


class Builder:
    def __init__(self, rng, s2_start, root_pages, s1_start):
        self.rng, self.mem, self.pool = rng, Memory(), POOL_LO
        root = self.alloc(root_pages)
        self.s2 = Tables(self, root, s2_start, root_pages, lambda pa: pa)
        self.s2_leaves, self.s1_leaves = [], []
        self.ipa_next, self.s1_host = 0x1000, {}       # stage-1 table IPA -> PA
        if s1_start is not None:
            ipa, pa = self.s1_table(plain=True)
            self.s1 = Tables(self, ipa, s1_start, 1, self.s1_host.get)

    def alloc(self, pages=1):
        a = self.pool
        a += (-a) % (pages * PG)                       # concatenated roots: aligned to their size
        self.pool = a + pages * PG
        assert self.pool <= POOL_HI
        for i in range(pages):
            self.mem.touch(a + i * PG)
        return a

    def s2_table(self):
        return self.alloc(), 0

    def s2_map(self, ipa, level, desc):
        s = self.s2.slot(ipa, level, self.s2_table)
        if s is None or self.mem.r64(s):
            return False
        self.mem.w64(s, desc)
        self.s2_leaves.append((ipa, level))
        return True

    def s1_table(self, plain=False):
        """A stage-1 table page at a fresh IPA, usually mapped RW at stage 2 to a pool page."""
        ipa, pa = self.ipa_next, self.alloc()
        self.ipa_next += PG
        r = 1.0 if plain else self.rng.random()
        # mostly RW; else unmapped (10%), S2AP none or write-only (5%: the walk's read faults), RO (5%)
        s2ap = 3 if r >= 0.2 else 1 if r >= 0.15 else self.rng.choice([0, 2]) if r >= 0.1 else None
        if s2ap is not None and self.s2_map(ipa, 3, pa | 3 | (s2ap << 6) | SH_IS | AF | (0xF << 2)):
            self.s1_host[ipa] = pa
        return ipa, pa

    def s1_new_table(self):
        ipa, _ = self.s1_table()
        return ipa, (self.rng.choice([1, 2, 3]) << 61) if self.rng.random() < 0.15 else 0

    def s1_map(self, va, level, desc):
        s = self.s1.slot(va, level, self.s1_new_table)
        if s is None or self.mem.r64(s):
            return False
        self.mem.w64(s, desc)
        self.s1_leaves.append((va, level))
        return True


def leaf(rng, out, level, perm_bits, ha_off_af_rate):
    """A leaf descriptor (page at level 3, block at 1/2) with random breakage."""
    d = (out & OA & ~((1 << (12 + 9 * (3 - level))) - 1)) | (3 if level == 3 else 1)
    d |= perm_bits | SH_IS | (0 if rng.random() < ha_off_af_rate else AF)
    r = rng.random()
    if r < 0.04:
        d &= ~3                                        # invalid
    elif r < 0.06 and level == 3:
        d = (d & ~3) | 1                               # reserved encoding at level 3
    return d


def build(rng, cfg, b_args, ps, ips, s1_on, ipa_bits, va_bits):
    s2_start, root_pages, s1_start = b_args
    b = Builder(rng, s2_start, root_pages, s1_start if s1_on else None)
    data = []                                          # (ipa, level) mapped at stage 2
    for _ in range(rng.randrange(8, 16)):
        level = rng.choices([3, 2, 1], [5, 4, 2])[0]
        if level < max(s2_start, 1):
            level = 3
        size = 1 << (12 + 9 * (3 - level))
        ipa = rng.randrange(size, 1 << ipa_bits, size)
        if rng.random() < 0.5:                         # keep some IPAs low (stage-1 IPS range)
            ipa = rng.randrange(size, 1 << min(ipa_bits, ips if s1_on else ipa_bits, 36), size)
        pa = rng.randrange(0, 1 << min(ps, 44), size)
        if rng.random() < 0.08 and ps < 48:
            pa = rng.randrange(1 << ps, 1 << 48, size)  # above PS: address size fault
        s2ap = rng.choice([3, 3, 3, 1, 1, 2, 0])
        d = leaf(rng, pa, level, (s2ap << 6) | (0xF << 2), 0.15)
        if level == 3 and rng.random() < 0.5:
            for k in range(rng.randrange(2, 6)):
                if b.s2_map(ipa + k * PG, 3, d + k * PG):
                    data.append((ipa + k * PG, 3))
        elif b.s2_map(ipa, level, d):
            data.append((ipa, level))
    if s1_on:
        for _ in range(rng.randrange(12, 24)):
            level = rng.choices([3, 2, 1], [6, 3, 1])[0]
            if level < max(s1_start, 1):
                level = 3
            size = 1 << (12 + 9 * (3 - level))
            if data and rng.random() < 0.85:
                ipa, il = rng.choice(data)
                isize = 1 << (12 + 9 * (3 - il))
                ipa = (ipa + (rng.randrange(0, isize, size) if isize > size else 0)) & ~(size - 1)
            else:
                ipa = rng.randrange(0, 1 << min(ips + 1, 48), size)
            va = rng.randrange(0, 1 << va_bits, size)
            ap = rng.choice([0, 1, 2, 3]) << 6
            b.s1_map(va, level, leaf(rng, ipa, level, ap, 0.15))
    return b


CONFIGS = {  # cfg: (s2 start level choices, ipa bits range, ps index), stage 1 (va bits, ips index)
    0: ("l1", (40, 43), None, 39, 2),
    1: ("l0", (48, 48), 5, 48, 5),
    3: ("l2", (31, 34), 1, 39, 1),
}
PS_OF_IPA = {40: 2, 41: 3, 42: 3, 43: 4}


def make_image(seed, k, out, nprobes):
    rng = random.Random(seed * 1000 + k + 500)
    cfg = k % 4
    s1_on = cfg != 2
    name, (lo, hi), ps_idx, va_bits, ips_idx = CONFIGS[cfg if cfg != 2 else rng.choice([0, 1, 3])]
    ipa_bits = rng.randint(lo, hi)
    ps_idx = PS_OF_IPA[ipa_bits] if ps_idx is None else ps_idx
    sl0 = {"l2": 0, "l1": 1, "l0": 2}[name]
    s2_start = start_level_s2(sl0)
    root_pages = 1 << max(0, ipa_bits - (12 + 9 * (4 - s2_start)))
    user = (k // 4) % 2 == 1
    ha = rng.random() < 0.5
    ps, ips = [32, 36, 40, 42, 44, 48, 52][ps_idx], [32, 36, 40, 42, 44, 48, 52][ips_idx]
    s1_start = start_level_s1(va_bits)
    b = build(rng, cfg, (s2_start, root_pages, s1_start), ps, ips, s1_on, ipa_bits, va_bits)
    vtcr = (1 << 31) | (ps_idx << 16) | (3 << 12) | (1 << 10) | (1 << 8) | (sl0 << 6) | (64 - ipa_bits)
    vtcr |= (1 << 21) if ha else 0
    tcr = (ips_idx << 32) | (2 << 30) | (1 << 23) | (25 << 16) | (3 << 12) | (1 << 10) | (1 << 8) | (64 - va_bits)
    tcr |= (1 << 39) if ha else 0
    ttbr0 = b.s1.root if s1_on else 0
    model = Model(b.mem, vtcr, b.s2.root, tcr, ttbr0, s1_on, user)
    probes = pick_probes(rng, b.s1_leaves if s1_on else b.s2_leaves, model, nprobes,
                         va_bits if s1_on else ipa_bits, s1_on)
    regime = {
        "arch": "aarch64",
        "stage2": {"vtcr_el2": f"{vtcr:#x}", "vttbr_el2": f"{b.s2.root:#x}"},
        "stage1": {"tcr_el1": f"{tcr:#x}", "ttbr0_el1": f"{ttbr0:#x}", "sctlr_el1": "0x30d00801",
                   "mair_el1": "0xff"} if s1_on else None,
        "privilege": "user" if user else "supervisor",
        "ad_policy": "hw-update" if ha else "fault",
        "params": {"hcr_el2": "0x80000001"},
        "notes": f"gen_random.py seed {seed} image {k}: stage 2 start level {s2_start}, "
                 f"{ipa_bits}-bit IPA, {root_pages} root page(s), PS {ps}"
                 + (f"; stage 1 {va_bits}-bit VA, IPS {ips}" if s1_on else "; stage 1 off"),
    }
    d = os.path.join(out, f"arm_{seed}_{k}")
    write_image(d, b.mem, regime, probes)
    return d, len(probes)


def pick_probes(rng, leaves, model, n, in_bits, s1_on):
    """Aim at leaves; keep a mix of outcomes. With stage 1 off, addresses stay below 2^48:
    above the implemented PA size (52 bits on -cpu max) a stage-1 address size fault would
    depend on an implementation parameter the image format does not carry."""
    wild = [1 << in_bits, (1 << 64) - 8, 1 << 63, 1 << 48] if s1_on else [1 << in_bits, (1 << 48) - 4096]
    out, counts, seen = [], {}, set()
    for _ in range(n * 8):
        r = rng.random()
        if leaves and r < 0.85:
            base, lvl = rng.choice(leaves)
            addr = base + rng.randrange(0, 1 << (12 + 9 * (3 - lvl)), 8)
        elif r < 0.95:
            addr = rng.randrange(0, 1 << in_bits, 8)
        else:
            addr = rng.choice(wild) + 8 * rng.randrange(64)
        addr &= 2**64 - 8
        t = rng.choice("RRW")
        ans, feats = model.walk(addr, t)
        if feats & DEVIATION_FEATURES:
            continue
        cls = "ok" if ans[0] == "OK" else f"s{ans[1]}"
        key = ans[:1] if ans[0] == "OK" else ans
        limit = {"ok": n // 2, "s1": n // 3, "s2": n // 3}[cls]
        if counts.get(cls, 0) >= limit or (key in seen and cls != "ok" and rng.random() < 0.6):
            continue
        counts[cls] = counts.get(cls, 0) + 1
        seen.add(key)
        out.append((t, addr))
        if len(out) == n:
            break
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--probes", type=int, default=64)
    a = ap.parse_args()
    total = 0
    for k in range(a.count):
        d, n = make_image(a.seed, k, a.out, a.probes)
        total += n
        print(d)
    print(f"{a.count} images, {total} probes", file=sys.stderr)


if __name__ == "__main__":
    main()
