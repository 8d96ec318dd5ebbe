#!/usr/bin/env python3
"""Development aid: compare model.py's predictions with an emulated image's expected.txt,
and count the outcome classes and model features met (coverage).
usage: check_model.py IMAGE_DIR...   (prints the probes where the model and QEMU differ)"""
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from image import read_image, memory_of, parse_answer  # noqa: E402
from model import Model  # noqa: E402

bad = total = 0
classes, features = Counter(), Counter()
for d in sys.argv[1:]:
    img = read_image(d)
    mem = memory_of(img)
    rg, s1 = img.regime, img.regime["stage1"]
    m = Model(mem, int(rg["stage2"]["vtcr_el2"], 16), int(rg["stage2"]["vttbr_el2"], 16),
              int(s1["tcr_el1"], 16) if s1 else 0, int(s1["ttbr0_el1"], 16) if s1 else 0,
              bool(s1), rg["privilege"] == "user")
    for (i, t, a), line in zip(img.probes, img.expected):
        ans, feats = m.walk(a, t)
        _, st, f = parse_answer(line)
        got = ("OK", int(f["pa"], 16)) if st == "OK" else (
            "F", int(f["stage"]), f["kind"], int(f["level"]) if "level" in f else None, f.get("on"))
        total += 1
        classes[" ".join(w for w in line.split()[1:] if not w.startswith("pa=")) + f" [{t}]"] += 1
        features.update(feats)
        if got != ans:
            bad += 1
            print(f"{d} probe {i} {t} {a:#x}: qemu {line!r} model {ans} {sorted(feats)}")
for k, v in sorted(classes.items()):
    print(f"{v:6} {k}")
print("features met:", ", ".join(f"{k} {v}" for k, v in sorted(features.items())))
print(f"{total - bad} same, {bad} differ")
