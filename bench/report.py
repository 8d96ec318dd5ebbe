#!/usr/bin/env python3
"""End-to-end throughput report of `nptsim run` (issue 6). Called by bench/run_report.sh.

Runs nptsim on synthetic streams (made with `nptsim gen` into a temporary directory, deleted at
the end) and on the sample traces, for each architecture, timing on and off; measures the wall
time and the peak RSS of every run (os.wait4 on the nptsim process itself), takes the counts from
nptsim's JSON report, and writes <out>/<name>.json and <out>/REPORT.md. Every number written is
one measured here. Python 3 standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ARCHS = ["x86_64", "aarch64", "riscv64"]
GROUPS = ["tlbhit", "walk1d", "walk2d", "walk2d_nocache", "fault", "samples", "samples_nocache", "memory"]
SAMPLES = ["sort", "awk-dict", "gzip"]

GIB = 1 << 30

# Issue 6 targets (never loosened here).
TARGET_TLBHIT = 30e6      # accesses/s, TLB-hit dominated, timing on, per architecture
TARGET_WALKS = 3e6        # 2D walks/s, all caches off, timing on
TARGET_RATIO = 2.0        # timing on / timing off wall time, same trace (issue 13: was 3 in issue 6)
TARGET_RSS_KB = GIB // 1024  # peak RSS of the 100 M-access streamed run over 1 GiB


def sizes(quick):
    """Stream sizes: (full, quick). Chosen so a full report (5 runs) takes about 10 minutes."""
    q = quick
    return {
        "tlbhit_count": 1_000_000 if q else 20_000_000,
        "walk_count": 200_000 if q else 2_000_000,
        "fault_footprint": 256 << 20 if q else 4 * GIB,
        "memory_count": 2_000_000 if q else 100_000_000,
    }


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def machine_info(repo, source, waited):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kb = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")  # read-only: no opportunistic index refresh
    try:
        head = sh(["git", "-C", repo, "rev-parse", "HEAD"], env=env).strip()
        dirty = sh(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"], env=env).strip()
        dirty_files = len(dirty.splitlines()) if dirty else 0
    except (subprocess.CalledProcessError, FileNotFoundError):
        head, dirty_files = "unknown", None
    if source.startswith("snapshot:"):
        commit, built_from = source.split(":", 1)[1], "clean snapshot of the commit (git archive)"
    elif source == "worktree":
        commit = head
        built_from = "working tree" + (f" with {dirty_files} modified tracked files" if dirty_files else " (clean)")
    else:
        commit, built_from = head, source
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "mem_total_kb": mem_kb,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "git_commit": commit,
        "built_from": built_from,
        "loadavg_at_start": os.getloadavg(),
        "waited_for_load_s": waited,
    }


def compiler_info(nptsim):
    cache = os.path.join(os.path.dirname(os.path.dirname(nptsim)), "CMakeCache.txt")
    info = {}
    try:
        with open(cache) as f:
            for line in f:
                for key in ("CMAKE_CXX_COMPILER:", "CMAKE_BUILD_TYPE:", "CMAKE_CXX_FLAGS:", "CMAKE_CXX_FLAGS_RELEASE:"):
                    if line.startswith(key):
                        info[key.rstrip(":").lower()] = line.split("=", 1)[1].strip()
        if "cmake_cxx_compiler" in info:
            info["compiler_version"] = sh([info["cmake_cxx_compiler"], "--version"]).splitlines()[0]
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


class Case:
    def __init__(self, group, arch, timing, desc, trace, run_args, stream=None):
        self.group, self.arch, self.timing, self.desc = group, arch, timing, desc
        self.trace = trace          # key into the trace table (a file) or None when streamed
        self.run_args = run_args    # nptsim run options besides --trace/--arch/--timing
        self.stream = stream        # gen options when the trace is piped from `nptsim gen`
        self.runs = []
        self.setup_runs = []        # the same command on the stream cut to one access
        self.report = None
        self.error = None

    @property
    def id(self):
        return f"{self.group}/{self.arch}/{self.timing}"


def build_cases(groups, quick, samples_dir):
    z = sizes(quick)
    traces = {}   # key -> ("gen", [gen options]) or ("file", path)
    cases = []

    def gen(key, opts):
        traces[key] = ("gen", opts)
        # The same stream cut to one access: the run's fixed cost (start-up, building the guest).
        one = list(opts)
        one[one.index("--count") + 1] = "1"
        traces[key + ".setup"] = ("gen", one)
        return key

    if "tlbhit" in groups:
        t = gen("seq64k", ["--pattern", "seq", "--count", str(z["tlbhit_count"]), "--footprint", "64KiB"])
        for a in ARCHS:
            for tm in ("on", "off"):
                cases.append(Case("tlbhit", a, tm,
                                  f"TLB-hit dominated: {z['tlbhit_count']:,} sequential 8-byte reads over 64 KiB "
                                  "(nptsim gen --pattern seq), linear backend",
                                  t, ["--backend", "linear", "--addr", "gpa"]))
    if "walk1d" in groups:
        t = gen("uni1g_gpa", ["--pattern", "uniform", "--count", str(z["walk_count"]), "--footprint", "1GiB"])
        for a in ARCHS:
            for tm in ("on", "off"):
                cases.append(Case("walk1d", a, tm,
                                  f"walk dominated, stage 2 only: {z['walk_count']:,} uniform reads over 1 GiB GPA, "
                                  "alloc backend (eager: 262,144 4 KiB pages mapped before the run), 1 GiB guest RAM",
                                  t, ["--backend", "alloc", "--guest-ram", "1GiB", "--addr", "gpa"]))
    if "walk2d" in groups or "walk2d_nocache" in groups:
        t = gen("uni1g_gva", ["--pattern", "uniform", "--count", str(z["walk_count"]), "--footprint", "1GiB",
                              "--addr", "gva"])
        for a in ARCHS:
            for tm in ("on", "off"):
                if "walk2d" in groups:
                    cases.append(Case("walk2d", a, tm,
                                      f"walk dominated, two-dimensional: {z['walk_count']:,} uniform reads over 1 GiB GVA "
                                      "(guest demand-pages on first touch), linear backend, caches on",
                                      t, ["--backend", "linear", "--addr", "gva"]))
                if "walk2d_nocache" in groups:
                    cases.append(Case("walk2d_nocache", a, tm,
                                      f"two-dimensional, all TLBs and walk caches off: {z['walk_count']:,} uniform reads "
                                      "over 1 GiB GVA, linear backend (--tlb off --walk-cache off)",
                                      t, ["--backend", "linear", "--addr", "gva", "--tlb", "off", "--walk-cache", "off"]))
    if "fault" in groups:
        fp = z["fault_footprint"]
        count = fp // 4096
        t = gen("firsttouch", ["--pattern", "stride", "--stride", "4096", "--count", str(count),
                               "--footprint", f"{fp >> 20}MiB", "--write-ratio", "1"])
        for a in ARCHS:
            for tm in ("on", "off"):
                cases.append(Case("fault", a, tm,
                                  f"fault dominated: {count:,} writes, one per 4 KiB page, over {fp >> 20} MiB GPA "
                                  "(every access a first touch), lazy backend, 4 GiB guest RAM",
                                  t, ["--backend", "lazy", "--addr", "gpa"]))
    for s in (["gzip"] if quick else SAMPLES):
        path = os.path.join(samples_dir, f"{s}.nptb.xz")
        traces[s] = ("file", path)
        for a in ARCHS:
            for tm in ("on", "off"):
                if "samples" in groups:
                    cases.append(Case(f"sample:{s}", a, tm,
                                      f"real program trace traces/samples/{s}.nptb.xz (guest-virtual, two-dimensional, "
                                      "xz-compressed), linear backend, caches on", s, ["--backend", "linear"]))
                if "samples_nocache" in groups:
                    cases.append(Case(f"sample_nocache:{s}", a, tm,
                                      f"traces/samples/{s}.nptb.xz, two-dimensional, all TLBs and walk caches off, "
                                      "linear backend", s, ["--backend", "linear", "--tlb", "off", "--walk-cache", "off"]))
    memory = None
    if "memory" in groups:
        n = z["memory_count"]
        memory = Case("memory", "x86_64", "on",
                      f"{n:,} uniform reads over a 1 GiB GPA working set, streamed from `nptsim gen --out -` "
                      "through a pipe (no file), lazy backend, timing on (default settings)",
                      None, ["--backend", "lazy", "--addr", "gpa"],
                      stream=["--pattern", "uniform", "--count", str(n), "--footprint", "1GiB", "--seed", "7"])
    return traces, cases, memory


def run_measured(cmd, stdin=None):
    """Runs cmd; returns (rc, wall seconds, rusage of that process alone, stderr tail)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, wall, ru, err.decode(errors="replace")[-2000:]


