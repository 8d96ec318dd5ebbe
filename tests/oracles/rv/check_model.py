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
    rg = img.regime
    return Model(mem, int(rg["stage2"]["hgatp"], 16),
                 int(rg["stage1"]["vsatp"], 16) if rg["stage1"] else 0, rg["privilege"] == "user")


def observed(st, f):
    if st == "OK":
        return ("OK", int(f["pa"], 16))
    return ("F", 1) if f["stage"] == "1" else ("F", 2, int(f["gpa"], 16), f["on"])


check_images(sys.argv[1:], make_model, observed, ("pa=", "gpa="))
