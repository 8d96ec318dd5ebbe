"""Read and write oracle test images (format: IMAGE.md, kept with the oracle README).

An image directory holds seg_<hpa>.bin, regime.json, probes.txt, expected.txt and
optionally refs.txt and raw.out. This module is shared by every generator and emulator
driver (riscv64, aarch64, x86_64); it knows the file formats, not the architectures.

API (everything a generator or driver needs):

  Memory()                      sparse little-endian physical memory in 4 KiB pages
    .w64(addr, value)           write an 8-byte word (page created zero-filled on demand)
    .r64(addr) -> int           read an 8-byte word (0 where no page exists)
    .touch(addr)                make sure the page holding addr exists (zero-filled)
    .pages() -> [page addr]     sorted page addresses present
    .segments() -> [(hpa, bytes)]  runs of consecutive pages, coalesced

  write_image(dir, segments, regime, probes, expected=None, refs=None)
      segments: [(hpa, bytes)] (or a Memory); regime: dict (dumped as regime.json);
      probes: [(type, addr)] with type 'R'|'W'|'X' (index = position);
      expected / refs: lists of lines without '\\n' (written only if given).
      Removes stale seg_*.bin files of the directory first.
  read_image(dir) -> Image with .segments [(hpa, bytes)] sorted by hpa, .regime (dict),
      .probes [(index, type, addr)], .expected [lines] or None, .refs [lines] or None

  hexs(v) -> '0x..'             IMAGE.md hex: lowercase, no leading zeros
  answer_ok(index, pa) -> line  '<i> OK pa=0x..'
  answer_fault(index, stage, kind, level=None, gpa=None, on=None) -> line
                                fields in IMAGE.md order, omitted when None
  parse_answer(line) -> (index, status, {field: str})  status 'OK' or 'FAULT';
                                fields kept as strings (compare hex with int(v, 0))
  parse_probes_text(text) -> [(index, type, addr)]
"""
import json
import os
import re
import struct

PAGE = 4096


class Memory:
    """Sparse physical memory: page address -> bytearray(4096)."""

    def __init__(self):
        self._pages = {}

    def touch(self, addr):
        pg = addr & ~(PAGE - 1)
        return self._pages.setdefault(pg, bytearray(PAGE))

    def w64(self, addr, value):
        assert addr % 8 == 0, f"unaligned write {addr:#x}"
        struct.pack_into("<Q", self.touch(addr), addr % PAGE, value & (2**64 - 1))

    def r64(self, addr):
        b = self._pages.get(addr & ~(PAGE - 1))
        return struct.unpack_from("<Q", b, addr % PAGE)[0] if b else 0

    def pages(self):
        return sorted(self._pages)

    def segments(self):
        out, run = [], []
        for pg in self.pages():
            if run and pg != run[-1] + PAGE:
                out.append((run[0], b"".join(bytes(self._pages[p]) for p in run)))
                run = []
            run.append(pg)
        if run:
            out.append((run[0], b"".join(bytes(self._pages[p]) for p in run)))
        return out


def hexs(v):
    return f"{v:#x}"


def answer_ok(index, pa):
    return f"{index} OK pa={hexs(pa)}"


def answer_fault(index, stage, kind, level=None, gpa=None, on=None):
    line = f"{index} FAULT stage={stage} kind={kind}"
    if level is not None:
        line += f" level={level}"
    if gpa is not None:
        line += f" gpa={hexs(gpa)}"
    if on is not None:
        line += f" on={on}"
    return line


def parse_answer(line):
    """'<i> OK|FAULT k=v ...' -> (i, status, {k: v}); raises ValueError if malformed."""
    tok = line.split()
    if len(tok) < 2 or not tok[0].isdigit() or tok[1] not in ("OK", "FAULT"):
        raise ValueError(f"not an answer line: {line!r}")
    fields = {}
    for t in tok[2:]:
        k, sep, v = t.partition("=")
        if not sep:
            raise ValueError(f"bad field {t!r} in {line!r}")
        fields[k] = v
    return int(tok[0]), tok[1], fields


def parse_probes_text(text):
    probes = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        i, t, a = line.split()
        if t not in ("R", "W", "X"):
            raise ValueError(f"bad probe type in {raw!r}")
        probes.append((int(i), t, int(a, 16)))
    for n, (i, _, _) in enumerate(probes):
        if i != n:
            raise ValueError(f"probe indexes must count from 0 in order (line {n} has {i})")
    return probes


class Image:
    def __init__(self, segments, regime, probes, expected=None, refs=None):
        self.segments, self.regime, self.probes = segments, regime, probes
        self.expected, self.refs = expected, refs


def memory_of(img):
    """A Memory holding the image's segments (non-zero words only)."""
    mem = Memory()
    for hpa, data in img.segments:
        for o in range(0, len(data), 8):
            v = int.from_bytes(data[o:o + 8], "little")
            if v:
                mem.w64(hpa + o, v)
    return mem


def _lines(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def read_image(d):
    segs = []
    for fn in os.listdir(d):
        m = re.fullmatch(r"seg_([0-9a-f]+)\.bin", fn)
        if m:
            with open(os.path.join(d, fn), "rb") as f:
                segs.append((int(m.group(1), 16), f.read()))
    segs.sort()
    if not segs:
        raise ValueError(f"{d}: no seg_<hpa>.bin files")
    for (a, da), (b, _) in zip(segs, segs[1:]):
        if a + len(da) > b:
            raise ValueError(f"{d}: segments {a:#x} and {b:#x} overlap")
    with open(os.path.join(d, "regime.json")) as f:
        regime = json.load(f)
    with open(os.path.join(d, "probes.txt")) as f:
        probes = parse_probes_text(f.read())
    return Image(segs, regime, probes, _lines(os.path.join(d, "expected.txt")),
                 _lines(os.path.join(d, "refs.txt")))


def write_image(d, segments, regime, probes, expected=None, refs=None):
    if isinstance(segments, Memory):
        segments = segments.segments()
    os.makedirs(d, exist_ok=True)
    for fn in os.listdir(d):
        if re.fullmatch(r"seg_[0-9a-f]+\.bin", fn):
            os.remove(os.path.join(d, fn))
    for hpa, data in segments:
        assert hpa % PAGE == 0 and len(data) % PAGE == 0 and data, f"bad segment {hpa:#x}"
        with open(os.path.join(d, f"seg_{hpa:x}.bin"), "wb") as f:
            f.write(data)
    with open(os.path.join(d, "regime.json"), "w") as f:
        json.dump(regime, f, indent=1)
        f.write("\n")
    with open(os.path.join(d, "probes.txt"), "w") as f:
        for i, (t, a) in enumerate(probes):
            f.write(f"{i} {t} {hexs(a)}\n")
    for name, lines in (("expected.txt", expected), ("refs.txt", refs)):
        if lines is not None:
            with open(os.path.join(d, name), "w") as f:
                f.write("".join(l + "\n" for l in lines))
