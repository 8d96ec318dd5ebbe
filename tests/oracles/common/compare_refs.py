#!/usr/bin/env python3
"""Compare per-probe physical reference sequences (IMAGE.md section 5 line format).

usage: compare_refs.py EXPECTED_REFS ACTUAL [--names] [--label NAME]

EXPECTED_REFS is an image's refs.txt; ACTUAL is `nptsim translate --image DIR --refs`
output (answer lines, whose second token is OK/FAULT, are skipped). Reference lines:
  <index> <R|W> <hex hpa> <what> <hex value>
For each probe the two sequences must have the same length and, position by position:
  table entries (what != DATA): same R/W, address and value;
  DATA: the actual line is DATA too, with the same R/W and address (value not compared).
--names also requires the same `what` for entries (e.g. GPTE / VSPTE). Every difference
is printed (first one per probe), then 'N probes agree, M disagree'; exit 1 if any differ.
"""
import argparse
import sys


def read_refs(path):
    refs = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            tok = line.split()
            if len(tok) < 2 or tok[1] not in ("R", "W"):
                continue
            if len(tok) != 5:
                raise ValueError(f"{path}:{n}: bad reference line {line.strip()!r}")
            i, rw, addr, what, val = tok
            refs.setdefault(int(i), []).append((rw, int(addr, 16), what, int(val, 16), line.strip()))
    return refs


def first_difference(exp, act, names):
    for k, (e, a) in enumerate(zip(exp, act)):
        if (e[2] == "DATA") != (a[2] == "DATA") or e[0] != a[0] or e[1] != a[1]:
            return k
        if e[2] != "DATA" and (e[3] != a[3] or (names and e[2] != a[2])):
            return k
    return None if len(exp) == len(act) else min(len(exp), len(act))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--names", action="store_true", help="also compare the `what` of entries")
    ap.add_argument("--label", default="")
    a = ap.parse_args()
    try:
        exp, act = read_refs(a.expected), read_refs(a.actual)
    except (OSError, ValueError) as e:
        print(f"compare_refs: {e}", file=sys.stderr)
        return 2
    pre = f"{a.label}: " if a.label else ""
    good = bad = 0
    for i in sorted(set(exp) | set(act)):
        e, x = exp.get(i, []), act.get(i, [])
        k = first_difference(e, x, a.names)
        if k is None:
            good += 1
            continue
        bad += 1
        print(f"{pre}probe {i}: {len(e)} expected references, {len(x)} actual; first difference at #{k}")
        print(f"    expected: {e[k][4] if k < len(e) else '(none)'}")
        print(f"    actual:   {x[k][4] if k < len(x) else '(none)'}")
    print(f"{pre}{good} probes agree, {bad} disagree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
