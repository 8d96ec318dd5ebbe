#!/usr/bin/env python3
"""Report where Bochs' expected.txt differs from the generator's intent.txt (gen_random.py).
usage: check_intent.py IMAGE_DIR...   Informational: a difference is a generator bug, a Bochs
deviation (../DEVIATIONS.md) or an A/D-history case the intent leaves open ('?').
Compares status, stage, kind and on= only. Exit 1 if any differ."""
import sys


def key(line):
    tok = line.split()
    f = dict(t.split("=", 1) for t in tok[2:] if "=" in t)
    return tuple([tok[1]] + [f.get(k) for k in ("stage", "kind", "on")]) if tok[1] != "?" else None


bad = total = 0
for d in sys.argv[1:]:
    exp = [l.strip() for l in open(f"{d}/expected.txt") if l.strip()]
    want = [l.strip() for l in open(f"{d}/intent.txt") if l.strip()]
    probes = [l.strip() for l in open(f"{d}/probes.txt") if l.strip()]
    for e, w, p in zip(exp, want, probes):
        total += 1
        k = key(w)
        if k is not None and k != key(e):
            bad += 1
            print(f"{d}: probe {p}: bochs '{e}' intent '{w}'")
print(f"check_intent: {total - bad} of {total} as intended")
sys.exit(1 if bad else 0)
