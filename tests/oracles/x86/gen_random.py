#!/usr/bin/env python3
"""Seeded randomized x86_64 oracle images (EPT 4-level + guest 4-level, or EPT only).

usage: gen_random.py --seed N --count K --out DIR [--scenarios S] [--stage2-only-every M]

Writes DIR/img<k> (k = 0..K-1), each an IMAGE.md image without expected.txt (emulate.py adds
it), plus DIR/img<k>/intent.txt: the outcome the generator aimed at per probe
(`<i> OK` / `<i> FAULT stage=.. kind=.. [on=..]` / `<i> ?` when it depends on A/D history);
it is informational (check_intent.py reports where Bochs differs), never the oracle.

Every image is a set of independent *scenarios*. A scenario owns a guest PML4 entry (its own
guest tables), a 1 GiB guest-physical region (its own EPT PDPTE and below) and 1-4 probes into
one final page; at most one entry of its own paths is broken. So every probe hits its case.
Features (regime randomized per image): EPTP A/D on/off, CR0.WP on/off, EFER.NXE on/off;
guest 4 KiB / 2 MiB / 1 GiB leaves x EPT 4 KiB / 2 MiB / 1 GiB leaves; guest not-present,
reserved bits (address bits 51:40, PS in a PML4E, 2 MiB/1 GiB leaf bits 20:13/29:13, XD with
NXE = 0), read-only with WP, U/S and XD noise; guest tables at GPAs that EPT leaves unmapped,
execute-only, read-only or misconfigured (violations/misconfigurations on the walk); EPT
not-present at every level, permissions (R-only, X-only, RX, execute-only at upper levels),
misconfigurations (W without R at any level, leaf memory types 2/3/7, address bits 51:40,
bits 7:3 / 6:3 of non-leaf entries, bits 20:13 / 29:13 of superpages); one scenario per image
(70 %) owns EPT PML4E 1 (GPAs from 512 GiB) and may break it;
non-canonical GVAs; random preset accessed/dirty bits in both stages; reads and writes.
Stage-2-only images (every M-th) run in a 32-bit guest without paging: GPAs below 4 GiB.
Known Bochs deviations are never generated (../DEVIATIONS.md): bit 12 of EPT 2 MiB / 1 GiB
leaves (B1, other reserved bits of superpages are used); guest A/D updates in a guest table
that EPT maps readable but not writable without EPT A/D (B3: the generator presets them).

Host-physical layout (the emulate.py contract): EPT tables and guest-table pages from 16 MiB;
guest-table region 2 (one EPT 2 MiB leaf) at 28 MiB; final pages in the tag window 32-36 MiB,
in [4 GiB, 1 TiB) (outside Bochs' RAM: the trace still shows the address), or inside a 1 GiB
EPT page at HPA 0 with offsets in the tag window.
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
sys.path.insert(0, HERE)
from image import Memory, write_image  # noqa: E402
import x86img as X  # noqa: E402

K4, M2, G1 = 1 << 12, 1 << 21, 1 << 30
RWX = X.EPT_R | X.EPT_W | X.EPT_X
WB = 6 << X.EPT_MT_SHIFT
HPA_TBL_LO, HPA_TBL_HI = 0x1000000, 0x1C00000      # EPT tables + guest-table backing pages
GTBL1 = (0x200000, 0x400000)                       # guest-table GPAs with EPT 4 KiB leaves
GTBL2_GPA, GTBL2_HPA = 0x400000, 0x1C00000         # guest-table GPAs under one EPT 2 MiB leaf
TAGWIN = (0x2000000, 0x2400000)


class Conflict(Exception):
    pass


class Builder:
    def __init__(self, rng, ept_ad, paging):
        self.rng, self.ept_ad, self.paging = rng, ept_ad, paging
        self.mem = Memory()
        self.next_hpa = HPA_TBL_LO
        self.ept_root = self.alloc_hpa()
        self.next_g1, self.next_g2 = GTBL1[0], GTBL2_GPA
        self.g2h = {}
        self.used_tag_pages = set()
        self.tbl_chunk = 0
        self.ept_map(GTBL2_GPA, M2, GTBL2_HPA, RWX | WB | self.ad_bits(True))

    def ad_bits(self, leaf):
        """random preset EPT accessed/dirty bits (they are plain ignored bits without EPT A/D)"""
        r = self.rng.random()
        return (X.EPT_A if r < 0.5 else 0) | (X.EPT_D if leaf and r < 0.25 else 0)

    def alloc_hpa(self):
        a = self.next_hpa
        self.next_hpa += K4
        if self.next_hpa > HPA_TBL_HI:
            raise Conflict("table pool exhausted")
        self.mem.touch(a)
        return a

    # ---- EPT ---------------------------------------------------------------------------
    def ept_map(self, gpa, size, hpa, leaf_bits):
        """Map gpa (size-aligned) to hpa with a leaf of `size`; returns the entry HPAs from
        the PML4E down to the leaf. Creates intermediate tables (RWX)."""
        leaf_level = {K4: 1, M2: 2, G1: 3}[size]
        table, path = self.ept_root, []
        for level in (4, 3, 2, 1):
            ea = table + ((gpa >> (12 + 9 * (level - 1))) & 511) * 8
            path.append(ea)
            e = self.mem.r64(ea)
            if level == leaf_level:
                if e:
                    raise Conflict("EPT leaf exists")
                self.mem.w64(ea, hpa | leaf_bits | (X.EPT_LARGE if level > 1 else 0))
                return path
            if e == 0:
                nt = self.alloc_hpa()
                self.mem.w64(ea, nt | RWX | self.ad_bits(False))
                e = self.mem.r64(ea)
            if e & X.EPT_LARGE or not e & 7:
                raise Conflict("EPT path blocked")
            table = e & X.ADDR_MASK
        raise AssertionError

    def ept_path(self, gpa):
        table, path = self.ept_root, []
        for level in (4, 3, 2, 1):
            ea = table + ((gpa >> (12 + 9 * (level - 1))) & 511) * 8
            path.append(ea)
            e = self.mem.r64(ea)
            if level == 1 or (level < 4 and e & X.EPT_LARGE) or not e:
                return path
            table = e & X.ADDR_MASK
        return path

    # ---- guest ---------------------------------------------------------------------------
    def alloc_gtable(self, gpa=None):
        """A guest table page: a fresh GPA in region 1 (EPT 4 KiB leaf) or region 2 (under the
        EPT 2 MiB leaf), or the given gpa (mapped by the caller)."""
        if gpa is not None:
            return gpa
        if self.rng.random() < 0.3 and self.next_g2 < GTBL2_GPA + M2:
            gpa, self.next_g2 = self.next_g2, self.next_g2 + K4
            self.g2h[gpa] = GTBL2_HPA + (gpa - GTBL2_GPA)
            self.mem.touch(self.g2h[gpa])
            return gpa
        gpa, self.next_g1 = self.next_g1, self.next_g1 + K4
        if gpa >= GTBL1[1]:
            raise Conflict("guest table pool exhausted")
        hpa = self.alloc_hpa()
        self.g2h[gpa] = hpa
        self.ept_map(gpa, K4, hpa, RWX | WB | self.ad_bits(True))
        return gpa

    def gw(self, gpa, v):
        self.mem.w64(self.g2h[gpa & ~0xFFF] + (gpa & 0xFFF), v)

    def gr(self, gpa):
        return self.mem.r64(self.g2h[gpa & ~0xFFF] + (gpa & 0xFFF))

    def guest_flags(self, leaf):
        f = X.G_P | X.G_RW
        if self.rng.random() < 0.3:
            f |= X.G_US                      # supervisor access: U/S must not matter
        if self.rng.random() < 0.4:
            f |= X.G_A
            if leaf and self.rng.random() < 0.5:
                f |= X.G_D
        if self.nxe and self.rng.random() < 0.2:
            f |= X.G_NX                      # data accesses ignore XD
        return f

    def g_map(self, gva, size, gpa, special_table=None):
        """Map gva -> gpa with a guest leaf of `size`; returns [(level, entry GPA)] from the
        PML4E down. special_table = (level, gpa): use that GPA for the table read at level."""
        leaf_level = {K4: 1, M2: 2, G1: 3}[size]
        table, path = self.cr3, []
        for level in (4, 3, 2, 1):
            ea = table + ((gva >> (12 + 9 * (level - 1))) & 511) * 8
            path.append((level, ea))
            if level == leaf_level:
                self.gw(ea, gpa | self.guest_flags(True) | (X.G_PS if level > 1 else 0))
                return path
            e = self.gr(ea)
            if e == 0:
                want = special_table[1] if special_table and special_table[0] == level - 1 else None
                nt = self.alloc_gtable(want)
                self.gw(ea, nt | self.guest_flags(False) & ~X.G_NX | (X.G_NX if self.nxe and self.rng.random() < 0.1 else 0))
                e = self.gr(ea)
            table = e & X.ADDR_MASK
        raise AssertionError


def final_hpa(rng, size, b):
    """host-physical base for an EPT leaf of `size`"""
    r = rng.random()
    if size == G1:
        return 0 if r < 0.3 else rng.choice([k for k in range(4, 1024)]) << 30
    if r < 0.6:
        if size == M2:
            return rng.choice([TAGWIN[0], TAGWIN[0] + M2])
        while True:
            p = rng.randrange(TAGWIN[0], TAGWIN[1], K4)
            if p not in b.used_tag_pages:
                b.used_tag_pages.add(p)
                return p
    return rng.randrange(4 << 30, 1 << 40, size)


def choose_offset(rng, size, hpa_base):
    """8-aligned offset inside a page of `size`; with a 1 GiB leaf at HPA 0 land in the tag window"""
    if size == G1 and hpa_base == 0:
        return rng.randrange(TAGWIN[0], TAGWIN[1], 8)
    return rng.randrange(0, size, 8)


def make_image(rng, n_scen, stage2_only):
    ept_ad = rng.random() < 0.5
    b = Builder(rng, ept_ad, not stage2_only)
    b.nxe = (not stage2_only) and rng.random() < 0.5
    wp = rng.random() < 0.6
    probes, intent = [], []
    # ---- stub page -----------------------------------------------------------------------
    stub_gpa = b.alloc_gtable()                   # a 4 KiB page EPT-mapped RWX
    if stage2_only:
        b.cr3 = 0
        stub_gva = stub_gpa
    else:
        b.cr3 = b.alloc_gtable()
        stub_gva = rng.randrange(0, 1 << 47, K4)
        b.g_map(stub_gva, K4, stub_gpa)
        # executable: no XD anywhere on the stub path
        for _, ea in b_path(b, stub_gva):
            b.gw(ea, b.gr(ea) & ~X.G_NX)
    stub_p4 = (stub_gva >> 39) & 511
    free_p4 = [i for i in range(512) if i != stub_p4]
    rng.shuffle(free_p4)
    regions = list(range(1, 380)) if not stage2_only else list(range(0, 384))
    rng.shuffle(regions)
    for s in range(n_scen):
        try:
            if stage2_only:
                scen_s2only(rng, b, regions.pop(), probes, intent)
            else:
                last = s == n_scen - 1 and rng.random() < 0.7
                scen_2d(rng, b, free_p4.pop(), "pml4" if last else regions.pop(), wp, probes, intent, s)
        except Conflict:
            break
    eptp = b.ept_root | (3 << 3) | 6 | (0x40 if ept_ad else 0)
    regime = {
        "arch": "x86_64",
        "stage2": {"eptp": hex(eptp)},
        "stage1": None if stage2_only else {
            "cr0": hex(0x80000031 | (0x10000 if wp else 0)), "cr3": hex(b.cr3), "cr4": "0x20",
            "efer": hex(0x500 | (0x800 if b.nxe else 0))},
        "privilege": "supervisor",
        "ad_policy": "hw-update",
        "params": {"maxphyaddr": 40, "ept_execute_only": True, "ept_ad": ept_ad,
                   "stub_gva": hex(stub_gva), "stub_gpa": hex(stub_gpa)},
        "notes": "gen_random.py (tests/oracles/x86)",
    }
    # preset the accessed/dirty bits the harness's own stub fetch would set
    mem = X.Mem(b.mem.segments())
    sp = X.stub_path(regime, mem)
    for a, bits in sp["sets"]:
        b.mem.w64(a, b.mem.r64(a) | bits)
    return b.mem, regime, probes, intent


def b_path(b, gva):
    table, out = b.cr3, []
    for level in (4, 3, 2, 1):
        ea = table + ((gva >> (12 + 9 * (level - 1))) & 511) * 8
        out.append((level, ea))
        e = b.gr(ea)
        if level == 1 or e & X.G_PS:
            return out
        table = e & X.ADDR_MASK
    return out


def add_probes(rng, probes, intent, addrs, outcome):
    """outcome: function(type) -> intent string"""
    for a in addrs:
        t = "W" if rng.random() < 0.45 else "R"
        intent.append(outcome(t))
        probes.append((t, a))


def ept_leaf_bits(rng, ept_ad):
    mt = rng.choice([0, 1, 4, 5, 6, 6, 6])
    return RWX | (mt << X.EPT_MT_SHIFT) | (X.EPT_IPAT if rng.random() < 0.2 else 0) | \
        (X.EPT_XU if rng.random() < 0.1 else 0) | ((X.EPT_A | (X.EPT_D if rng.random() < 0.5 else 0)) if rng.random() < 0.4 else 0)


def break_ept_entry(rng, b, ea, level, is_leaf, kind):  # level 4..1
    """Break one EPT entry. kind: 'np', 'perm', 'misconfig'. Returns
    function(access 'R'|'W'|'walk') -> 'OK' | 'translation' | 'permission' | 'misconfig'."""
    e = b.mem.r64(ea)
    if kind == "np":
        b.mem.w64(ea, e & ~7)
        return lambda acc: "translation"
    if kind == "perm":
        p = rng.choice([X.EPT_R, X.EPT_X, X.EPT_R | X.EPT_X, X.EPT_X, X.EPT_R])
        b.mem.w64(ea, (e & ~7) | p)
        return lambda acc: "OK" if (acc == "R" and p & X.EPT_R) else "permission"
    # misconfig
    choices = ["w_only", "wx", "high"] + (["memtype"] if is_leaf else ["nl_rsvd"])
    if is_leaf and level > 1:
        choices.append("low")            # bits 20:13 / 29:13 of a superpage (bit 12: deviation B1)
    c = rng.choice(choices)
    if c == "w_only":
        b.mem.w64(ea, (e & ~7) | X.EPT_W)
    elif c == "wx":
        b.mem.w64(ea, (e & ~7) | X.EPT_W | X.EPT_X)
    elif c == "high":
        b.mem.w64(ea, e | (1 << rng.randrange(40, 52)))
    elif c == "nl_rsvd":                 # bits 7:3 of a PML4E, 6:3 of a non-leaf PDPTE/PDE
        b.mem.w64(ea, e | (1 << rng.randrange(3, 8 if level == 4 else 7)))
    elif c == "low":
        b.mem.w64(ea, e | (1 << rng.randrange(13, 21 if level == 2 else 30)))
    else:
        b.mem.w64(ea, (e & ~(7 << 3)) | (rng.choice([2, 3, 7]) << 3))
    return lambda acc: "misconfig"


def scen_2d(rng, b, p4, region, wp, probes, intent, s):
    gsize = rng.choice([K4, K4, K4, M2, M2, G1])
    esize = rng.choice([K4, K4, M2, M2, G1])
    gva = (p4 << 39) | (rng.randrange(0, 1 << 39) & ~(gsize - 1))
    if gva >> 47:
        gva |= 0xFFFF << 48
    if region != "pml4":
        r_gpa = region << 30
    else:                 # own EPT PML4E (index 1: GPAs 512 GiB .. 1 TiB)
        r_gpa = (512 + rng.randrange(0, 512)) << 30
    gpage = r_gpa + (rng.randrange(0, G1) & ~(gsize - 1))
    off = rng.randrange(0, gsize, 8)
    final_gpa = gpage + off
    eb = final_gpa & ~(esize - 1)
    hb = final_hpa(rng, esize, b)
    if esize == G1 and hb == 0:
        # keep the final page inside the tag window: move the whole guest page
        o = rng.randrange(TAGWIN[0], TAGWIN[1], 8)
        gpage = r_gpa + (o & ~(gsize - 1)) if gsize < G1 else r_gpa
        final_gpa = r_gpa + o if gsize == G1 else gpage + (o & (gsize - 1))
        off = final_gpa - gpage
        eb = r_gpa
    kind = rng.choices(["ok", "g_np", "g_rsvd", "g_ro", "g_tbl", "e_np", "e_perm", "e_mis", "noncanon"],
                       [22, 8, 12, 10, 14, 8, 12, 12, 4])[0]
    n = rng.choice([1, 2, 2, 3, 4])
    # all probes of a scenario stay in the final 4 KiB page (same guest and EPT paths)
    addrs = [gva + (off & ~0xFFF) + ((off + 8 * 17 * k) & 0xFFF) for k in range(n)]
    if kind == "noncanon":
        bad = [(a ^ (1 << rng.randrange(48, 64))) for a in addrs]
        add_probes(rng, probes, intent, bad, lambda t: "FAULT stage=1 kind=noncanonical")
        return
    special = None
    if kind == "g_tbl":
        # a guest table at its own GPA (region 390+ GiB, own EPT PD/PT), broken in EPT
        t_level = rng.choice([3, 2, 1] if gsize == K4 else [3, 2] if gsize == M2 else [3])
        t_gpa = (390 << 30) + b.tbl_chunk * M2 + rng.randrange(0, M2, K4)
        b.tbl_chunk += 1
        t_hpa = b.alloc_hpa()
        tpath = b.ept_map(t_gpa, K4, t_hpa, RWX | WB | b.ad_bits(True))
        b.g2h[t_gpa] = t_hpa
        special = (t_level, t_gpa)
    ept_path = b.ept_map(eb, esize, hb, ept_leaf_bits(rng, b.ept_ad))
    gpath = b.g_map(gva, gsize, gpage, special)
    ok = lambda t: "OK"
    out = ok
    if kind == "g_np":
        lv, ea = rng.choice(gpath)
        b.gw(ea, b.gr(ea) & ~X.G_P)
        out = lambda t: "FAULT stage=1 kind=translation"
    elif kind == "g_rsvd":
        lv, ea = rng.choice(gpath)
        e = b.gr(ea)
        leaf = lv == gpath[-1][0]
        opts = ["high"]
        if lv == 4:
            opts.append("ps4")
        if leaf and lv == 2:
            opts.append("low2m")
        if leaf and lv == 3:
            opts.append("low1g")
        if not b.nxe:
            opts.append("xd")
        c = rng.choice(opts)
        if c == "high":
            e |= 1 << rng.randrange(40, 52)
        elif c == "ps4":
            e |= X.G_PS
        elif c == "low2m":
            e |= 1 << rng.randrange(13, 21)
        elif c == "low1g":
            e |= 1 << rng.randrange(13, 30)
        else:
            e |= X.G_NX
        b.gw(ea, e)
        out = lambda t: "FAULT stage=1 kind=reserved"
    elif kind == "g_ro":
        lv, ea = rng.choice(gpath)
        b.gw(ea, b.gr(ea) & ~X.G_RW)
        out = lambda t: "FAULT stage=1 kind=permission" if (t == "W" and wp) else "OK"
    elif kind == "g_tbl":
        # tpath: EPT path of the special table page; break its PTE or PDE (own to this scenario)
        lvl = rng.choice([1, 2])
        ea = tpath[4 - lvl]
        k = rng.choice(["np", "perm", "misconfig"])
        if lvl == 2 and k == "perm":
            k = "np"
        f = break_ept_entry(rng, b, ea, lvl, lvl == 1, k)
        # table reads are writes for EPT with EPT A/D; A/D updates are writes otherwise (history-dependent)
        if k == "perm":
            p = b.mem.r64(ea) & 7
            if not p & X.EPT_R:
                out = lambda t: "FAULT stage=2 kind=permission on=walk"
            elif b.ept_ad:
                out = lambda t: "FAULT stage=2 kind=permission on=walk"
            else:
                # readable but not writable: the guest entry in that table must not need an
                # A/D update (Bochs does not check EPT write permission for it: deviation B3)
                lv, gea = [x for x in gpath if x[0] == t_level][0]
                b.gw(gea, b.gr(gea) | X.G_A | (X.G_D if lv == gpath[-1][0] else 0))
                out = lambda t: "OK"
        else:
            r = f("walk")
            out = lambda t, r=r: f"FAULT stage=2 kind={r}" + (" on=walk" if r != "misconfig" else "")
    elif kind in ("e_np", "e_perm", "e_mis"):
        # levels owned by the scenario: PDPTE (own 1 GiB region) and below, down to the leaf
        choices = [(4 - i, ea) for i, ea in enumerate(ept_path) if i >= (0 if region == "pml4" else 1)]
        lvl, ea = rng.choice(choices)
        is_leaf = ea == ept_path[-1]
        k = {"e_np": "np", "e_perm": "perm", "e_mis": "misconfig"}[kind]
        f = break_ept_entry(rng, b, ea, lvl, is_leaf, k)

        def out(t, f=f):
            r = f(t)
            return "OK" if r == "OK" else f"FAULT stage=2 kind={r}" + (" on=final" if r != "misconfig" else "")
    add_probes(rng, probes, intent, addrs, out)


def scen_s2only(rng, b, chunk, probes, intent):
    """stage 2 only: GPA chunk of 2 MiB in [256 MiB, 1 GiB) (EPT 4 KiB or 2 MiB leaf), or
    with a 1 GiB leaf / PDPTE break for the regions at 1, 2, 3 GiB (first three chunks)."""
    big = chunk < 3 and rng.random() < 0.7
    if big:
        base, esize = (chunk + 1) << 30, G1 if rng.random() < 0.6 else rng.choice([K4, M2])
    else:
        base, esize = 0x10000000 + chunk * M2, rng.choice([K4, M2])
    off = rng.randrange(0, M2 if esize != G1 else G1, 8) & ~7
    gpa = base + off
    eb = gpa & ~(esize - 1)
    hb = final_hpa(rng, esize, b)
    if esize == G1 and hb == 0:
        gpa = base + rng.randrange(TAGWIN[0], TAGWIN[1], 8)
    path = b.ept_map(eb, esize, hb, ept_leaf_bits(rng, b.ept_ad))
    kind = rng.choices(["ok", "e_np", "e_perm", "e_mis"], [30, 20, 25, 25])[0]
    n = rng.choice([1, 2, 3])
    addrs = [(gpa & ~0xFFF) + ((gpa + 8 * 17 * k) & 0xFFF) for k in range(n)]
    out = lambda t: "OK"
    if kind != "ok":
        own = [(4 - i, ea) for i, ea in enumerate(path) if i >= (1 if big else 2)]
        lvl, ea = rng.choice(own)
        f = break_ept_entry(rng, b, ea, lvl, ea == path[-1], {"e_np": "np", "e_perm": "perm", "e_mis": "misconfig"}[kind])

        def out(t, f=f):
            r = f(t)
            return "OK" if r == "OK" else f"FAULT stage=2 kind={r}" + (" on=final" if r != "misconfig" else "")
    add_probes(rng, probes, intent, addrs, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--scenarios", type=int, default=150, help="scenarios per image (1-4 probes each)")
    ap.add_argument("--stage2-only-every", type=int, default=4, help="every M-th image is stage-2 only (0: none)")
    a = ap.parse_args()
    total = 0
    for k in range(a.count):
        rng = random.Random(a.seed * 1000003 + k)
        s2 = a.stage2_only_every and k % a.stage2_only_every == a.stage2_only_every - 1
        mem, regime, probes, intent = make_image(rng, a.scenarios, s2)
        d = os.path.join(a.out, f"img{k}")
        write_image(d, mem, regime, probes)
        with open(os.path.join(d, "intent.txt"), "w") as f:
            f.write("".join(f"{i} {x}\n" for i, x in enumerate(intent)))
        total += len(probes)
    print(f"gen_random.py: {a.count} images, {total} probes in {a.out}")


if __name__ == "__main__":
    main()
