#!/usr/bin/env python3
"""Golden statistics: the full `nptsim run --json` report of each sample trace.

Each case runs one sample trace (traces/samples/) or workload excerpt (traces/workloads/; a
case may use only its first records, to keep the suite quick) on x86_64, aarch64 and riscv64 with the
linear and lazy backends, two-dimensionally (the traces' own guest-virtual addresses, "gva") or
stage 2 only (`--addr gpa`), timing on, and compares the report with
tests/golden/stats/<sample>.<mode>.json. A difference is printed field by field
("runs[aarch64 lazy].walks: 412 -> 398").

  golden_stats.py --nptsim BIN                 check every case (exit 1 on any difference)
  golden_stats.py --nptsim BIN --only sort.gva check one case
  golden_stats.py --nptsim BIN --update        rewrite the golden files, printing what moved

A commit that changes golden numbers says why in its message.
"""
import argparse
import json
import lzma
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden", "stats")
# Each trace: its file (relative to the checkout) and how many of its first records the cases
# run (None: all). Keep a case (6 runs, timing on) under about a minute.
TRACES = {
    "sort": ("traces/samples/sort.nptb.xz", None),
    "awk-dict": ("traces/samples/awk-dict.nptb.xz", None),
    "gzip": ("traces/samples/gzip.nptb.xz", None),
    "gups-x86_64": ("traces/workloads/gups-x86_64.nptb.xz", None),
    "chase-aarch64": ("traces/workloads/chase-aarch64.nptb.xz", None),
    "hashjoin-riscv64": ("traces/workloads/hashjoin-riscv64.nptb.xz", None),
    "btree-x86_64": ("traces/workloads/btree-x86_64.nptb.xz", None),
    "xz-aarch64": ("traces/workloads/xz-aarch64.nptb.xz", None),
}
MODES = {"gva": [], "gpa": ["--addr", "gpa"]}
# The hypervisor's memory policies (docs/POLICIES.md) and shadow paging, on the sort sample only
# (gva).
POLICY_MODES = {
    "policy-blocks": ["--set", "hypervisor.alloc_block=2m", "--set", "hypervisor.linear_max_block=4k"],
    "policy-faultaround": ["--set", "hypervisor.fault_around=16", "--set", "hypervisor.alloc_block=2m",
                           "--set", "host.fragmentation=0.5"],
    "policy-prefault": ["--set", "hypervisor.prefault=area", "--set", "host.allocator=bump",
                        "--guest-ram", "512MiB"],
    # Shadow paging (translation.scheme = shadow) and agile paging instead of nested paging.
    "scheme-shadow": ["--scheme", "shadow"],
    "scheme-agile": ["--scheme", "agile"],
}
POLICY_TRACE = "sort"
# Generated traces with hypervisor and guest events (docs/EVENTS.md): made by `nptsim gen` with
# these options at each run, then run in gpa mode (balloon events need guest-physical addresses).
GEN_TRACES = {
    "gen-events": ["--pattern", "uniform", "--count", "60000", "--footprint", "64MiB",
                   "--write-ratio", "0.3", "--addr", "gpa", "--seed", "5",
                   "--balloon-every", "10000", "--balloon-pages", "64",
                   "--dirty-rounds", "3", "--dirty-every", "12000",
                   "--ctxsw-every", "7000", "--tlb-flush-every", "9000", "--migrate-every", "11000"],
}
BINARY_HEADER = 32
BINARY_RECORD = 16


def cases():
    return ([f"{t}.{m}" for t in TRACES for m in MODES] + [f"{POLICY_TRACE}.{m}" for m in POLICY_MODES]
            + [f"{t}.gpa" for t in GEN_TRACES])


def first_records(src, count, dst):
    """Writes the first `count` records of the xz-compressed binary trace `src` to `dst`, a
    binary trace whose header says `count`."""
    with lzma.open(src) as f:
        header = bytearray(f.read(BINARY_HEADER))
        body = f.read(count * BINARY_RECORD)
    if header[:8] != b"NPTTRACE" or len(body) != count * BINARY_RECORD:
        sys.exit(f"golden_stats: {src} is not a binary trace of at least {count} records")
    header[16:24] = count.to_bytes(8, "little")
    with open(dst, "wb") as f:
        f.write(header)
        f.write(body)


def run_case(nptsim, case):
    name, mode = case.rsplit(".", 1)
    path, records = TRACES.get(name, (None, None))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        cwd = ROOT
        if name in GEN_TRACES:  # run in tmp, the trace named stably
            cwd, path = tmp, f"{name}.nptb"
            gen = [nptsim, "gen", "-q", *GEN_TRACES[name], "--out", os.path.join(tmp, path)]
            proc = subprocess.run(gen, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if proc.returncode != 0:
                sys.exit(f"golden_stats: {' '.join(gen)} exited {proc.returncode}:\n{proc.stderr}")
        elif records is not None:  # run in tmp: the report names the trace, so name it stably
            cwd, path = tmp, f"{name}.first-{records}.nptb"
            first_records(os.path.join(ROOT, TRACES[name][0]), records, os.path.join(tmp, path))
        cmd = [nptsim, "run", "--trace", path, "--backend", "linear,lazy",
               *(MODES[mode] if mode in MODES else POLICY_MODES[mode]), "-q", "--json", out]
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            sys.exit(f"golden_stats: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
        with open(out) as f:
            return f.read()


def flatten(value, path, out):
    """Leaves of a report as {path: value}; runs are named by architecture and backend."""
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(v, f"{path}.{k}" if path else k, out)
    elif isinstance(value, list) and path == "runs":
        for run in value:
            flatten(run, f"runs[{run.get('arch')} {run.get('backend')}]", out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            flatten(v, f"{path}[{i}]", out)
    else:
        out[path] = value
    return out


def readable_diff(old_text, new_text):
    old = flatten(json.loads(old_text), "", {})
    new = flatten(json.loads(new_text), "", {})
    lines = []
    for k in list(old) + [k for k in new if k not in old]:
        if k not in new:
            lines.append(f"  {k}: {old[k]!r} -> (removed)")
        elif k not in old:
            lines.append(f"  {k}: (added) {new[k]!r}")
        elif old[k] != new[k]:
            lines.append(f"  {k}: {old[k]!r} -> {new[k]!r}")
    return lines or ["  (same values, different formatting)"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nptsim", required=True, help="the nptsim executable")
    ap.add_argument("--only", action="append", choices=cases(), help="one case (repeatable)")
    ap.add_argument("--update", action="store_true", help="rewrite the golden files")
    args = ap.parse_args()
    nptsim = os.path.abspath(args.nptsim)
    failed = 0
    for case in args.only or cases():
        path = os.path.join(GOLDEN, f"{case}.json")
        got = run_case(nptsim, case)
        old = open(path).read() if os.path.exists(path) else None
        if old == got:
            print(f"{case}: same as tests/golden/stats/{case}.json")
            continue
        if args.update:
            with open(path, "w") as f:
                f.write(got)
            print(f"{case}: updated tests/golden/stats/{case}.json")
            if old is not None:
                print("\n".join(readable_diff(old, got)))
            continue
        failed += 1
        if old is None:
            print(f"FAIL {case}: no golden file tests/golden/stats/{case}.json (run with --update)")
        else:
            print(f"FAIL {case}: the report differs from tests/golden/stats/{case}.json:")
            print("\n".join(readable_diff(old, got)))
    if failed:
        print(f"{failed} case(s) differ; if the change is intended, run scripts/golden_stats.py --update "
              "and say in the commit why the numbers moved")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
