"""A small reference model of AArch64 stage 1 + stage 2 translation (4 KiB granule), used by
gen_random.py to aim probes and to keep a mix of outcomes; QEMU is the oracle.

walk(va, acc) returns (answer, features):
  answer   ('OK', pa) | ('F', stage, kind, level, on)  (on: 'walk'/'final' for stage 2, else None;
           level None for on='walk', as in IMAGE.md)
  features names met on the way; the generator drops probes whose features meet
           DEVIATION_FEATURES (see DEVIATIONS.md).
Rules (VMSAv8-64, no LPA/LPA2, HPD0 = 0, PAN = 0, EPD1 = 1): descriptors 0b11 table/page,
0b01 block at levels 1-2; S2AP read bit 6 / write bit 7; AP[2:1] and APTable[1:0];
AF clear -> access fault, or set by hardware when HA; output or table addresses above
PS (stage 2) / IPS (stage 1) -> address size fault.
"""
OA = 0x0000FFFFFFFFF000
PS_BITS = [32, 36, 40, 42, 44, 48, 52]
AF = 1 << 10

DEVIATION_FEATURES = {
    "s1_af_update_s2_nowrite",  # QEMU item A1: the hardware AF update of a stage-1 descriptor
                                # whose page stage 2 maps without write permission is reported
                                # as a stage-1 permission fault (architecture: stage-2
                                # permission fault on the walk, S1PTW)
}


def start_level_s2(sl0):
    return {0: 2, 1: 1, 2: 0}[sl0]


def start_level_s1(va_bits):
    return 0 if va_bits > 39 else 1 if va_bits > 30 else 2


class Model:
    def __init__(self, mem, vtcr, vttbr, tcr, ttbr0, s1_on, user):
        self.mem, self.user, self.s1_on = mem, user, s1_on
        self.ipa_bits = 64 - (vtcr & 63)
        self.s2_start = start_level_s2((vtcr >> 6) & 3)
        self.ps = PS_BITS[(vtcr >> 16) & 7]
        self.s2_ha = bool(vtcr >> 21 & 1)
        self.vttbr = vttbr & OA & ~0xFFF
        self.va_bits = 64 - (tcr & 63)
        self.s1_start = start_level_s1(self.va_bits)
        self.ips = PS_BITS[(tcr >> 32) & 7]
        self.s1_ha = bool(tcr >> 39 & 1)
        self.ttbr0 = ttbr0 & OA

    def s2(self, ipa, write, on, feats):
        """Returns pa or a fault tuple."""
        def fault(kind, lvl):
            return ("F", 2, kind, None if on == "walk" else lvl, on)
        if ipa >> self.ipa_bits:
            return fault("translation", 0)                # input address out of range: level 0
        if self.vttbr >> self.ps:
            return fault("addrsize", self.s2_start)
        table = self.vttbr
        for lvl in range(self.s2_start, 4):
            shift = 12 + 9 * (3 - lvl)
            idx = (ipa >> shift) if lvl == self.s2_start else (ipa >> shift) & 511
            d = self.mem.r64(table + idx * 8)
            typ = d & 3
            if typ == 3 and lvl < 3:
                if (d & OA) >> self.ps or (d >> 48) & 0xF:
                    return fault("addrsize", lvl)
                table = d & OA
                continue
            if not (typ == 3 and lvl == 3) and not (typ == 1 and lvl in (1, 2)):
                return fault("translation", lvl)
            base = d & OA & ~((1 << shift) - 1)
            if base >> self.ps or (d >> 48) & 0xF:
                return fault("addrsize", lvl)
            if not d & AF:
                if not self.s2_ha:
                    return fault("access", lvl)
                feats.add("s2_af_update")
            if not d & (1 << (7 if write else 6)):
                return fault("permission", lvl)
            feats.add(f"s2_leaf_l{lvl}")
            return base | (ipa & ((1 << shift) - 1))
        raise AssertionError("unreachable")

    def walk(self, va, acc):
        feats, write = set(), acc == "W"
        if not self.s1_on:
            pa = self.s2(va, write, "final", feats)
            return (pa if isinstance(pa, tuple) else ("OK", pa)), feats
        if va >> self.va_bits:
            return ("F", 1, "translation", 0, None), feats       # TTBR1 range (EPD1) or neither
        if self.ttbr0 >> self.ips:
            return ("F", 1, "addrsize", self.s1_start, None), feats
        table, no_el0, ro = self.ttbr0, False, False
        for lvl in range(self.s1_start, 4):
            shift = 12 + 9 * (3 - lvl)
            d_ipa = table + ((va >> shift) & 511) * 8
            d_pa = self.s2(d_ipa, False, "walk", feats)
            if isinstance(d_pa, tuple):
                return d_pa, feats
            d = self.mem.r64(d_pa)
            typ = d & 3
            if typ == 3 and lvl < 3:
                if (d & OA) >> self.ips or (d >> 48) & 0xF:
                    return ("F", 1, "addrsize", lvl, None), feats
                no_el0 |= bool(d >> 61 & 1)
                ro |= bool(d >> 62 & 1)
                feats.update(["aptable"] if d >> 61 & 3 else [])
                table = d & OA
                continue
            if not (typ == 3 and lvl == 3) and not (typ == 1 and lvl in (1, 2)):
                return ("F", 1, "translation", lvl, None), feats
            base = d & OA & ~((1 << shift) - 1)
            if base >> self.ips or (d >> 48) & 0xF:
                return ("F", 1, "addrsize", lvl, None), feats
            if not d & AF:
                if not self.s1_ha:
                    return ("F", 1, "access", lvl, None), feats
                feats.add("s1_af_update")
                w = self.s2(d_ipa, True, "walk", feats)          # the AF write goes through stage 2
                if isinstance(w, tuple):
                    feats.add("s1_af_update_s2_nowrite")
                    return w, feats
            ap = (d >> 6) & 3
            el0 = bool(ap & 1) and not no_el0
            wr = not (ap & 2) and not ro
            if (self.user and not el0) or (write and not wr):
                return ("F", 1, "permission", lvl, None), feats
            feats.add(f"s1_leaf_l{lvl}")
            pa = self.s2(base | (va & ((1 << shift) - 1)), write, "final", feats)
            return (pa if isinstance(pa, tuple) else ("OK", pa)), feats
        raise AssertionError("unreachable")
