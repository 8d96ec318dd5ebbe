// nptsim run / compare: trace-driven simulation of translation on one or more architectures and
// backends, timed with SystemC (--timing on) or functional (--timing off). The model's
// parameters come from the parameter tree (sim/run/param_options.h); this file holds the
// command's own options: what to run, on what, and where the reports go.
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <map>
#include <sstream>

#include "models/core/common/size_parse.h"
#include "models/sysc/trace_mapping.h"
#include "sim/commands/commands.h"
#include "sim/run/param_options.h"
#include "sim/run/plots.h"
#include "sim/run/report.h"
#include "sim/run/run_driver.h"
#include "sim/run/run_processes.h"
#include "sim/util/atomic_file.h"
#include "traces/io/trace_error.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

// The command's own options (the model's parameters are in SimConfig).
struct RunOptions {
  bool compare = false;
  std::string trace, format, arch = "all", backend, geometry = "hardware", timing = "on",
                             ram = "4GiB";
  std::string plot_dir, json_path, csv_path, addr, tlb, walk_cache, guest_huge, schemes;
  int levels = 0, guest_levels = 0;
  unsigned ipa_bits = 0, vcpus = 0;
  unsigned jobs = static_cast<unsigned>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  uint64_t warmup = 0, workload_count = 1'000'000, seed = 1;
  bool full_stats = false, warm_pass = false;
};

const char* const kRunUsage =
    "Usage: nptsim run [OPTIONS]\n\n"
    "Replays a trace (or the built-in workload: a Zipf stream of guest-physical accesses\n"
    "over 1 GiB of guest RAM, 30% writes) through each architecture's translation: TLBs,\n"
    "walk caches and hardware walkers over the real tables AddrSpace built (and, for\n"
    "guest-virtual traces, the guest's own tables over them), with nested faults handled\n"
    "as axvm does. With several architectures or backends, all run on the same trace and\n"
    "a comparison table follows the per-run reports.\n\nOptions";
const char* const kCompareUsage =
    "Usage: nptsim compare --trace FILE [OPTIONS]\n\n"
    "Runs one trace on x86_64, aarch64 and riscv64 with each chosen backend (default\n"
    "linear and lazy), all on one hardware configuration (--preset skylake, or none: the\n"
    "built-in defaults) or each architecture on its own core (--preset native: Zen 5,\n"
    "Neoverse V2, XiangShan; docs/PRESETS.md), and prints the comparison table.\n"
    "Guest-virtual traces (recorded programs, e.g. traces/samples/) run two-dimensionally\n"
    "through guest page tables over stage 2.\n"
    "--json/--csv write every run; --plot DIR draws a walk-latency CDF and a\n"
    "references-per-walk histogram per run (SVG and PNG, gnuplot).\n\nOptions";