def portable(cmd, tmp):
    """The command as a reader can repeat it: no temporary directory, paths from the repository."""
    out = []
    for x in cmd:
        if x.startswith(tmp):
            x = os.path.basename(x)
        elif "traces/samples/" in x:
            x = x[x.index("traces/samples/"):]
        elif os.path.isabs(x) and os.path.basename(x) == "nptsim":
            x = "nptsim"
        out.append(x)
    return out


def run_case(nptsim, case, trace_path, tmp, setup=False):
    out_json = os.path.join(tmp, "run.json")
    if os.path.exists(out_json):
        os.remove(out_json)
    cmd = [nptsim, "run", "--trace", trace_path, "--arch", case.arch, "--timing", case.timing,
           "--vcpus", "1", "-q", "--json", out_json] + case.run_args
    load1 = os.getloadavg()[0]
    rc, wall, ru, err = run_measured(cmd)
    rec = {"wall_s": round(wall, 4), "user_s": round(ru.ru_utime, 4), "sys_s": round(ru.ru_stime, 4),
           "maxrss_kb": ru.ru_maxrss, "load1": round(load1, 2), "rc": rc}
    (case.setup_runs if setup else case.runs).append(rec)
    if rc != 0:
        case.error = f"{'setup run: ' if setup else ''}exit {rc}: {err.strip()[-400:]}"
        return
    if setup:
        return
    with open(out_json) as f:
        rep = json.load(f)
    r = rep["runs"][0]
    counts = counts_of(r)
    if case.report is None:
        case.report = counts
        case.command = portable(cmd, tmp)
        case.config = rep.get("config", {})
    elif counts != case.report:
        case.error = "counts differ between runs (the report should be deterministic)"


