#!/usr/bin/env python3
"""Run an x86_64 oracle image (IMAGE.md) on Bochs 2.7 (VMX/EPT) and write its answers.

usage: emulate.py IMAGE_DIR [--harness DIR] [--work DIR] [--prepare-stub] [--keep]

Writes into IMAGE_DIR:
  expected.txt  normalized answers (IMAGE.md section 4, x86_64 rows)
  refs.txt      per-probe physical references of the probe's own access (IMAGE.md section 5)
  raw.out       the harness's serial output
--harness DIR   where build_harness.sh put boot.img + harness.bin (built into WORK if absent)
--work DIR      scratch directory (disk image, bochsrc, Bochs logs); default IMAGE_DIR/.bochs
--prepare-stub  set, in IMAGE_DIR's segments, the accessed (and EPT dirty) bits the harness's
                own instruction fetch of the stub page would set (see README); without it an
                image lacking them is refused
Exit status: 0 done, 3 image refused (message says why; same code as rv/arm), 1 Bochs/harness failure.

How (tests/oracles/README.md, x86 section): the segments, the tag windows and the probe list
go into a raw disk image (directory + sector-aligned segment contents) that the harness reads
over ATA in long mode and copies to the segments' host-physical addresses; Bochs runs headless
(display_library term inside `script`, which supplies the terminal), the debugger rc switches
`trace-mem on` at the harness's first magic breakpoint, and the trace gives, per probe, the
physical references and the final host-physical address (the DATA access)."""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
sys.path.insert(0, HERE)
from image import read_image, answer_ok, answer_fault, hexs  # noqa: E402
import x86img as X  # noqa: E402

DIR_MAGIC = 0x31584D5354504E4E
DIR_MAX_BYTES = 0x20000      # harness.c: directory buffer
MAX_PROBES = 4096            # harness.c: result array
TAG_WINDOWS = [(0x2000000, 0x400000)]       # [32 MiB, 36 MiB): every word holds its address
HEADS, SPT = 16, 63


class Refused(Exception):
    pass


def h(regime, *keys):
    v = regime
    for k in keys:
        if not isinstance(v, dict) or k not in v:
            raise Refused(f"regime.json: missing {'.'.join(keys)}")
        v = v[k]
    try:
        return int(v, 16) if isinstance(v, str) else int(v)
    except ValueError:
        raise Refused(f"regime.json: {'.'.join(keys)} = {v!r} is not a hex string")


def check_regime(img):
    """Refuse what the harness cannot run; return (mode, eptp, cr0, cr3, cr4, efer, stub_gva)."""
    r = img.regime
    if r.get("arch") != "x86_64":
        raise Refused(f"arch is {r.get('arch')!r}, this oracle runs x86_64 only")
    if r.get("privilege") != "supervisor":
        raise Refused("privilege must be supervisor (the harness's guest runs at CPL 0)")
    if r.get("ad_policy", "hw-update") != "hw-update":
        raise Refused("ad_policy must be hw-update (x86 sets accessed/dirty flags in hardware)")
    p = r.get("params") or {}
    if int(p.get("maxphyaddr", 40)) != 40:
        raise Refused("params.maxphyaddr must be 40 (Bochs' physical-address width)")
    if p.get("ept_execute_only", True) is not True:
        raise Refused("params.ept_execute_only must be true (Bochs supports execute-only EPT)")
    eptp = h(r, "stage2", "eptp")
    if eptp & 7 != 6 or (eptp >> 3) & 7 != 3 or eptp & 0xF80 or eptp >> 40:
        raise Refused(f"eptp {eptp:#x}: need memory type 6, 4-level walk, bits 11:7 and 63:40 clear")
    if "ept_ad" in p and bool(p["ept_ad"]) != bool(eptp & 0x40):
        raise Refused("params.ept_ad disagrees with EPTP bit 6")
    stub_gpa = h(r, "params", "stub_gpa")
    s1 = r.get("stage1")
    for i, t, a in img.probes:
        if t not in ("R", "W"):
            raise Refused(f"probe {i}: type {t} (the x86 harness runs R and W probes only)")
        if a % 8:
            raise Refused(f"probe {i}: address {a:#x} not 8-byte aligned")
    if s1 is None:
        if stub_gpa >> 32 or any(a >> 32 for _, _, a in img.probes):
            raise Refused("stage-2-only images run in a 32-bit guest without paging: probe GPAs "
                          "and stub_gpa must be below 4 GiB")
        stub_page = stub_gpa & ~0xFFF
        for i, _, a in img.probes:
            if a & ~0xFFF == stub_page:
                raise Refused(f"probe {i} hits the stub page {stub_page:#x}")
        return 0, eptp, 0, 0, 0, 0, stub_gpa
    cr0, cr3, cr4, efer = (h(r, "stage1", k) for k in ("cr0", "cr3", "cr4", "efer"))
    stub_gva = h(r, "params", "stub_gva")
    if cr0 & 0x80000001 != 0x80000001:
        raise Refused(f"cr0 {cr0:#x}: PG and PE must be set")
    if not cr4 & 0x20 or cr4 & ((1 << 12) | (1 << 20) | (1 << 21) | (1 << 22) | (1 << 23)):
        raise Refused(f"cr4 {cr4:#x}: need PAE, no LA57/SMEP/SMAP/PKE/CET")
    if efer & 0x500 != 0x500:
        raise Refused(f"efer {efer:#x}: LME and LMA must be set")
    if cr3 & 0xFFF or cr3 >> 40:
        raise Refused(f"cr3 {cr3:#x}: PCD/PWT/PCID bits or bits above 39 are not supported")
    for i, _, a in img.probes:
        if a & ~0xFFF == stub_gva & ~0xFFF:
            raise Refused(f"probe {i} hits the stub page {stub_gva:#x}")
    return 1, eptp, cr0, cr3, cr4, efer, stub_gva