po::options_description main_options(RunOptions& o) {
  po::options_description d(o.compare ? kCompareUsage : kRunUsage);
  d.add_options()("help,h", "show this help")("trace", po::value(&o.trace),
                                              "trace file (any format nptsim reads)")(
      "format", po::value(&o.format), "read --trace as text, binary, lackey or champsim")(
      "workload-count", po::value(&o.workload_count)->default_value(o.workload_count),
      "accesses of the built-in workload")("arch", po::value(&o.arch)->default_value(o.arch),
                                           "x86_64, aarch64, riscv64, a list, or all")(
      "backend", po::value(&o.backend)->default_value(o.backend),
      "guest RAM backend: linear, alloc, lazy, a list, or all")(
      "levels", po::value(&o.levels), "stage-2 levels (default: x86_64 4, aarch64 3, riscv64 3)")(
      "geometry", po::value(&o.geometry)->default_value(o.geometry),
      "hardware (Sv39x4 16 KiB root, concatenated AArch64 roots) or crate (axaddrspace's own "
      "tables)")("ipa-bits", po::value(&o.ipa_bits),
                 "AArch64 IPA size (VTCR_EL2.T0SZ = 64 - bits; default 40, or 48 at 4 levels)")(
      "guest-ram", po::value(&o.ram)->default_value(o.ram),
      "guest RAM at GPA 0 (the device window follows it)")(
      "timing", po::value(&o.timing)->default_value(o.timing),
      "on: SystemC timing model; off: functional, faster")(
      "warmup", po::value(&o.warmup)->default_value(o.warmup),
      "replay the first N accesses to warm the caches, unreported")(
      "warm-pass",
      "replay the whole trace once unreported, then measure it (for excerpts of a running "
      "program: the pages the excerpt touches were mapped before it, so first-touch guest and "
      "stage-2 faults are not its cost); --warmup N then skips N more")(
      "vcpus", po::value(&o.vcpus), "vCPUs to simulate (default: as many as the trace names)")(
      "addr", po::value(&o.addr), "gva (translation.scheme = nested), gpa (stage2) or auto [auto]")(
      "scheme", po::value(&o.schemes),
      "translation schemes side by side, each a run per architecture x backend: stage2, "
      "nested, shadow (shadow paging), agile (agile paging), a list (default: "
      "translation.scheme)")("guest-levels", po::value(&o.guest_levels),
                             "the guest's page-table levels (guest.levels) [4]")(
      "guest-huge", po::value(&o.guest_huge),
      "on: the guest maps 2 MiB pages where it can (guest.huge_pages) [off]")(
      "tlb", po::value(&o.tlb), "on or off: every TLB (tlb.*.enabled)")(
      "walk-cache", po::value(&o.walk_cache), "on or off: every walk cache (walk_cache.*.enabled)")(
      "seed", po::value(&o.seed)->default_value(o.seed),
      "seed of random replacement and the workload")(
      "json", po::value(&o.json_path), "write the JSON report here")("csv", po::value(&o.csv_path),
                                                                     "write the CSV report here")(
      "plot", po::value(&o.plot_dir),
      "draw per-run walk-latency CDFs and references-per-walk histograms into DIR")(
      "stats",
      "after the report, every counter of each run's statistics tree (vcpu0.tlb.l2.hits = ...)")(
      "quiet,q", "no progress line, no report on stdout (only --json/--csv)")(
      "jobs,j", po::value(&o.jobs)->default_value(o.jobs),
      "simulate the runs (architecture x backend) in up to N processes at once (default: every "
      "core; the reports are the same for any N)");
  return d;
}

// The command's convenience options, as parameters of the --KEY layer.
std::vector<ParamAlias> aliases(const po::variables_map& vm, const RunOptions& o) {
  std::vector<ParamAlias> out;
  if (vm.count("addr")) {
    if (o.addr != "auto" && o.addr != "gva" && o.addr != "gpa") {
      throw po::error("option '--addr': expected auto, gva or gpa, got '" + o.addr + "'");
    }
    out.push_back({"translation.scheme",
                   o.addr == "gva"   ? "nested"
                   : o.addr == "gpa" ? "stage2"
                                     : "auto",
                   "--addr"});
  }
  if (vm.count("guest-levels"))
    out.push_back({"guest.levels", std::to_string(o.guest_levels), "--guest-levels"});
  if (vm.count("guest-huge")) out.push_back({"guest.huge_pages", o.guest_huge, "--guest-huge"});
  for (const auto& p : sim_params().all()) {
    const bool tlb = p.key.rfind("tlb.", 0) == 0, wc = p.key.rfind("walk_cache.", 0) == 0;
    if (p.name() != "enabled") continue;
    if (tlb && vm.count("tlb")) out.push_back({p.key, o.tlb, "--tlb"});
    if (wc && vm.count("walk-cache")) out.push_back({p.key, o.walk_cache, "--walk-cache"});
  }
  return out;
}

