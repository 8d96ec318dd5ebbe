"""x86-64 EPT / guest paging helpers shared by emulate.py and gen_random.py.

Contents:
  * entry-bit constants of EPT entries (SDM vol. 3 28.3.2) and guest 4-level entries;
  * the host-physical windows of the Bochs harness (HPA_*), the contract for images;
  * the stub code the harness runs in the guest (STUB_CODE, placed at the stub page);
  * stub_path(): walk of the harness's own instruction fetch (stub_gva -> stub_gpa -> HPA)
    over an image's memory, listing the entries the fetch reads and the accessed/dirty bits
    the hardware would set on them. Images must have those bits set already (so the fetch
    writes nothing and every A/D write in refs.txt belongs to the probe's own access);
    prepare_stub() sets them.
This is deliberately not a translator for probes: only the stub's (all-valid) path is walked.
"""
import struct

# ---- EPT entries --------------------------------------------------------------------------
EPT_R, EPT_W, EPT_X = 1, 2, 4
EPT_MT_SHIFT = 3                 # memory type, bits 5:3 (leaf only): 0 UC, 1 WC, 4 WT, 5 WP, 6 WB
EPT_IPAT = 1 << 6
EPT_LARGE = 1 << 7               # bit 7 in a PDPTE (1 GiB) or PDE (2 MiB)
EPT_A, EPT_D = 1 << 8, 1 << 9    # with EPTP bit 6
EPT_XU = 1 << 10                 # user-execute (mode-based execute control off: ignored)
# ---- guest entries ------------------------------------------------------------------------
G_P, G_RW, G_US, G_PWT, G_PCD, G_A, G_D, G_PS, G_G = 1, 2, 4, 8, 16, 32, 64, 128, 256
G_NX = 1 << 63
MAXPHYADDR = 40
ADDR_MASK = ((1 << MAXPHYADDR) - 1) & ~0xFFF          # bits 39:12
EPT_LEVEL_NAMES = {4: "EPT_PML4E", 3: "EPT_PDPTE", 2: "EPT_PDE", 1: "EPT_PTE"}
G_LEVEL_NAMES = {4: "PML4E", 3: "PDPTE", 2: "PDE", 1: "PTE"}

# ---- host-physical windows of the harness (Bochs `megs` = RAM_MB) -------------------------
RAM_MB = 512
HPA_RESERVED_END = 0x100000          # [0, 1 MiB): harness code, directory, stack, BIOS, VGA
HPA_SEG_LO, HPA_SEG_HI = 0x100000, RAM_MB << 20   # segments must lie in [1 MiB, 512 MiB)
# Final pages (the probe's host-physical address) may be anywhere below 2^40 except the
# legacy device/ROM hole and the 32-bit MMIO hole, where accesses have side effects:
HPA_FORBIDDEN_FINAL = [(0xA0000, 0x100000), (0xC0000000, 0x100000000)]

# ---- the guest stub (harness.c) -------------------------------------------------------------
STUB_CODE = bytes.fromhex(
    "4889e1" "488b01" "0f01c1" + "00" * 7 +            # +0  64-bit R: mov %rsp,%rcx; mov (%rcx),%rax; vmcall
    "4889e1" "488701" "488901" "0f01c1" + "00" * 4 +   # +16 64-bit W: ...; xchg %rax,(%rcx); mov %rax,(%rcx); vmcall
    "89e1" "8b01" "0f01c1" + "00" * 9 +                # +32 32-bit R: mov %esp,%ecx; mov (%ecx),%eax; vmcall
    "89e1" "8701" "8901" "0f01c1")                     # +48 32-bit W: ...; xchg %eax,(%ecx); mov %eax,(%ecx); vmcall
assert len(STUB_CODE) == 57 and STUB_CODE[16:19] == STUB_CODE[0:3] and STUB_CODE[48:50] == STUB_CODE[32:34]


def canonical(va):
    top = va >> 47
    return top == 0 or top == (1 << 17) - 1


class Mem:
    """Read/modify view of an image's segments [(hpa, bytes)]; unknown memory reads as None."""

    def __init__(self, segments):
        self.segs = [(a, bytearray(d)) for a, d in segments]
        self.dirty = set()

    def find(self, hpa):
        for i, (a, d) in enumerate(self.segs):
            if a <= hpa < a + len(d):
                return i, hpa - a
        return None

    def r64(self, hpa):
        f = self.find(hpa)
        if f is None:
            return None
        i, off = f
        return struct.unpack_from("<Q", self.segs[i][1], off)[0]

    def w64(self, hpa, v):
        i, off = self.find(hpa)
        struct.pack_into("<Q", self.segs[i][1], off, v)
        self.dirty.add(i)


