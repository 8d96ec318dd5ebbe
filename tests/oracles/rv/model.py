"""A small reference model of RISC-V two-stage translation, used by gen_random.py only.

It is not the oracle (QEMU is): the generator uses it to aim probes at interesting entries,
to keep a mix of outcomes, and to recognise the probes that would hit a known QEMU
deviation (DEVIATIONS.md) so they are never emitted. walk() returns (answer, features):
  answer   ('OK', hpa) | ('F', 1) | ('F', 2, gpa, 'walk'|'final')
  features set of names met on the way; the generator drops probes whose features contain
           one in DEVIATION_FEATURES.
Rules: privileged spec 1.12 + H, SUM = MXR = 0, no Svpbmt/Svnapot (bits 63:54 reserved),
A/D updated by hardware (an update needs write permission at the G-stage for a VS PTE).
"""
V, R, W, X, U, G_, A, D = 1, 2, 4, 8, 16, 32, 64, 128
PPN_MASK = (1 << 44) - 1
RSV_MASK = 0x3ff << 54

DEVIATION_FEATURES = {
    "sum_u_page",       # QEMU item 2: HLV/HSV as VS-mode on a U=1 page succeeds (SUM ignored)
    "hlvx_r_ne_x",      # QEMU item 3: HLVX.WU checks R instead of X (both stages): avoid final
                        # leaves whose R and X bits differ under an X probe
    "vs_ad_update_gfault",  # QEMU item 7: A/D update of a VS PTE whose G-stage page is not
                        # writable succeeds (Spike: guest-page fault on the walk)
    "gpa_top_bit",      # QEMU item 5: GPA bit 40 (Sv39x4) / 49 (Sv48x4) set -> spurious fault
}


class Model:
    def __init__(self, mem, hgatp, vsatp, user):
        self.mem, self.user = mem, user
        self.g_levels = 3 if hgatp >> 60 == 8 else 4
        self.g_root = (hgatp & PPN_MASK) << 12
        self.vs_levels = {0: 0, 8: 3, 9: 4}[vsatp >> 60]
        self.vs_root = (vsatp & PPN_MASK) << 12

    def g_walk(self, gpa, acc, feats):
        """G-stage: acc in 'R','W','X'. Returns hpa or None (guest-page fault)."""
        bits = 12 + 9 * self.g_levels + 2
        if gpa >> bits:
            return None
        if (gpa >> (bits - 1)) & 1:
            feats.add("gpa_top_bit")
        a = self.g_root
        for lvl in range(self.g_levels - 1, -1, -1):
            idx = (gpa >> (12 + 9 * lvl)) & (0x7ff if lvl == self.g_levels - 1 else 0x1ff)
            pte = self.mem.r64(a + idx * 8)
            if not pte & V or (pte & (R | W)) == W or pte & RSV_MASK:
                return None
            if not pte & (R | W | X):
                if pte & (U | A | D):
                    feats.add("g_nonleaf_uad")
                a = ((pte >> 10) & PPN_MASK) << 12
                continue
            return self._leaf(pte, lvl, gpa, acc, True, feats)
        return None

    def _leaf(self, pte, lvl, addr, acc, gstage, feats):
        ppn = (pte >> 10) & PPN_MASK
        if ppn & ((1 << (9 * lvl)) - 1):
            return None                                    # misaligned superpage
        if gstage:
            if not pte & U:
                return None
        elif self.user and not pte & U:
            return None
        elif not self.user and pte & U:
            feats.add("sum_u_page")
            return None
        if acc == "X" and bool(pte & R) != bool(pte & X):
            feats.add("hlvx_r_ne_x")
        if not pte & {"R": R, "W": W, "X": X}[acc]:
            return None
        if not pte & A or (acc == "W" and not pte & D):
            feats.add("ad_update_g" if gstage else "ad_update_vs")
        off = addr & ((1 << (12 + 9 * lvl)) - 1)
        feats.add(f"{'g' if gstage else 'vs'}_leaf_l{lvl}")
        return (ppn << 12) + off

    def walk(self, addr, acc):
        feats = set()
        if not self.vs_levels:
            hpa = self.g_walk(addr, acc, feats)
            return (("OK", hpa) if hpa is not None else ("F", 2, addr, "final")), feats
        vbits = 12 + 9 * self.vs_levels
        top = addr >> (vbits - 1)
        if top not in (0, (1 << (65 - vbits)) - 1):
            return ("F", 1), feats                          # not sign-extended
        a = self.vs_root
        for lvl in range(self.vs_levels - 1, -1, -1):
            pte_gpa = a + ((addr >> (12 + 9 * lvl)) & 0x1ff) * 8
            pte_hpa = self.g_walk(pte_gpa, "R", feats)
            if pte_hpa is None:
                return ("F", 2, pte_gpa, "walk"), feats
            pte = self.mem.r64(pte_hpa)
            if not pte & V or (pte & (R | W)) == W or pte & RSV_MASK:
                return ("F", 1), feats
            if not pte & (R | W | X):
                a = ((pte >> 10) & PPN_MASK) << 12
                continue
            gpa = self._leaf(pte, lvl, addr, acc, False, feats)
            if gpa is None:
                return ("F", 1), feats
            if "ad_update_vs" in feats and self.g_walk(pte_gpa, "W", feats) is None:
                feats.add("vs_ad_update_gfault")
                return ("F", 2, pte_gpa, "walk"), feats
            hpa = self.g_walk(gpa, acc, feats)
            return (("OK", hpa) if hpa is not None else ("F", 2, gpa, "final")), feats
        return ("F", 1), feats
