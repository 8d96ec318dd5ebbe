#!/usr/bin/env python3
"""Write the fixed regression image case1 (the Bochs EPT proof of concept of
shared/oracles/bochs-ept, gen_ept.py case1) in IMAGE.md format.

usage: make_case1.py OUT_DIR        then: emulate.py OUT_DIR --prepare-stub

EPT (PML4 at HPA 0x200000) maps GPA 0..64 KiB with 4 KiB pages to HPA 0x400000.. (GPA 0xe000
execute-only, 0xf000 not present), GPA 1 GiB with a 1 GiB page to HPA 0, GPA 2 MiB read-only,
4 MiB RWX, 6 MiB W-without-R (misconfig), 8 MiB memory type 2 (misconfig) as 2 MiB pages.
Guest 4-level tables at GPA 0x1000..0x4fff, CR0.WP = 1, NXE = 0.
The PoC's probe 8 (EPT 2 MiB PDE with reserved bit 12, which Bochs 2.7 accepts: deviation
B1 in ../DEVIATIONS.md) is left out, so probes 8..13 here are the PoC's 9..14.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from image import Memory, write_image  # noqa: E402

R, W, X, WB, LARGE = 1, 2, 4, 6 << 3, 1 << 7
P, GW, PS = 1, 2, 0x80


def main(out):
    m = Memory()
    EPML4, EPDPT, EPD, EPT = 0x200000, 0x201000, 0x202000, 0x203000
    m.w64(EPML4, EPDPT | R | W | X)
    m.w64(EPDPT, EPD | R | W | X)
    m.w64(EPDPT + 8, 0x0 | R | W | X | WB | LARGE)                 # GPA 1 GiB -> HPA 0 (1 GiB)
    m.w64(EPD, EPT | R | W | X)
    gpa2hpa = {}
    for i in range(16):
        m.touch(0x400000 + i * 0x1000)                              # guest RAM pages exist
        if i == 0xF:
            continue                                                # GPA 0xf000 not present
        fl = X | WB if i == 0xE else R | W | X | WB                 # GPA 0xe000 execute-only
        m.w64(EPT + i * 8, (0x400000 + i * 0x1000) | fl)
        gpa2hpa[i * 0x1000] = 0x400000 + i * 0x1000
    m.touch(EPT + 0x1000 - 8)
    m.w64(EPD + 1 * 8, 0x800000 | R | WB | LARGE)                   # GPA 2 MiB read-only
    m.w64(EPD + 2 * 8, 0xA00000 | R | W | X | WB | LARGE)           # GPA 4 MiB RWX
    m.w64(EPD + 3 * 8, 0xC00000 | W | WB | LARGE)                   # GPA 6 MiB W without R
    m.w64(EPD + 4 * 8, 0xC00000 | R | W | X | (2 << 3) | LARGE)     # GPA 8 MiB memory type 2

    def gw(gpa, v):
        m.w64(gpa2hpa[gpa & ~0xFFF] + (gpa & 0xFFF), v)
    gw(0x1000, 0x2000 | P | GW)                                     # PML4
    gw(0x2000, 0x3000 | P | GW)                                     # PDPT
    gw(0x2008, 0x40000000 | P | GW | PS)                            # GVA 1 GiB -> GPA 1 GiB
    gw(0x3000, 0x4000 | P | GW)                                     # PD
    gw(0x3000 + 2 * 8, 0x400000 | P | GW | PS)                      # GVA 4 MiB -> GPA 4 MiB
    gw(0x3000 + 3 * 8, 0x200000 | P | GW | PS)                      # GVA 6 MiB -> GPA 2 MiB (EPT RO)
    gw(0x3000 + 4 * 8, 0xF000 | P | GW)                             # GVA 8 MiB: PT at unmapped GPA
    gw(0x3000 + 5 * 8, 0x600000 | P | GW | PS)                      # GVA 10 MiB -> misconfig W-only
    gw(0x3000 + 6 * 8, 0x800000 | P | GW | PS)                      # GVA 12 MiB -> misconfig memtype
    gw(0x4000 + 7 * 8, 0x7000 | P)                                  # stub page
    gw(0x4000 + 8 * 8, 0xE000 | P | GW)                             # -> execute-only EPT page
    gw(0x4000 + 9 * 8, 0x9000 | P)                                  # read-only guest page
    gw(0x4000 + 11 * 8, 0xB000 | P | GW | (1 << 51))                # reserved bit 51
    probes = [("R", 0x400000), ("W", 0x400008), ("R", 0x40100000), ("R", 0x600010),
              ("W", 0x600010), ("R", 0x800000), ("R", 0xA00000), ("R", 0xC00000),
              ("R", 0x1000000), ("R", 0x8000), ("W", 0x9000), ("R", 0xA000),
              ("R", 0xB000), ("R", 0x0000800000000000)]
    regime = {
        "arch": "x86_64",
        "stage2": {"eptp": "0x20001e"},
        "stage1": {"cr0": "0x80010031", "cr3": "0x1000", "cr4": "0x20", "efer": "0x500"},
        "privilege": "supervisor",
        "ad_policy": "hw-update",
        "params": {"maxphyaddr": 40, "ept_execute_only": True, "ept_ad": False,
                   "stub_gva": "0x7000", "stub_gpa": "0x7000"},
        "notes": "Bochs EPT proof of concept case1 (shared/oracles/bochs-ept/gen_ept.py) without "
                 "its probe 8 (Bochs deviation B1)",
    }
    write_image(out, m, regime, probes)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "case1")
