#!/usr/bin/env python3
"""Compare a simulator's answers with an image's expected.txt (pass rule: IMAGE.md section 4).

usage: compare_answers.py EXPECTED ACTUAL [--probes PROBES.TXT] [--label NAME]

A probe agrees when the status (OK/FAULT) matches and every field of the expected line is
present in the actual line with the same value (values starting with 0x compared as
numbers, others as strings). Extra actual fields are ignored. ACTUAL may be the output of
`nptsim translate --refs`: lines whose second token is R or W are reference lines and are
skipped. Every disagreement, missing answer and extra answer is printed; then a summary
'N agree, M disagree'. Exit status 0 if all agree, 1 otherwise, 2 on unreadable input.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from image import parse_answer, parse_probes_text  # noqa: E402


def same_value(a, b):
    if a.startswith("0x") and b.startswith("0x"):
        try:
            return int(a, 16) == int(b, 16)
        except ValueError:
            return False
    return a == b


def read_answers(path, allow_refs):
    answers, problems = {}, []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            tok = line.split()
            if allow_refs and len(tok) > 1 and tok[1] in ("R", "W"):
                continue
            try:
                i, status, fields = parse_answer(line)
            except ValueError as e:
                problems.append(f"{path}:{n}: {e}")
                continue
            if i in answers:
                problems.append(f"{path}:{n}: second answer for probe {i}")
            answers[i] = (status, fields, line)
    return answers, problems


def disagreement(exp, act):
    """None if act passes for exp, else a short reason."""
    es, ef, _ = exp
    as_, af, _ = act
    if es != as_:
        return "status"
    for k, v in ef.items():
        if k not in af:
            return f"missing {k}"
        if not same_value(v, af[k]):
            return f"{k} differs"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--probes", help="probes.txt, to print each probe's type and address")
    ap.add_argument("--label", default="", help="prefix for printed lines (e.g. image name)")
    a = ap.parse_args()
    try:
        exp, p1 = read_answers(a.expected, allow_refs=False)
        act, p2 = read_answers(a.actual, allow_refs=True)
        probes = {}
        if a.probes:
            with open(a.probes) as f:
                probes = {i: f"{t} {addr:#x}" for i, t, addr in parse_probes_text(f.read())}
    except (OSError, ValueError) as e:
        print(f"compare_answers: {e}", file=sys.stderr)
        return 2
    pre = f"{a.label}: " if a.label else ""
    for p in p1 + p2:
        print(pre + p)
    agree = disagree = 0
    for i in sorted(set(exp) | set(act)):
        where = f"probe {i}" + (f" ({probes[i]})" if i in probes else "")
        if i not in act:
            print(f"{pre}{where}: no answer; expected: {exp[i][2]}")
            disagree += 1
        elif i not in exp:
            print(f"{pre}{where}: extra answer: {act[i][2]}")
            disagree += 1
        else:
            why = disagreement(exp[i], act[i])
            if why:
                print(f"{pre}{where}: {why}\n    expected: {exp[i][2]}\n    actual:   {act[i][2]}")
                disagree += 1
            else:
                agree += 1
    bad = disagree + len(p1) + len(p2)
    print(f"{pre}{agree} agree, {disagree} disagree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