std::vector<std::string> split(const std::string& v) {
  std::vector<std::string> out;
  std::stringstream in(v);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

std::vector<Arch> parse_archs(const std::string& list) {
  if (list == "all") return {std::begin(kAllArchs), std::end(kAllArchs)};
  std::vector<Arch> out;
  for (const std::string& name : split(list)) {
    auto a = parse_arch(name);
    if (!a)
      throw po::error("option '--arch': unknown architecture '" + name +
                      "' (x86_64, aarch64, riscv64, a list, or all)");
    out.push_back(*a);
  }
  if (out.empty()) throw po::error("option '--arch' needs at least one value");
  return out;
}

std::vector<BackendKind> parse_backends(const std::string& list) {
  if (list == "all") return {BackendKind::Linear, BackendKind::Alloc, BackendKind::Lazy};
  std::vector<BackendKind> out;
  for (const std::string& name : split(list)) {
    auto b = parse_backend_kind(name);
    if (!b)
      throw po::error("option '--backend': expected linear, alloc, lazy, a list, or all, got '" +
                      name + "'");
    out.push_back(*b);
  }
  if (out.empty()) throw po::error("option '--backend' needs at least one value");
  return out;
}

uint64_t guest_ram_bytes(const RunOptions& o) {
  auto s = parse_size(o.ram);
  if (!s)
    throw po::error("option '--guest-ram': not a size: '" + o.ram +
                    "' (e.g. 4GiB, 512MiB, 0x100000)");
  return *s;
}

// The configuration of each architecture: one, unless the preset is per-architecture (native).
using ArchConfigs = std::map<Arch, ResolvedConfig>;

ArchConfigs arch_configs(const po::variables_map& vm, const RunOptions& o) {
  ArchConfigs out;
  for (Arch a : parse_archs(o.arch)) out.emplace(a, resolve_params(vm, aliases(vm, o), a));
  return out;
}

// One platform per architecture x backend; custom areas (guest.area) name their own backends
// unless one --backend is given, then one run per architecture.
std::vector<PlatformConfig> platforms(const RunOptions& o, const ArchConfigs& configs,
                                      GeometryMode mode) {
  const std::vector<BackendKind> backends = parse_backends(o.backend);
  const bool one_backend = backends.size() == 1 && o.backend != "all";
  std::vector<PlatformConfig> out;
  for (Arch a : parse_archs(o.arch)) {
    const SimConfig& sc = configs.at(a).config;
    for (BackendKind b : backends) {
      PlatformConfig pc = sc.platform;
      pc.seed = o.seed;
      pc.stage2 = Stage2Config{a, o.levels ? o.levels : default_stage2_levels(a), mode,
                               o.ipa_bits};  // ipa_bits: AArch64 only
      pc.layout = default_layout(guest_ram_bytes(o), b);
      if (!sc.areas.empty()) {
        pc.layout.areas = sc.areas;
        if (one_backend) {
          for (auto& area : pc.layout.areas) area.backend = b;
        }
        pc.layout.device_window_size = 0;
      }
      out.push_back(pc);
      if (!sc.areas.empty() && !one_backend) break;
    }
  }
  return out;
}

trace::SourceFactory workload(const RunOptions& o, const SimConfig& sc, const RunJob& job) {
  if (o.trace.empty()) {
    trace::GenConfig g;
    g.pattern = trace::Pattern::Zipf;
    g.count = o.workload_count;
    g.footprint = std::min<uint64_t>(guest_ram_bytes(o), uint64_t{1} << 30);
    g.write_ratio = 0.3;
    g.zipf_s = 0.8;
    g.seed = o.seed;
    g.kind = trace::AddrKind::GuestPhysical;
    return trace::generator_source(g);
  }
  std::optional<trace::TraceFormat> forced;
  if (!o.format.empty() && !(forced = trace::parse_trace_format(o.format))) {
    throw po::error("option '--format': unknown format '" + o.format + "'");
  }
  // Standard input can be read once: nothing may look ahead into it before the run.
  if (o.trace == "-" && sc.scheme == "auto")
    throw po::error("--trace -: standard input is read once; give --addr gva or gpa");
  if (o.trace == "-" && job.platforms.size() > 1) {
    throw po::error("--trace -: standard input feeds one run; choose one --arch and one --backend");
  }
  if (o.trace == "-" && job.timing && o.vcpus == 0)
    throw po::error("--trace - with --timing on: standard input is read once; give --vcpus N");
  return trace::file_source(o.trace, forced);
}

// --scheme's list: each a registered scheme, all translating the trace's kind of address.
std::vector<std::string> parse_schemes(const std::string& list, const RunJob& job) {
  const bool gva = job.source()->addr_kind() == trace::AddrKind::GuestVirtual;
  std::vector<std::string> out;
  for (const std::string& name : split(list)) {
    const SchemeInfo* s = find_scheme(name);
    std::string names;
    for (const SchemeInfo& i : translation_schemes())
      names += (names.empty() ? "" : ", ") + std::string(i.name);
    if (!s) throw po::error("option '--scheme': no scheme '" + name + "' (" + names + ")");
    if (s->guest_tables != gva)
      throw po::error("option '--scheme': " + name + " translates guest-" +
                      (s->guest_tables ? "virtual" : "physical") +
                      " addresses; this trace's are guest-" + (gva ? "virtual" : "physical"));
    out.push_back(name);
  }
  if (out.empty()) throw po::error("option '--scheme' needs at least one value");
  return out;
}

// Each platform once per scheme, scheme outermost.
std::vector<PlatformConfig> with_schemes(const std::vector<PlatformConfig>& platforms,
                                         const std::vector<std::string>& schemes) {
  std::vector<PlatformConfig> out;
  for (const std::string& scheme : schemes) {
    for (PlatformConfig pc : platforms) {
      pc.scheme = scheme;
      out.push_back(std::move(pc));
    }
  }
  return out;
}

// The translation scheme: translation.scheme, or with auto the one the trace's addresses call
// for (nested for guest-virtual traces, stage2 for guest-physical ones).
std::string resolve_scheme(const SimConfig& sc, const RunJob& job) {
  if (sc.scheme != "auto") return sc.scheme;
  return job.source()->addr_kind() == trace::AddrKind::GuestVirtual ? "nested" : "stage2";
}

ConfigEcho run_echo(const RunOptions& o, const ResolvedConfig& rc, bool two_d) {
  const SimConfig& sc = rc.config;
  const uint64_t ram = guest_ram_bytes(o);
  ConfigEcho echo;
  echo.emplace_back("workload", o.trace.empty()
                                    ? "built-in zipf(s=0.8) over " +
                                          format_size(std::min<uint64_t>(ram, uint64_t{1} << 30)) +
                                          ", 30% writes, " + std::to_string(o.workload_count) +
                                          " accesses"
                                    : o.trace);
  echo.emplace_back("timing",
                    o.timing == "on"
                        ? "on (SystemC TLM-2.0 LT, quantum sim.quantum, clock core.freq_ghz)"
                        : "off (functional)");
  echo.emplace_back("geometry", o.geometry);
  echo.emplace_back("translation", two_d ? "two-dimensional: guest " +
                                               std::to_string(sc.platform.guest.levels) +
                                               "-level tables over stage 2, guest huge pages " +
                                               (sc.platform.guest.huge_pages ? "on" : "off")
                                         : "stage 2 only (guest-physical accesses)");
  echo.emplace_back("guest_ram", format_size(ram));
  echo.emplace_back("warmup", o.warm_pass ? "a pass over the whole trace, then " +
                                                std::to_string(o.warmup) + " accesses"
                                          : std::to_string(o.warmup));
  echo.emplace_back("seed", std::to_string(o.seed));
  for (auto& kv : param_echo(rc)) echo.push_back(std::move(kv));
  return echo;
}

void write_reports(const RunOptions& o, const std::vector<RunResult>& results,
                   const std::vector<ConfigEcho>& echo, bool quiet) {
  if (!quiet) write_text_report(std::cout, results, echo);
  if (!quiet && o.full_stats) write_stats_text(std::cout, results);
  // Whole or absent: a sweep job killed while writing leaves no half report for `nptsim sweep
  // status` to take as finished.
  if (!o.json_path.empty()) {
    write_file_atomically(o.json_path,
                          [&](std::ostream& out) { write_json_report(out, results, echo); });
  }
  if (!o.csv_path.empty()) {
    write_file_atomically(o.csv_path,
                          [&](std::ostream& out) { write_csv_report(out, results, echo); });
  }
  if (!o.plot_dir.empty()) write_plots(o.plot_dir, results);
}

int run_or_compare(const Args& args, bool compare) {
  RunOptions o;
  o.compare = compare;
  o.backend = compare ? "linear,lazy" : "all";
  po::options_description opts = main_options(o);
  po::variables_map vm;
  const char* const title =
      "Configuration (nptsim params lists every key with its source; docs/PARAMETERS.md)";
  if (!parse_with_params(args, opts, title, true, vm)) return kExitOk;
  o.full_stats = vm.count("stats") != 0;
  o.warm_pass = vm.count("warm-pass") != 0;
  if (compare && o.trace.empty())
    throw po::error("nptsim compare needs --trace FILE (e.g. traces/samples/sort.nptb.xz)");
  const ArchConfigs configs = arch_configs(vm, o);
  const SimConfig& sc = configs.begin()->second.config;  // its workload keys are every run's
  auto mode = parse_geometry_mode(o.geometry);
  if (!mode)
    throw po::error("option '--geometry': expected hardware or crate, got '" + o.geometry + "'");
  if (o.timing != "on" && o.timing != "off")
    throw po::error("option '--timing': expected on or off, got '" + o.timing + "'");
  if (o.jobs == 0) throw po::error("option '--jobs' must be at least 1");
  if (vm.count("vcpus") && (o.vcpus == 0 || o.vcpus > kMaxVcpus))
    throw po::error("option '--vcpus': must be 1.." + std::to_string(kMaxVcpus));

  RunJob job;
  job.timing = o.timing == "on";
  job.warmup = o.warmup;
  job.vcpus = static_cast<uint16_t>(o.vcpus);
  job.progress = !vm.count("quiet");
  job.platforms = platforms(o, configs, *mode);
  job.source = workload(o, sc, job);
  if (o.warm_pass) {
    if (o.trace == "-")
      throw po::error("--warm-pass reads the trace twice: not from standard input");
    const TraceCount count = count_trace(job.source);  // one pass: the vCPUs too
    job.warmup += count.records;
    if (!job.vcpus) job.vcpus = count.vcpus;
    job.source = trace::twice(job.source);
  }
  std::vector<RunResult> results;
  try {
    job.platforms = with_schemes(
        job.platforms, o.schemes.empty() ? std::vector<std::string>{resolve_scheme(sc, job)}
                                         : parse_schemes(o.schemes, job));
    const bool two_d = job.platforms.front().guest_tables();
    results = run_job_in_processes(job, o.jobs);
    std::map<Arch, ConfigEcho> echo_of;  // one per architecture, as the configurations
    for (const auto& [arch, config] : configs) echo_of.emplace(arch, run_echo(o, config, two_d));
    std::vector<ConfigEcho> echoes;
    for (const PlatformConfig& pc : job.platforms) {
      echoes.push_back(echo_of.at(pc.stage2.arch));
      for (auto& [key, value] : echoes.back()) {
        if (key == "translation.scheme" && !o.schemes.empty()) value = pc.scheme;  // --scheme's
      }
    }
    write_reports(o, results, echoes, vm.count("quiet") != 0);
  } catch (const trace::TraceError& e) {
    // Errors found while running ("record N: ...") name the trace as the readers' do.
    const std::string what = e.what();
    const bool unnamed = what.rfind("record ", 0) == 0 && !o.trace.empty();
    std::cerr << "nptsim " << (compare ? "compare" : "run") << ": "
              << (unnamed ? o.trace + ": " + what : what) << "\n";
    if (unnamed && o.warm_pass) {
      std::cerr << "  (--warm-pass runs the trace twice, its events too: they must leave the "
                   "address space as they found it)\n";
    }
    return kExitUsage;
  } catch (const std::runtime_error& e) {
    std::cerr << "nptsim " << (compare ? "compare" : "run") << ": " << e.what() << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

int run_main(const Args& args) { return run_or_compare(args, false); }
int compare_main(const Args& args) { return run_or_compare(args, true); }

}  // namespace nptsim::cli