class StubError(Exception):
    pass


def ept_walk(mem, eptp, gpa, need, what):
    """Walk EPT for gpa. need: EPT_R/W/X bits every entry must grant. Returns
    (hpa, [(level, entry_hpa, entry)]). Raises StubError when the path is not usable."""
    table = eptp & ADDR_MASK
    path = []
    for level in (4, 3, 2, 1):
        ea = table + ((gpa >> (12 + 9 * (level - 1))) & 511) * 8
        e = mem.r64(ea)
        if e is None:
            raise StubError(f"{what}: EPT {EPT_LEVEL_NAMES[level]} at HPA {ea:#x} is outside the segments")
        path.append((level, ea, e))
        if e & need != need:
            raise StubError(f"{what}: EPT {EPT_LEVEL_NAMES[level]} {e:#x} at {ea:#x} lacks permission {need:#x}")
        if level == 1 or (level in (2, 3) and e & EPT_LARGE):
            size = 1 << (12 + 9 * (level - 1))
            return (e & ADDR_MASK & ~(size - 1)) | (gpa & (size - 1)), path
        table = e & ADDR_MASK
    raise AssertionError


def stub_path(regime, mem):
    """The harness's instruction fetch of the stub page. Returns dict with
    stub_hpa, n_ept_walks (EPT walks the fetch makes: one per guest table + the final one),
    sets [(entry_hpa, bits)] = accessed/dirty bits the fetch would set.
    Raises StubError if the stub page is not mapped as the harness needs."""
    p = regime["params"]
    eptp = int(regime["stage2"]["eptp"], 16)
    ad = bool(eptp & (1 << 6))
    s1 = regime["stage1"]
    stub_gpa = int(p["stub_gpa"], 16)
    sets = []
    n_walks = 0
    tbl_need = EPT_R | (EPT_W if ad else 0)
    if s1 is not None:
        stub_gva = int(p["stub_gva"], 16)
        nxe = bool(int(s1["efer"], 16) & (1 << 11))
        table_gpa = int(s1["cr3"], 16) & ADDR_MASK
        gpa = None
        for level in (4, 3, 2, 1):
            egpa = table_gpa + ((stub_gva >> (12 + 9 * (level - 1))) & 511) * 8
            ehpa, epath = ept_walk(mem, eptp, egpa, tbl_need, f"guest {G_LEVEL_NAMES[level]} of the stub")
            n_walks += 1
            if ad:
                sets += [(a, EPT_A) for _, a, _ in epath]
                sets.append((epath[-1][1], EPT_D))      # guest-table accesses are writes for EPT A/D
            e = mem.r64(ehpa)
            if not e & G_P:
                raise StubError(f"stub GVA {stub_gva:#x}: guest {G_LEVEL_NAMES[level]} {e:#x} not present")
            if nxe and e & G_NX:
                raise StubError(f"stub GVA {stub_gva:#x}: guest {G_LEVEL_NAMES[level]} has XD set")
            sets.append((ehpa, G_A))
            if level == 1 or (level in (2, 3) and e & G_PS):
                size = 1 << (12 + 9 * (level - 1))
                gpa = (e & ADDR_MASK & ~(size - 1)) | (stub_gva & (size - 1))
                break
            table_gpa = e & ADDR_MASK
        if gpa & ~0xFFF != stub_gpa & ~0xFFF:
            raise StubError(f"stub GVA {stub_gva:#x} maps to GPA {gpa:#x}, not stub_gpa {stub_gpa:#x}")
    hpa, epath = ept_walk(mem, eptp, stub_gpa, EPT_X, "stub GPA")
    n_walks += 1
    if ad:
        sets += [(a, EPT_A) for _, a, _ in epath]
    return {"stub_hpa": hpa & ~0xFFF, "n_ept_walks": n_walks, "sets": sets}


def missing_ad(mem, sets):
    return [(a, b) for a, b in sets if not mem.r64(a) & b]


def prepare_stub(mem, sets):
    for a, b in sets:
        mem.w64(a, mem.r64(a) | b)