def check_segments(img):
    for a, d in img.segments:
        if a % 4096 or len(d) % 4096:
            raise Refused(f"segment {a:#x}: address and length must be multiples of 4096")
        if a < X.HPA_SEG_LO or a + len(d) > X.HPA_SEG_HI:
            raise Refused(f"segment {a:#x}+{len(d):#x} outside the harness's window "
                          f"[{X.HPA_SEG_LO:#x}, {X.HPA_SEG_HI:#x})")


def build_disk(path, mode, regs, segments, probes):
    """Directory (harness.c struct dir) + segments, padded to whole cylinders (16 heads, 63 spt)."""
    eptp, cr0, cr3, cr4, efer, stub = regs
    body, segtab, lba = [], [], None
    ndir_bytes = 12 * 8 + 16 * len(TAG_WINDOWS) + 24 * len(segments) + 16 * len(probes)
    dir_sectors = (ndir_bytes + 511) // 512
    if len(probes) > MAX_PROBES:
        raise Refused(f"{len(probes)} probes; the harness runs at most {MAX_PROBES} per image")
    if dir_sectors * 512 > DIR_MAX_BYTES:
        raise Refused(f"directory of {ndir_bytes} bytes exceeds {DIR_MAX_BYTES} (too many probes or segments)")
    lba = dir_sectors
    for a, d in segments:
        n = (len(d) + 511) // 512
        segtab.append(struct.pack("<3Q", a, lba, n))
        body.append(d + bytes(n * 512 - len(d)))
        lba += n
    head = struct.pack("<12Q", DIR_MAGIC, dir_sectors, mode, eptp, cr0, cr3, cr4, efer, stub,
                       len(TAG_WINDOWS), len(segments), len(probes))
    d = head + b"".join(struct.pack("<2Q", b, n) for b, n in TAG_WINDOWS) + b"".join(segtab)
    d += b"".join(struct.pack("<2Q", a, 1 if t == "W" else 0) for _, t, a in probes)
    d += bytes(dir_sectors * 512 - len(d))
    data = d + b"".join(body)
    cyl_bytes = HEADS * SPT * 512
    cyls = max(1, (len(data) + cyl_bytes - 1) // cyl_bytes)
    with open(path, "wb") as f:
        f.write(data)
        f.truncate(cyls * cyl_bytes)
    return cyls


def run_bochs(work, harness, cyls, timeout):
    rc = f"""megs: {X.RAM_MB}
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
floppya: 1_44={harness}/boot.img, status=inserted
boot: floppy
optramimage1: file={harness}/harness.bin, address=0x10000
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path={work}/disk.img, mode=flat, cylinders={cyls}, heads={HEADS}, spt={SPT}
cpu: model=corei7_skylake_x
display_library: term
com1: enabled=1, mode=file, dev={work}/serial.out
log: {work}/bochs.log
clock: sync=none
magic_break: enabled=1
"""
    with open(f"{work}/bochsrc", "w") as f:
        f.write(rc)
    with open(f"{work}/cmds", "w") as f:
        f.write("c\ntrace-mem on\nc\ntrace-mem off\nc\nquit\n")
    for fn in ("serial.out", "trace.txt"):
        if os.path.exists(f"{work}/{fn}"):
            os.remove(f"{work}/{fn}")
    env = dict(os.environ, TERM="xterm")
    # `script` gives Bochs' term display the terminal it insists on; its output is the
    # debugger's, including every trace-mem line.
    with open(f"{work}/trace.txt", "wb") as out:
        p = subprocess.run(["timeout", str(timeout), "script", "-qfec",
                            "bochs -q -f bochsrc -rc cmds", "/dev/null"],
                           cwd=work, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    return p.returncode


TRACE_RE = re.compile(r"\[CPU0 (RD|WR|RW)\]: (?:LIN (0x[0-9a-f]+) )?PHY (0x[0-9a-f]+) \(len=(\d+), [^)]*\):"
                      r"((?: 0x[0-9a-f]+)*)\s*(?:;\s*(.*?))?\s*$", re.I)
WHAT = {"PML4E": "PML4E", "PDPTE": "PDPTE", "PDE": "PDE", "PTE": "PTE",
        "EPT PML4E": "EPT_PML4E", "EPT PDPTE": "EPT_PDPTE", "EPT PDE": "EPT_PDE", "EPT PTE": "EPT_PTE"}


def split_trace(path):
    """Per probe index: the guest's accesses [(rw, hpa, what, value, lin)] between the VM entry
    (first VMCS read after the probe's marker) and the VM exit (first VMCS write). rw is 'R',
    'W', or 'M' for the read half of a read-modify-write (Bochs prints it as RW)."""
    out, probe, state = {}, None, "DONE"
    with open(path, errors="replace") as f:
        for line in f:
            m = TRACE_RE.search(line)
            if not m:
                continue
            rw, lin, phy, _, val, what = m.groups()
            what = (what or "").strip()
            words = val.split()
            v = int("".join(w[2:] for w in words), 16) if words else 0
            phy = int(phy, 16)
            if rw == "WR" and phy == 0x9F000 and v >> 32 == 0x4B52414D:
                probe, state = v & 0xFFFFFFFF, "PRE"
                out[probe] = []
                continue
            if what == "VMCS":
                if state == "PRE" and rw == "RD":
                    state = "ENTRY"
                elif state == "GUEST" and rw == "WR":
                    state = "DONE"
                continue
            if state == "ENTRY":
                state = "GUEST"
            if state != "GUEST":
                continue
            if what and what not in WHAT:
                raise RuntimeError(f"unexpected trace access kind {what!r} in probe {probe}: {line.strip()}")
            kind = WHAT.get(what, "DATA")
            out[probe].append(({"RD": "R", "WR": "W", "RW": "M"}[rw], phy, kind, v, int(lin, 16) if lin else None))
    return out


RAW_RE = re.compile(r"P (\d+) ([LS]) (0x[0-9a-f]+) (\S+)(.*)")


def field(rest, key):
    m = re.search(rf"\b{key}=(0x[0-9a-f]+|\d+)", rest)
    if not m:
        raise RuntimeError(f"raw line lacks {key}=: {rest}")
    return int(m.group(1), 0)


def in_segments(segs, a):
    return any(b <= a < b + len(d) for b, d in segs)


def normalize(img, mode, stub, raw_lines, trace):
    """Return (expected lines, refs lines). Raises RuntimeError on output the oracle cannot
    explain (harness/stub problems), which must never be turned into an answer."""
    res = {}
    for l in raw_lines:
        m = RAW_RE.match(l)
        if m:
            res[int(m.group(1))] = (m.group(4), m.group(5))
    stub_va = stub["stub_va"] & ~0xFFF
    expected, refs = [], []
    for i, t, a in img.probes:
        if i not in res:
            raise RuntimeError(f"probe {i}: no result in the harness output")
        kind, rest = res[i]
        acc = trace.get(i)
        if acc is None:
            raise RuntimeError(f"probe {i}: no trace window")
        # The stub fetch comes first: n EPT walks, each starting with an EPT_PML4E read.
        starts = [k for k, x in enumerate(acc) if x[0] == "R" and x[2] == "EPT_PML4E"]
        n = stub["n_ept_walks"]
        if len(starts) < n:
            raise RuntimeError(f"probe {i}: trace shows {len(starts)} EPT walks, the stub fetch alone needs {n}")
        cut = starts[n] if len(starts) > n else len(acc)
        fetch, own = acc[:cut], acc[cut:]
        if any(x[0] == "W" for x in fetch):
            raise RuntimeError(f"probe {i}: the stub fetch wrote {[(hex(x[1]), x[2]) for x in fetch if x[0] == 'W']}"
                               " (the stub path's A/D bits are not preset; use --prepare-stub)")
        data = [x for x in own if x[2] == "DATA"]
        if kind == "OK":
            if not data:
                raise RuntimeError(f"probe {i}: OK but no data access in the trace")
            if any(x[4] is not None and (x[4] & 0xFFFFFFFF) != (a & 0xFFFFFFFF) for x in data):
                raise RuntimeError(f"probe {i}: data access at an unexpected linear address")
            pa = data[0][1]
            val = field(rest, "val")
            tagged = any(b <= pa < b + n_ for b, n_ in TAG_WINDOWS) and not in_segments(img.segments, pa)
            mask = (1 << 64) - 1 if mode == 1 else 0xFFFFFFFF
            if tagged and val & mask != pa & mask:
                raise RuntimeError(f"probe {i}: loaded tag {val:#x} disagrees with the traced address {pa:#x}")
            expected.append(answer_ok(i, pa))
        elif kind == "EPT_VIOLATION":
            q, gpa, gla = field(rest, "qual"), field(rest, "gpa"), field(rest, "gla")
            if q & 4 or (q & 0x80 and gla & ~0xFFF == stub_va):
                raise RuntimeError(f"probe {i}: EPT violation on the stub fetch ({rest.strip()})")
            on = "final" if q & 0x100 else "walk"
            if mode == 0:
                on = "final"          # no guest paging: every access is the final one
            expected.append(answer_fault(i, 2, "permission" if q & 0x38 else "translation", gpa=gpa, on=on))
        elif kind == "EPT_MISCONFIG":
            expected.append(answer_fault(i, 2, "misconfig", gpa=field(rest, "gpa")))
        elif kind == "EXCEPTION":
            vec, err, cr2 = field(rest, "vec"), field(rest, "err"), field(rest, "qual")
            if vec == 14 and cr2 == a and not err & 0x10:
                expected.append(answer_fault(i, 1, "reserved" if err & 8 else
                                             "translation" if not err & 1 else "permission"))
            elif vec == 13 and mode == 1 and not X.canonical(a):
                expected.append(answer_fault(i, 1, "noncanonical"))
            else:
                raise RuntimeError(f"probe {i}: unexpected exception {rest.strip()}")
        else:
            raise RuntimeError(f"probe {i}: unexpected exit {kind}{rest}")
        # refs: the probe's own walk and one DATA line: a read's load, or a write's store (the
        # write half of the harness's xchg; its read half 'M' and the restoring store are dropped)
        kept, seen_data = [], False
        for rw, hpa, what, v, _ in own:
            if rw == "M" and what != "DATA":
                raise RuntimeError(f"probe {i}: read-modify-write of a {what} at {hpa:#x}")
            if what == "DATA":
                if seen_data or rw != ("W" if t == "W" else "R"):
                    continue
                seen_data = True
            kept.append(f"{i} {rw} {hexs(hpa)} {what} {hexs(v)}")
        refs += kept
    return expected, refs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("image")
    ap.add_argument("--harness")
    ap.add_argument("--work")
    ap.add_argument("--prepare-stub", action="store_true")
    ap.add_argument("--timeout", type=int, default=120)
    a = ap.parse_args()
    img_dir = os.path.abspath(a.image)
    work = os.path.abspath(a.work or os.path.join(img_dir, ".bochs"))
    os.makedirs(work, exist_ok=True)
    if shutil.which("bochs") is None or shutil.which("script") is None:
        print("emulate.py: bochs (or script) not found; run scripts/setup.sh", file=sys.stderr)
        return 1
    try:
        try:
            img = read_image(img_dir)
        except (OSError, ValueError) as e:          # json.JSONDecodeError is a ValueError
            raise Refused(f"not a readable image: {e}")
        mode, eptp, cr0, cr3, cr4, efer, stub_va = check_regime(img)
        check_segments(img)
        mem = X.Mem(img.segments)
        try:
            sp = X.stub_path(img.regime, mem)
        except X.StubError as e:
            raise Refused(f"stub page not usable: {e}")
        sp["stub_va"] = stub_va
        missing = X.missing_ad(mem, sp["sets"])
        if missing and not a.prepare_stub:
            raise Refused("the stub fetch would set accessed/dirty bits at "
                          + ", ".join(f"{x:#x}" for x, _ in missing[:6])
                          + " (preset them or run with --prepare-stub)")
        if missing:
            X.prepare_stub(mem, sp["sets"])
            for k in sorted(mem.dirty):
                hpa, d = mem.segs[k]
                with open(os.path.join(img_dir, f"seg_{hpa:x}.bin"), "wb") as f:
                    f.write(d)
        for lo, hi in X.HPA_FORBIDDEN_FINAL + [(0, X.HPA_RESERVED_END)]:
            if lo <= sp["stub_hpa"] < hi:
                raise Refused(f"stub page HPA {sp['stub_hpa']:#x} lies in a reserved window")
        # the stub code goes into the stub page (its own segment unless a segment holds it)
        segs = [(b, bytearray(d)) for b, d in mem.segs]
        sh = sp["stub_hpa"]
        hit = [s for s in segs if s[0] <= sh < s[0] + len(s[1])]
        if hit:
            b, d = hit[0]
            page = d[sh - b:sh - b + 4096]
            if any(page) and page[:len(X.STUB_CODE)] != X.STUB_CODE:
                raise Refused(f"stub page HPA {sh:#x} holds image data (must be zero or the stub)")
            d[sh - b:sh - b + len(X.STUB_CODE)] = X.STUB_CODE
        else:
            if not X.HPA_SEG_LO <= sh < X.HPA_SEG_HI:
                raise Refused(f"stub page HPA {sh:#x} outside the segment window")
            segs.append((sh, bytearray(X.STUB_CODE + bytes(4096 - len(X.STUB_CODE)))))
        segs.sort()
    except Refused as e:
        print(f"emulate.py: {img_dir}: refused: {e}", file=sys.stderr)
        return 3
    harness = a.harness
    if not harness:
        harness = os.path.join(work, "harness")
        if subprocess.run([os.path.join(HERE, "build_harness.sh"), harness]).returncode:
            return 1
    harness = os.path.abspath(harness)
    try:
        cyls = build_disk(f"{work}/disk.img", mode, (eptp, cr0, cr3, cr4, efer, stub_va), segs, img.probes)
    except Refused as e:
        print(f"emulate.py: {img_dir}: refused: {e}", file=sys.stderr)
        return 3
    t0 = time.time()
    rc = run_bochs(work, harness, cyls, a.timeout)
    dt = time.time() - t0
    raw = open(f"{work}/serial.out", errors="replace").read() if os.path.exists(f"{work}/serial.out") else ""
    with open(os.path.join(img_dir, "raw.out"), "w") as f:
        f.write(raw)
    lines = raw.splitlines()
    if "END" not in lines:
        print(f"emulate.py: {img_dir}: harness did not finish (bochs rc {rc}); see {work}/bochs.log, "
              f"{work}/trace.txt and raw.out; last line: {lines[-1] if lines else '(none)'}", file=sys.stderr)
        return 1
    try:
        trace = split_trace(f"{work}/trace.txt")
        expected, refs = normalize(img, mode, sp, lines, trace)
    except RuntimeError as e:
        print(f"emulate.py: {img_dir}: {e}", file=sys.stderr)
        return 1
    for name, ls in (("expected.txt", expected), ("refs.txt", refs)):
        with open(os.path.join(img_dir, name), "w") as f:
            f.write("".join(l + "\n" for l in ls))
    print(f"emulate.py: {img_dir}: {len(expected)} probes, {len(refs)} references, bochs {dt:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
