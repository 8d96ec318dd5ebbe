#!/usr/bin/env python3
"""Development aid: compare model.py's predictions with an emulated image's expected.txt,
and count the outcome classes and model features met (coverage).
usage: check_model.py IMAGE_DIR...   (prints the probes where the model and QEMU differ)"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from model_check import check_images  # noqa: E402
from model import Model  # noqa: E402


def make_model(img, mem):
    rg, s1 = img.regime, img.regime["stage1"]
    return Model(mem, int(rg["stage2"]["vtcr_el2"], 16), int(rg["stage2"]["vttbr_el2"], 16),
                 int(s1["tcr_el1"], 16) if s1 else 0, int(s1["ttbr0_el1"], 16) if s1 else 0,
                 bool(s1), rg["privilege"] == "user")


def observed(st, f):
    if st == "OK":
        return ("OK", int(f["pa"], 16))
    return ("F", int(f["stage"]), f["kind"], int(f["level"]) if "level" in f else None, f.get("on"))


check_images(sys.argv[1:], make_model, observed, ("pa=",))
