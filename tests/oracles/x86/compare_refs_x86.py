#!/usr/bin/env python3
"""Compare a simulator's per-probe physical references with Bochs' refs.txt (IMAGE.md section 5).

usage: compare_refs_x86.py EXPECTED_REFS ACTUAL [--label NAME] [--max-report N]

EXPECTED_REFS: refs.txt written by emulate.py. ACTUAL: output of `nptsim translate --refs`;
only its reference lines `<index> <R|W> <hex hpa> <what> <hex value>` are used (answer lines
`<index> OK|FAULT ...` are skipped).

Rule, per probe:
  * as a set: the multisets of (R|W, hpa, what, value) must be equal; for DATA lines the value
    is not compared (it is memory content: the harness's tag or register, not a translation);
  * in order: the subsequence of reads (R lines) must be equal element by element (the
    architecture fixes the order of a walk's reads: each guest entry after the EPT walk of its
    guest-physical address, levels top-down, the final EPT walk after the guest leaf);
  * writes (accessed/dirty write-backs, the store itself) are compared as a set only: CPUs may
    order them differently (IMAGE.md section 5).
Prints each disagreeing probe with both sequences; summary 'N agree, M disagree'.
Exit 0 if every probe agrees, 1 otherwise, 2 on unreadable input.
"""
import argparse
import collections
import sys

WHATS = {"EPT_PML4E", "EPT_PDPTE", "EPT_PDE", "EPT_PTE", "PML4E", "PDPTE", "PDE", "PTE", "DATA"}


def parse(path, strict):
    per = collections.defaultdict(list)
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            tok = raw.split("#", 1)[0].split()
            if not tok:
                continue
            if len(tok) >= 2 and tok[1] in ("OK", "FAULT"):
                continue
            if len(tok) != 5 or not tok[0].isdigit() or tok[1] not in ("R", "W") or tok[3] not in WHATS:
                if strict:
                    raise ValueError(f"{path}:{n}: not a reference line: {raw.strip()!r}")
                continue
            i, rw, hpa, what, val = int(tok[0]), tok[1], int(tok[2], 16), tok[3], int(tok[4], 16)
            per[i].append((rw, hpa, what, None if what == "DATA" else val))
    return per


def fmt(r):
    rw, hpa, what, val = r
    return f"{rw} {hpa:#x} {what}" + ("" if val is None else f" {val:#x}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--label", default="")
    ap.add_argument("--max-report", type=int, default=20)
    a = ap.parse_args()
    try:
        exp = parse(a.expected, True)
        act = parse(a.actual, False)
    except (OSError, ValueError) as e:
        print(f"compare_refs_x86.py: {e}", file=sys.stderr)
        return 2
    good = bad = 0
    for i in sorted(set(exp) | set(act)):
        e, g = exp.get(i, []), act.get(i, [])
        why = []
        if collections.Counter(e) != collections.Counter(g):
            missing = collections.Counter(e) - collections.Counter(g)
            extra = collections.Counter(g) - collections.Counter(e)
            why.append("set differs: missing [" + ", ".join(fmt(r) for r in missing.elements())
                       + "] extra [" + ", ".join(fmt(r) for r in extra.elements()) + "]")
        elif [r for r in e if r[0] == "R"] != [r for r in g if r[0] == "R"]:
            why.append("reads in a different order")
        if why:
            bad += 1
            if bad <= a.max_report:
                print(f"{a.label}probe {i}: {'; '.join(why)}")
                print("  expected: " + " | ".join(fmt(r) for r in e))
                print("  actual:   " + " | ".join(fmt(r) for r in g))
        else:
            good += 1
    if bad > a.max_report:
        print(f"{a.label}... {bad - a.max_report} more disagreeing probes")
    print(f"{a.label}{good} agree, {bad} disagree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