def counts_of(r):
    st = r.get("stages") or {}
    f = r.get("faults", {})
    return {
        "accesses": r["accesses"],
        "walks": r["walks"],
        "pte_reads": r["pte_reads"],
        "faults_handled": f.get("handled", 0),
        "faults_unhandled": f.get("unhandled", 0),
        "guest_faults": st.get("guest_faults", 0),
        "frames_allocated_during_run": r.get("frames_allocated_during_run", 0),
        "tlb_l1d_hits": r["tlb"]["l1d"]["hits"],
        "tlb_l1d_misses": r["tlb"]["l1d"]["misses"],
        "total_cycles": r["total_cycles"],
        "two_dimensional": bool(st),
    }


def run_memory(nptsim, case, tmp):
    out_json = os.path.join(tmp, "memory.json")
    gen_cmd = [nptsim, "gen", "--format", "binary", "--out", "-", "-q"] + case.stream
    cmd = [nptsim, "run", "--trace", "-", "--arch", case.arch, "--timing", case.timing, "--vcpus", "1",
           "-q", "--json", out_json] + case.run_args
    load1 = os.getloadavg()[0]
    g = subprocess.Popen(gen_cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        rc, wall, ru, err = run_measured(cmd, stdin=g.stdout)
    finally:
        g.stdout.close()
        _, gstatus, gru = os.wait4(g.pid, 0)
    case.runs.append({"wall_s": round(wall, 4), "user_s": round(ru.ru_utime, 4), "sys_s": round(ru.ru_stime, 4),
                      "maxrss_kb": ru.ru_maxrss, "load1": round(load1, 2), "rc": rc,
                      "gen_maxrss_kb": gru.ru_maxrss, "gen_rc": os.waitstatus_to_exitcode(gstatus)})
    case.command = " ".join(portable(gen_cmd, tmp)) + " | " + " ".join(portable(cmd, tmp))
    if rc != 0:
        case.error = f"exit {rc}: {err.strip()[-400:]}"
        return
    with open(out_json) as f:
        rep = json.load(f)
    case.report = counts_of(rep["runs"][0])
    case.config = rep.get("config", {})


def summarize(case):
    ok = [r for r in case.runs if r["rc"] == 0]
    s = {"id": case.id, "group": case.group, "arch": case.arch, "timing": case.timing,
         "description": case.desc, "command": getattr(case, "command", None), "runs": case.runs,
         "error": case.error}
    if not ok or case.report is None:
        return s
    walls = [r["wall_s"] for r in ok]
    med = statistics.median(walls)
    c = case.report
    faults = c["faults_handled"] + c["faults_unhandled"] + c["guest_faults"]
    s.update({
        "counts": c,
        "median_wall_s": round(med, 4),
        "min_wall_s": min(walls), "max_wall_s": max(walls),
        "spread": round((max(walls) - min(walls)) / med, 3) if med else None,
        "accesses_per_s": c["accesses"] / med,
        "walks_per_s": c["walks"] / med,
        "faults_per_s": faults / med,
        "faults": faults,
        "peak_rss_kb": max(r["maxrss_kb"] for r in ok),
        "median_cpu_s": round(statistics.median(r["user_s"] + r["sys_s"] for r in ok), 4),
    })
    if case.setup_runs and all(r["rc"] == 0 for r in case.setup_runs):
        s["setup_runs"] = case.setup_runs
        s["setup_median_wall_s"] = round(statistics.median(r["wall_s"] for r in case.setup_runs), 4)
    return s


def fmt_rate(v):
    if v is None:
        return "-"
    if v >= 1e6:
        return f"{v / 1e6:.2f} M"
    if v >= 1e3:
        return f"{v / 1e3:.1f} k"
    return f"{v:.0f}" if v else "0"


def fmt_count(v):
    if v >= 1e6:
        return f"{v / 1e6:.2f} M"
    return f"{v:,}"


def fmt_kb(kb):
    return f"{kb / 1024:.0f} MiB" if kb >= 10 * 1024 else f"{kb / 1024:.1f} MiB"


def evaluate_targets(summ, memory, quick):
    by_id = {s["id"]: s for s in summ}
    targets = []

    def miss(value, target, higher_is_better=True):
        if value is None:
            return None
        if higher_is_better:
            return None if value >= target else f"missed by {(target - value) / target:.0%} ({target / value:.2f}x short)"
        return None if value <= target else f"missed by {(value - target) / target:.0%} ({value / target:.2f}x over)"

    for a in ARCHS:
        s = by_id.get(f"tlbhit/{a}/on")
        if s and "accesses_per_s" in s:
            v = s["accesses_per_s"]
            m = miss(v, TARGET_TLBHIT)
            targets.append({"target": f"TLB-hit dominated, timing on, {a}: >= 30 M accesses/s",
                            "measured": f"{fmt_rate(v)} accesses/s", "value": v, "met": m is None, "shortfall": m})
    for grp, label in [("walk2d_nocache", "uniform 1 GiB stream")] + [(f"sample_nocache:{x}", f"{x} sample") for x in SAMPLES]:
        for a in ARCHS:
            s = by_id.get(f"{grp}/{a}/on")
            if s and "walks_per_s" in s:
                v = s["walks_per_s"]
                m = miss(v, TARGET_WALKS)
                targets.append({"target": f"2D walks, all TLBs and walk caches off, timing on, {a}, {label}: >= 3 M walks/s",
                                "measured": f"{fmt_rate(v)} walks/s", "value": v, "met": m is None, "shortfall": m})
    ratios = [s for s in summ if s["timing"] == "on" and s.get("on_off_ratio") is not None]
    if ratios:
        worst = max(ratios, key=lambda s: s["on_off_ratio"])
        over = [s for s in ratios if s["on_off_ratio"] > TARGET_RATIO]
        m = miss(worst["on_off_ratio"], TARGET_RATIO, higher_is_better=False)
        targets.append({"target": "timing on <= 2x timing off, same trace (every case)",
                        "measured": f"worst {worst['on_off_ratio']:.2f}x ({worst['group']}, {worst['arch']}); "
                                    f"{len(over)} of {len(ratios)} cases over 2x",
                        "value": worst["on_off_ratio"], "met": m is None,
                        "shortfall": m and (m + "; over: " + ", ".join(
                            f"{s['group']}/{s['arch']} {s['on_off_ratio']:.2f}x" for s in over))})
    if memory is not None and "peak_rss_kb" in memory:
        v = memory["peak_rss_kb"]
        m = miss(v, TARGET_RSS_KB, higher_is_better=False)
        n = memory["counts"]["accesses"]
        label = "100 M-access" if n >= 100_000_000 else f"{n / 1e6:g} M-access (quick mode, not the target size)"
        targets.append({"target": f"{label} streamed trace over 1 GiB: peak RSS < 1 GiB",
                        "measured": f"{fmt_kb(v)} ({n:,} accesses in {memory['median_wall_s']:.1f} s)",
                        "value": v, "met": m is None, "shortfall": m})
    if quick:
        for t in targets:
            t["note"] = "quick mode: small streams, one run; not representative"
    return targets


def markdown(result):
    m, out = result["machine"], []
    out.append("# nptsim end-to-end throughput report\n")
    out.append("Generated by `bash bench/run_report.sh" + (" --quick" if result["settings"]["quick"] else "") +
               "` (bench/README.md, \"End-to-end report\"). Every number below was measured by that run; "
               f"raw data in `{result['name']}.json`.\n")
    out.append(f"- date: {result['generated']}")
    out.append(f"- commit: `{m['git_commit']}` (built from the {m['built_from']})")
    c = result.get("compiler", {})
    out.append(f"- build: {c.get('cmake_build_type', '?')} ({c.get('cmake_cxx_flags_release', '')} "
               f"{c.get('cmake_cxx_flags', '')}), {c.get('compiler_version', '?')}")
    out.append(f"- machine: {m['nproc']} CPUs, {m['cpu_model']}, {m['mem_total_kb'] // 1024 if m['mem_total_kb'] else '?'} MiB, "
               f"Linux {m['kernel']}")
    la, le = m["loadavg_at_start"], result["loadavg_at_end"]
    waited = f"; waited {m['waited_for_load_s']} s for it to drop" if m.get("waited_for_load_s") else ""
    out.append(f"- load average (1/5/15 min) at start: {la[0]:.2f} / {la[1]:.2f} / {la[2]:.2f}{waited}; at end: "
               f"{le[0]:.2f} / {le[1]:.2f} / {le[2]:.2f} (the machine may be shared: other processes were not stopped)")
    r = result["settings"]["runs"]
    out.append(f"- method: each case runs {r} time{'s' if r > 1 else ''} (repetitions interleaved across cases), "
               "the median wall time of the whole `nptsim run` command (start-up, building the guest, reading "
               "the trace, simulating, writing the JSON) is reported; rates are counts from nptsim's JSON report "
               "divided by that median; peak RSS is the largest `ru_maxrss` of the nptsim process over the runs; "
               "all runs use `--vcpus 1 -q --json` and one architecture per process")
    out.append(f"- total time of the report: {result['elapsed_s'] / 60:.1f} min\n")

    out.append("## Targets (issue 6)\n")
    out.append("| target | measured | met? |")
    out.append("|---|---|---|")
    for t in result["targets"]:
        verdict = "**met**" if t["met"] else f"**missed**: {t['shortfall']}"
        if t.get("note"):
            verdict += f" ({t['note']})"
        out.append(f"| {t['target']} | {t['measured']} | {verdict} |")
    out.append("")

    out.append("## Results\n")
    out.append("Wall = median (min-max) of the runs, seconds, of the whole command; rates are counts / median wall "
               "(start-up included, so they are lower bounds of the simulation speed). setup = median wall of the "
               "same command on the same stream cut to one access (start-up and building the guest). CPU s = median "
               "user + system time of the process (wall much above CPU means it waited for a CPU). "
               "faults = nested faults handled + unhandled + guest page faults. "
               "on/off = median wall timing on / median wall timing off.\n")
    out.append("| case | arch | timing | accesses | walks | faults | wall s | CPU s | setup s | accesses/s | walks/s | faults/s | peak RSS | on/off |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for s in result["cases"]:
        if "counts" not in s:
            out.append(f"| {s['group']} | {s['arch']} | {s['timing']} | FAILED: {s['error']} |||||||||||")
            continue
        c = s["counts"]
        ratio = f"{s['on_off_ratio']:.2f}x" if s.get("on_off_ratio") is not None else ""
        wall = f"{s['median_wall_s']:.3f}"
        if len(s["runs"]) > 1:
            wall += f" ({s['min_wall_s']:.3f}-{s['max_wall_s']:.3f})"
        setup = f"{s['setup_median_wall_s']:.3f}" if "setup_median_wall_s" in s else ""
        out.append(f"| {s['group']} | {s['arch']} | {s['timing']} | {fmt_count(c['accesses'])} | {fmt_count(c['walks'])} "
                   f"| {fmt_count(s['faults'])} | {wall} | {s['median_cpu_s']:.3f} | {setup} | {fmt_rate(s['accesses_per_s'])} | {fmt_rate(s['walks_per_s'])} "
                   f"| {fmt_rate(s['faults_per_s'])} | {fmt_kb(s['peak_rss_kb'])} | {ratio} |")
    mem = result.get("memory")
    if mem and "counts" in mem:
        c = mem["counts"]
        out.append(f"| memory (streamed) | {mem['arch']} | {mem['timing']} | {fmt_count(c['accesses'])} | "
                   f"{fmt_count(c['walks'])} | {fmt_count(mem['faults'])} | {mem['median_wall_s']:.3f} | {mem['median_cpu_s']:.3f} | | "
                   f"{fmt_rate(mem['accesses_per_s'])} | {fmt_rate(mem['walks_per_s'])} | {fmt_rate(mem['faults_per_s'])} "
                   f"| {fmt_kb(mem['peak_rss_kb'])} | |")
    elif mem:
        out.append(f"| memory (streamed) | {mem['arch']} | {mem['timing']} | FAILED: {mem['error']} |||||||||||")
    out.append("")
    out.append("## Cases\n")
    out.append("Synthetic streams, written by `nptsim gen` into a temporary directory (deleted at the end):\n")
    for key, cmd in result.get("traces", {}).items():
        if not key.endswith(".setup"):
            out.append(f"- `{cmd}`")
    out.append("")
    seen = set()
    for s in result["cases"] + ([mem] if mem else []):
        if s["group"] in seen:
            continue
        seen.add(s["group"])
        cmd = s.get("command")
        cmd = " ".join(cmd) if isinstance(cmd, list) else cmd
        out.append(f"- **{s['group']}**: {s['description']}." + (f" Command: `{cmd}`" if cmd else ""))
    out.append("")
    return "\n".join(out)


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    # Interrupted (Ctrl-C, kill): unwind so the temporary traces are deleted.
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)
    ap = argparse.ArgumentParser()
    ap.add_argument("--nptsim", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--source", default="worktree")
    ap.add_argument("--source-dir")
    ap.add_argument("--build-type")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--name")
    ap.add_argument("--only")
    ap.add_argument("--waited", type=int, default=0)
    a = ap.parse_args()

    runs = a.runs if a.runs else (1 if a.quick else 5)
    out_dir = a.out or (os.path.join(tempfile.gettempdir(), "nptsim-bench-quick") if a.quick
                        else os.path.join(a.repo, "bench", "results"))
    name = a.name or ("e2e-quick" if a.quick else "e2e")
    groups = a.only.split(",") if a.only else GROUPS
    for g in groups:
        if g not in GROUPS:
            sys.exit(f"report.py: unknown case group '{g}' (one of {', '.join(GROUPS)})")
    samples_dir = os.path.join(a.source_dir or a.repo, "traces", "samples")

    started = time.time()
    result = {"schema": 1, "name": name,
              "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "machine": machine_info(a.repo, a.source, a.waited), "compiler": compiler_info(a.nptsim),
              "settings": {"runs": runs, "quick": a.quick, "groups": groups, "sizes": sizes(a.quick)}}
    print(f"== nptsim {a.nptsim}\n== {result['machine']['nproc']} CPUs, {result['machine']['cpu_model']}, "
          f"load {result['machine']['loadavg_at_start']}, commit {result['machine']['git_commit'][:12]}", flush=True)

    traces, cases, memory = build_cases(groups, a.quick, samples_dir)
    tmp = tempfile.mkdtemp(prefix="nptsim-bench-")
    try:
        paths = {}
        for key, (kind, spec) in traces.items():
            if kind == "file":
                paths[key] = spec
                continue
            path = os.path.join(tmp, key + ".nptb")
            subprocess.run([a.nptsim, "gen", "--out", path, "-q"] + spec, check=True)
            result.setdefault("traces", {})[key] = " ".join(["nptsim", "gen"] + spec + ["--out", key + ".nptb"])
            paths[key] = path
            print(f"== generated {key}: nptsim gen {' '.join(spec)} ({os.path.getsize(path) >> 20} MiB)", flush=True)
        for rep in range(runs):
            for c in cases:
                if c.error:
                    continue
                if c.trace + ".setup" in paths:
                    run_case(a.nptsim, c, paths[c.trace + ".setup"], tmp, setup=True)
                run_case(a.nptsim, c, paths[c.trace], tmp)
                r = c.runs[-1]
                print(f"[{rep + 1}/{runs}] {c.id:34s} {r['wall_s']:8.3f} s {r['maxrss_kb'] / 1024:7.1f} MiB"
                      + (f"  ERROR {c.error}" if c.error else ""), flush=True)
        for p in list(paths.values()):
            if p.startswith(tmp):
                os.remove(p)   # free /tmp before the memory run
        if memory is not None:
            run_memory(a.nptsim, memory, tmp)
            r = memory.runs[-1]
            print(f"[memory] {memory.id:34s} {r['wall_s']:8.3f} s {r['maxrss_kb'] / 1024:7.1f} MiB"
                  + (f"  ERROR {memory.error}" if memory.error else ""), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    summ = [summarize(c) for c in cases]
    by_id = {s["id"]: s for s in summ}
    for s in summ:
        other = by_id.get(f"{s['group']}/{s['arch']}/{'off' if s['timing'] == 'on' else 'on'}")
        if other and "median_wall_s" in s and "median_wall_s" in other:
            on, off = (s, other) if s["timing"] == "on" else (other, s)
            s["on_off_ratio"] = on["median_wall_s"] / off["median_wall_s"]
    msumm = summarize(memory) if memory is not None else None
    result["cases"] = summ
    result["memory"] = msumm
    result["targets"] = evaluate_targets(summ, msumm, a.quick)
    result["loadavg_at_end"] = os.getloadavg()
    result["elapsed_s"] = round(time.time() - started, 1)

    os.makedirs(out_dir, exist_ok=True)
    jpath = os.path.join(out_dir, name + ".json")
    with open(jpath, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    md = markdown(result)
    mpath = os.path.join(out_dir, "REPORT.md" if name == "e2e" else f"REPORT-{name}.md")
    with open(mpath, "w") as f:
        f.write(md)
    print()
    print(md)
    print(f"== wrote {jpath} and {mpath}")
    failed = [s["id"] for s in summ + ([msumm] if msumm else []) if s.get("error")]
    if failed:
        print("== FAILED cases: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
