// nptsim run: trace-driven simulation of stage-2 translation on one or more architectures and
// backends, timed with SystemC (--timing on) or functional (--timing off).
#include <boost/program_options.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <iostream>

#include "sim/commands/commands.h"
#include "sim/run/plots.h"
#include "sim/run/report.h"
#include "models/sysc/trace_mapping.h"
#include "sim/run/run_driver.h"
#include "sim/util/size_parse.h"
#include "traces/io/trace_error.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

// Options that may also come from --config FILE.ini ([section] key = value) or --set.
struct CacheOpt {
  std::string enabled = "on", policy;
  uint32_t entries = 0, ways = 0, latency = 0;
};

void add_cache_options(po::options_description& d, const std::string& prefix, CacheConfig& c, std::string& policy) {
  d.add_options()((prefix + ".enabled").c_str(), po::value(&c.enabled)->default_value(c.enabled, c.enabled ? "on" : "off"),
                  "on or off (this structure alone)")(
      (prefix + ".entries").c_str(), po::value(&c.entries)->default_value(c.entries), "entries")(
      (prefix + ".ways").c_str(), po::value(&c.ways)->default_value(c.ways), "ways (associativity)")(
      (prefix + ".policy").c_str(), po::value(&policy)->default_value(to_string(c.policy)), "lru, fifo or random")(
      (prefix + ".latency").c_str(), po::value(&c.hit_latency)->default_value(c.hit_latency), "hit latency, cycles");
}

bool on_off(const std::string& v, const char* option) {
  if (v == "on") return true;
  if (v == "off") return false;
  throw po::error(std::string("option '--") + option + "': expected on or off, got '" + v + "'");
}

uint64_t size_value(const std::string& v, const std::string& option) {
  auto s = parse_size(v);
  if (!s) throw po::error("option '--" + option + "': not a size: '" + v + "' (e.g. 4GiB, 512MiB, 0x100000)");
  return *s;
}

Replacement policy_value(const std::string& v, const std::string& option) {
  auto p = parse_replacement(v);
  if (!p) throw po::error("option '--" + option + "': expected lru, fifo or random, got '" + v + "'");
  return *p;
}

// "GPA SIZE BACKEND [FLAGS] [HPA]", e.g. "0x0 2GiB linear rwxu 0x4000000000".
AreaSpec parse_area(const std::string& text) {
  std::istringstream in(text);
  std::string gpa, size, backend, flags = "rwxu", hpa;
  in >> gpa >> size >> backend;
  if (!(in >> flags)) flags = "rwxu";
  in >> hpa;
  AreaSpec a;
  auto fail = [&](const std::string& why) -> po::error {
    return po::error("guest.area '" + text + "': " + why + " (expected: GPA SIZE linear|alloc|lazy [rwxud] [HPA])");
  };
  auto g = parse_size(gpa), s = parse_size(size);
  auto b = parse_backend_kind(backend);
  if (!g || !s) throw fail("bad GPA or size");
  if (!b) throw fail("bad backend '" + backend + "'");
  a.gpa = *g;
  a.size = *s;
  a.backend = *b;
  uint32_t f = 0;
  for (char c : flags) {
    switch (c) {
      case 'r': f |= MappingFlags::READ; break;
      case 'w': f |= MappingFlags::WRITE; break;
      case 'x': f |= MappingFlags::EXECUTE; break;
      case 'u': f |= MappingFlags::USER; break;
      case 'd': f |= MappingFlags::DEVICE; break;
      default: throw fail(std::string("bad flag '") + c + "'");
    }
  }
  a.flags = MappingFlags(f);
  a.hpa = kDefaultLinearHpa + a.gpa;
  if (!hpa.empty()) {
    auto h = parse_size(hpa);
    if (!h) throw fail("bad HPA");
    a.hpa = *h;
  }
  return a;
}

int default_levels(Arch a) { return a == Arch::X86_64 ? 4 : 3; }

}  // namespace

namespace {

int run_or_compare(const Args& args, bool compare) {
  PlatformConfig base;
  std::string trace, format, arch = "all", backend = compare ? "linear,lazy" : "all", geometry = "hardware";
  std::string timing = "on", ram = "4GiB", plot_dir;
  std::string tlb = "on", walk_cache = "on", json_path, csv_path, config_path, mem_model = "caches";
  std::string l1d_policy, l1i_policy, l2_policy, wc_policy[kWalkCacheSpans];
  std::vector<std::string> sets, areas;
  int levels = 0;
  unsigned ipa_bits = 0;
  uint64_t warmup = 0, workload_count = 1'000'000;
  unsigned vcpus = 0;
  // Sizes as they are typed ("32KiB"); the defaults are whole units.
  auto size_text = [](uint64_t bytes) {
    std::string t = format_size(bytes);
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    return t;
  };
  std::string mem_l1 = size_text(base.mem.l1.size_bytes), mem_l2 = size_text(base.mem.l2.size_bytes),
              mem_llc = size_text(base.mem.llc.size_bytes);
  std::string ept_ad = "off", arm_ha = "off", riscv_svadu = "off", pte_dmi = "on";
  std::string addr_mode = "auto", guest_huge = "off", nested_policy, s1wc_policy[kWalkCacheSpans], guest_hw_ad = "off";

  po::options_description main_opts(
      compare ? "Usage: nptsim compare --trace FILE [OPTIONS]\n\n"
                "Runs one trace on x86_64, aarch64 and riscv64 with each chosen backend (default\n"
                "linear and lazy), all with the same TLB, walk-cache and memory configuration, and\n"
                "prints the comparison table. Guest-virtual traces (recorded programs, e.g.\n"
                "traces/samples/) run two-dimensionally through guest page tables over stage 2.\n"
                "--json/--csv write every run; --plot DIR draws a walk-latency CDF and a\n"
                "references-per-walk histogram per run (SVG and PNG, gnuplot).\n\nOptions"
              : "Usage: nptsim run [OPTIONS]\n\n"
                "Replays a trace (or the built-in workload: a Zipf stream of guest-physical accesses\n"
                "over 1 GiB of guest RAM, 30% writes) through each architecture's translation: TLBs,\n"
                "walk caches and hardware walkers over the real tables AddrSpace built (and, for\n"
                "guest-virtual traces, the guest's own tables over them), with nested faults handled\n"
                "as axvm does. With several architectures or backends, all run on the same trace and\n"
                "a comparison table follows the per-run reports.\n\nOptions");
  main_opts.add_options()("help,h", "show this help")(
      "trace", po::value(&trace), "trace file (any format nptsim reads; guest-physical addresses)")(
      "format", po::value(&format), "read --trace as text, binary, lackey or champsim")(
      "workload-count", po::value(&workload_count)->default_value(workload_count), "accesses of the built-in workload")(
      "arch", po::value(&arch)->default_value(arch), "x86_64, aarch64, riscv64 or all")(
      "backend", po::value(&backend)->default_value(backend), "guest RAM backend: linear, alloc, lazy or all")(
      "levels", po::value(&levels), "stage-2 levels (default: x86_64 4, aarch64 3, riscv64 3)")(
      "geometry", po::value(&geometry)->default_value(geometry),
      "hardware (Sv39x4 16 KiB root, concatenated AArch64 roots) or crate (axaddrspace's own tables)")(
      "ipa-bits", po::value(&ipa_bits), "AArch64 IPA size (VTCR_EL2.T0SZ = 64 - bits; default 40, or 48 at 4 levels)")(
      "guest-ram", po::value(&ram)->default_value(ram), "guest RAM at GPA 0 (the device window follows it)")(
      "timing", po::value(&timing)->default_value(timing), "on: SystemC timing model; off: functional, faster")(
      "warmup", po::value(&warmup)->default_value(warmup), "replay the first N accesses to warm the caches, unreported")(
      "vcpus", po::value(&vcpus), "vCPUs to simulate (default: as many as the trace names)")(
      "addr", po::value(&addr_mode)->default_value(addr_mode),
      "auto (from the trace), gva (two-dimensional: guest page tables over stage 2) or gpa (stage 2 only)")(
      "guest-levels", po::value(&base.guest.levels)->default_value(base.guest.levels),
      "levels of the guest's own page tables (x86_64 4|5, aarch64 3|4, riscv64 3|4 = Sv39|Sv48)")(
      "guest-huge", po::value(&guest_huge)->default_value(guest_huge), "on: the guest maps 2 MiB pages where it can")(
      "tlb", po::value(&tlb)->default_value(tlb), "on or off: all TLBs")(
      "walk-cache", po::value(&walk_cache)->default_value(walk_cache), "on or off: all walk caches")(
      "seed", po::value(&base.seed)->default_value(base.seed), "seed of random replacement and the workload")(
      "json", po::value(&json_path), "write the JSON report here")("csv", po::value(&csv_path), "write the CSV report here")(
      "plot", po::value(&plot_dir), "draw per-run walk-latency CDFs and references-per-walk histograms into DIR")(
      "config", po::value(&config_path), "INI file of the options below ([tlb.l1d] entries = 64, ...)")(
      "set", po::value(&sets)->composing(), "override one option: --set section.key=value (repeatable)")(
      "quiet,q", "no progress line, no report on stdout (only --json/--csv)");

  po::options_description cfg("Configuration (in --config files, --set, or as --section.key)");
  add_cache_options(cfg, "tlb.l1d", base.mmu.l1d, l1d_policy);
  add_cache_options(cfg, "tlb.l1i", base.mmu.l1i, l1i_policy);
  add_cache_options(cfg, "tlb.l2", base.mmu.l2, l2_policy);
  // Walk caches by the span an entry covers (walk_cache.s2.2M: pointers to tables mapping 2 MiB).
  for (int s = 0; s < kWalkCacheSpans; ++s) {
    add_cache_options(cfg, std::string("walk_cache.s2.") + walk_cache_span_name(s), base.mmu.walk_cache.by_span[s], wc_policy[s]);
  }
  add_cache_options(cfg, "tlb.nested", base.nested_tlb, nested_policy);
  for (int s = 0; s < kWalkCacheSpans; ++s) {
    add_cache_options(cfg, std::string("walk_cache.s1.") + walk_cache_span_name(s), base.s1_walk_cache.by_span[s], s1wc_policy[s]);
  }
  cfg.add_options()("guest.fault_cost", po::value(&base.guest.fault_cost)->default_value(base.guest.fault_cost),
                    "cycles of a guest page fault (demand paging)");
  cfg.add_options()("mem.model", po::value(&mem_model)->default_value(mem_model), "caches or fixed")(
      "mem.fixed_latency", po::value(&base.mem.fixed_latency)->default_value(base.mem.fixed_latency), "cycles per PTE access (fixed)")(
      "mem.l1.size", po::value(&mem_l1)->default_value(mem_l1), "PTE L1 cache size (e.g. 32KiB)")(
      "mem.l1.ways", po::value(&base.mem.l1.ways)->default_value(base.mem.l1.ways), "ways")(
      "mem.l1.latency", po::value(&base.mem.l1.hit_latency)->default_value(base.mem.l1.hit_latency), "cycles")(
      "mem.l2.size", po::value(&mem_l2)->default_value(mem_l2), "PTE L2 cache size (e.g. 32KiB)")(
      "mem.l2.ways", po::value(&base.mem.l2.ways)->default_value(base.mem.l2.ways), "ways")(
      "mem.l2.latency", po::value(&base.mem.l2.hit_latency)->default_value(base.mem.l2.hit_latency), "cycles")(
      "mem.llc.size", po::value(&mem_llc)->default_value(mem_llc), "PTE LLC size (e.g. 32KiB)")(
      "mem.llc.ways", po::value(&base.mem.llc.ways)->default_value(base.mem.llc.ways), "ways")(
      "mem.llc.latency", po::value(&base.mem.llc.hit_latency)->default_value(base.mem.llc.hit_latency), "cycles")(
      "mem.dram_latency", po::value(&base.mem.dram_latency)->default_value(base.mem.dram_latency), "cycles")(
      "mem.dmi", po::value(&pte_dmi)->default_value(pte_dmi),
      "timing on: walkers read PTEs through TLM DMI (on) or one b_transport each (off); same results")(
      "fault.vm_exit", po::value(&base.costs.vm_exit)->default_value(base.costs.vm_exit), "VM exit + entry, cycles")(
      "fault.handler", po::value(&base.costs.handler)->default_value(base.costs.handler), "nested-fault handler, cycles")(
      "fault.alloc", po::value(&base.costs.alloc)->default_value(base.costs.alloc), "frame allocation, cycles")(
      "fault.zero_page", po::value(&base.costs.zero_page)->default_value(base.costs.zero_page), "zeroing 4 KiB, cycles")(
      "fault.mmio_exit", po::value(&base.costs.mmio_exit)->default_value(base.costs.mmio_exit), "unhandled (MMIO) exit emulation, cycles")(
      "ad.ept", po::value(&ept_ad)->default_value(ept_ad), "on: EPT accessed/dirty flags (EPTP bit 6)")(
      "ad.arm_ha", po::value(&arm_ha)->default_value(arm_ha), "on: AArch64 hardware Access flag (VTCR_EL2.HA)")(
      "ad.riscv_svadu", po::value(&riscv_svadu)->default_value(riscv_svadu), "on: RISC-V hardware A/D (Svadu)")(
      "ad.guest_hw", po::value(&guest_hw_ad)->default_value(guest_hw_ad),
      "on: the guest's own A/D (AArch64 AF via TCR_EL1.HA, RISC-V A/D via Svadu) are set by the walker; off: "
      "the guest OS sets them when it maps a page (x86-64 always uses hardware A/D)")(
      "guest.area", po::value(&areas)->composing(),
      "an area instead of the default RAM: \"GPA SIZE linear|alloc|lazy [rwxud] [HPA]\" (repeatable)");

  po::options_description all;
  all.add(main_opts).add(cfg);
  po::variables_map vm;
  // Precedence: --set, then the command line, then --config (the first value stored wins).
  po::parsed_options cli = po::command_line_parser(args).options(all).run();
  {
    po::variables_map peek;
    po::store(cli, peek);
    if (peek.count("set")) {
      std::vector<std::string> tokens;
      for (const std::string& s : peek["set"].as<std::vector<std::string>>()) {
        if (s.find('=') == std::string::npos) throw po::error("option '--set': expected section.key=value, got '" + s + "'");
        tokens.push_back("--" + s);
      }
      // Exact keys only: a prefix (mem.fixed) must not be taken for a longer key (mem.fixed_latency).
      try {
        po::store(po::command_line_parser(tokens)
                      .options(cfg)
                      .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
                      .run(),
                  vm);
      } catch (const po::unknown_option& e) {
        const std::string key = e.get_option_name().substr(2);  // "--key=value"
        throw po::error("option '--set': no configuration key '" + key.substr(0, key.find('=')) +
                        "' (the keys are listed under Configuration in --help)");
      }
    }
  }
  po::store(cli, vm);
  if (vm.count("help")) {
    std::cout << main_opts << "\n" << cfg << "\n";
    return kExitOk;
  }
  if (vm.count("config")) {
    const std::string path = vm["config"].as<std::string>();
    std::ifstream f(path);
    if (!f) throw po::error("option '--config': cannot read '" + path + "'");
    try {
      po::store(po::parse_config_file(f, cfg), vm);
    } catch (const po::error& e) {
      throw po::error(path + ": " + e.what());
    }
  }
  po::notify(vm);
  if (compare && trace.empty()) throw po::error("nptsim compare needs --trace FILE (e.g. traces/samples/sort.nptb.xz)");

  // Architectures, backends, geometry.
  // Comma-separated lists, or "all".
  auto split = [](const std::string& v) {
    std::vector<std::string> out;
    std::stringstream in(v);
    for (std::string item; std::getline(in, item, ',');) out.push_back(item);
    return out;
  };
  std::vector<Arch> archs;
  if (arch == "all") archs.assign(std::begin(kAllArchs), std::end(kAllArchs));
  for (const std::string& name : arch == "all" ? std::vector<std::string>{} : split(arch)) {
    auto a = parse_arch(name);
    if (!a) throw po::error("option '--arch': unknown architecture '" + name + "' (x86_64, aarch64, riscv64, a list, or all)");
    archs.push_back(*a);
  }
  std::vector<BackendKind> backends;
  if (backend == "all") backends = {BackendKind::Linear, BackendKind::Alloc, BackendKind::Lazy};
  for (const std::string& name : backend == "all" ? std::vector<std::string>{} : split(backend)) {
    auto b = parse_backend_kind(name);
    if (!b) throw po::error("option '--backend': expected linear, alloc, lazy, a list, or all, got '" + name + "'");
    backends.push_back(*b);
  }
  if (archs.empty() || backends.empty()) throw po::error("options '--arch' and '--backend' need at least one value");
  auto mode = parse_geometry_mode(geometry);
  if (!mode) throw po::error("option '--geometry': expected hardware or crate, got '" + geometry + "'");
  const uint64_t ram_bytes = size_value(ram, "guest-ram");
  if (mem_model != "caches" && mem_model != "fixed") throw po::error("option 'mem.model': expected caches or fixed");
  base.mem.fixed = mem_model == "fixed";
  base.mem.l1.size_bytes = size_value(mem_l1, "mem.l1.size");
  base.mem.l2.size_bytes = size_value(mem_l2, "mem.l2.size");
  base.mem.llc.size_bytes = size_value(mem_llc, "mem.llc.size");
  base.mmu.l1d.policy = policy_value(l1d_policy, "tlb.l1d.policy");
  base.mmu.l1i.policy = policy_value(l1i_policy, "tlb.l1i.policy");
  base.mmu.l2.policy = policy_value(l2_policy, "tlb.l2.policy");
  for (int s = 0; s < kWalkCacheSpans; ++s) {
    const std::string span = walk_cache_span_name(s);
    base.mmu.walk_cache.by_span[s].policy = policy_value(wc_policy[s], "walk_cache.s2." + span + ".policy");
    base.s1_walk_cache.by_span[s].policy = policy_value(s1wc_policy[s], "walk_cache.s1." + span + ".policy");
  }
  base.nested_tlb.policy = policy_value(nested_policy, "tlb.nested.policy");
  const bool tlb_on = on_off(tlb, "tlb"), wc_on = on_off(walk_cache, "walk-cache");
  // --tlb off: every TLB including the nested one; --walk-cache off: the walk caches of both stages.
  if (!tlb_on) base.mmu.l1d.enabled = base.mmu.l1i.enabled = base.mmu.l2.enabled = base.nested_tlb.enabled = false;
  if (!wc_on) {
    base.mmu.walk_cache.set_enabled(false);
    base.s1_walk_cache.set_enabled(false);
  }
  base.guest.huge_pages = on_off(guest_huge, "guest-huge");
  base.guest.hw_ad = on_off(guest_hw_ad, "ad.guest_hw");
  if (addr_mode != "auto" && addr_mode != "gva" && addr_mode != "gpa") throw po::error("option '--addr': expected auto, gva or gpa, got '" + addr_mode + "'");
  base.ept_ad = on_off(ept_ad, "ad.ept");
  base.pte_dmi = on_off(pte_dmi, "mem.dmi");
  base.arm_hw_af = on_off(arm_ha, "ad.arm_ha");
  base.riscv_svadu = on_off(riscv_svadu, "ad.riscv_svadu");
  const bool timed = on_off(timing, "timing");
  if (vm.count("vcpus") && (vcpus == 0 || vcpus > kMaxVcpus)) throw po::error("option '--vcpus': must be 1.." + std::to_string(kMaxVcpus));

  RunJob job;
  job.timing = timed;
  job.warmup = warmup;
  job.vcpus = static_cast<uint16_t>(vcpus);
  job.progress = !vm.count("quiet");
  std::vector<AreaSpec> custom;
  for (const std::string& a : areas) custom.push_back(parse_area(a));
  for (Arch a : archs) {
    for (BackendKind b : backends) {
      PlatformConfig pc = base;
      pc.stage2 = Stage2Config{a, levels ? levels : default_levels(a), *mode, a == Arch::AArch64 ? ipa_bits : 0};
      pc.layout = default_layout(ram_bytes, b);
      if (!custom.empty()) {
        pc.layout.areas = custom;
        if (backends.size() == 1 && backend != "all") {
          for (auto& area : pc.layout.areas) area.backend = b;
        }
        pc.layout.device_window_size = 0;
      }
      job.platforms.push_back(pc);
    }
  }
  if (!custom.empty() && !(backends.size() == 1 && backend != "all")) {
    // Custom areas name their own backends: one run per architecture.
    std::vector<PlatformConfig> once;
    for (size_t i = 0; i < job.platforms.size(); i += backends.size()) once.push_back(job.platforms[i]);
    job.platforms = once;
  }
  if (trace.empty()) {
    trace::GenConfig g;
    g.pattern = trace::Pattern::Zipf;
    g.count = workload_count;
    g.footprint = std::min<uint64_t>(ram_bytes, uint64_t{1} << 30);
    g.write_ratio = 0.3;
    g.zipf_s = 0.8;
    g.seed = base.seed;
    g.kind = trace::AddrKind::GuestPhysical;
    job.source = trace::generator_source(g);
  } else {
    std::optional<trace::TraceFormat> forced;
    if (!format.empty() && !(forced = trace::parse_trace_format(format))) {
      throw po::error("option '--format': unknown format '" + format + "'");
    }
    job.source = trace::file_source(trace, forced);
    // Standard input can be read once: nothing may look ahead into it before the run.
    if (trace == "-" && addr_mode == "auto") throw po::error("--trace -: standard input is read once; give --addr gva or gpa");
    if (trace == "-" && timed && !vm.count("vcpus")) {
      throw po::error("--trace - with --timing on: standard input is read once; give --vcpus N");
    }
    if (trace == "-" && job.platforms.size() > 1) {
      throw po::error("--trace -: standard input feeds one run; choose one --arch and one --backend");
    }
  }

  // Guest-virtual traces run two-dimensionally (unless --addr gpa).
  bool two_d = addr_mode == "gva";
  if (addr_mode == "auto") {
    try {
      two_d = job.source()->addr_kind() == trace::AddrKind::GuestVirtual;
    } catch (const trace::TraceError& e) {
      std::cerr << "nptsim run: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  for (PlatformConfig& pc : job.platforms) pc.two_dimensional = two_d;

  ConfigEcho echo;
  echo.emplace_back("workload", trace.empty() ? "built-in zipf(s=0.8) over " + format_size(std::min<uint64_t>(ram_bytes, uint64_t{1} << 30)) +
                                                   ", 30% writes, " + std::to_string(workload_count) + " accesses"
                                             : trace);
  echo.emplace_back("timing", timed ? "on (SystemC TLM-2.0 LT, 1 us quantum, 1 cycle = 1 ns)" : "off (functional)");
  echo.emplace_back("geometry", geometry);
  echo.emplace_back("translation", two_d ? "two-dimensional: guest " + std::to_string(base.guest.levels) +
                                               "-level tables over stage 2, guest huge pages " + guest_huge
                                         : "stage 2 only (guest-physical accesses)");
  echo.emplace_back("guest_ram", format_size(ram_bytes));
  echo.emplace_back("warmup", std::to_string(warmup));
  echo.emplace_back("seed", std::to_string(base.seed));
  auto cache_echo = [&](const std::string& name, const CacheConfig& c) {
    echo.emplace_back(name, c.enabled ? std::to_string(c.entries) + " entries, " + std::to_string(c.ways) + "-way, " +
                                            to_string(c.policy) + ", " + std::to_string(c.hit_latency) + " cycles"
                                      : "off");
  };
  cache_echo("tlb.l1d", base.mmu.l1d);
  cache_echo("tlb.l1i", base.mmu.l1i);
  cache_echo("tlb.l2", base.mmu.l2);
  for (int s = 0; s < kWalkCacheSpans; ++s) {
    cache_echo(std::string("walk_cache.s2.") + walk_cache_span_name(s), base.mmu.walk_cache.by_span[s]);
  }
  if (two_d) {
    cache_echo("tlb.nested", base.nested_tlb);
    for (int s = 0; s < kWalkCacheSpans; ++s) {
      cache_echo(std::string("walk_cache.s1.") + walk_cache_span_name(s), base.s1_walk_cache.by_span[s]);
    }
    echo.emplace_back("guest.fault_cost", std::to_string(base.guest.fault_cost) + " cycles");
  }
  if (base.mem.fixed) {
    echo.emplace_back("mem", "fixed " + std::to_string(base.mem.fixed_latency) + " cycles per PTE access");
  } else {
    echo.emplace_back("mem", "PTE caches L1 " + format_size(base.mem.l1.size_bytes) + "/" + std::to_string(base.mem.l1.hit_latency) + "c, L2 " +
                                 format_size(base.mem.l2.size_bytes) + "/" + std::to_string(base.mem.l2.hit_latency) + "c, LLC " +
                                 format_size(base.mem.llc.size_bytes) + "/" + std::to_string(base.mem.llc.hit_latency) + "c, DRAM " +
                                 std::to_string(base.mem.dram_latency) + "c");
  }
  echo.emplace_back("fault", "vm_exit " + std::to_string(base.costs.vm_exit) + ", handler " + std::to_string(base.costs.handler) +
                                 ", alloc " + std::to_string(base.costs.alloc) + ", zero_page " +
                                 std::to_string(base.costs.zero_page) + ", mmio_exit " + std::to_string(base.costs.mmio_exit) + " cycles");
  echo.emplace_back("ad", std::string("ept ") + ept_ad + ", arm_ha " + arm_ha + ", riscv_svadu " + riscv_svadu +
                             (two_d ? ", guest_hw " + guest_hw_ad : ""));

  std::vector<RunResult> results;
  try {
    results = run_job(job);
  } catch (const trace::TraceError& e) {
    std::cerr << "nptsim run: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::runtime_error& e) {
    std::cerr << "nptsim run: " << e.what() << "\n";
    return kExitUsage;
  }
  if (!vm.count("quiet")) write_text_report(std::cout, results, echo);
  auto write_file = [&](const std::string& path, auto&& writer) {
    std::ofstream f(path);
    if (!f) throw std::runtime_error("cannot write '" + path + "'");
    writer(f);
  };
  if (!json_path.empty()) write_file(json_path, [&](std::ostream& o) { write_json_report(o, results, echo); });
  if (!csv_path.empty()) write_file(csv_path, [&](std::ostream& o) { write_csv_report(o, results); });
  if (!plot_dir.empty()) {
    try {
      write_plots(plot_dir, results);
    } catch (const std::runtime_error& e) {
      std::cerr << "nptsim " << (compare ? "compare" : "run") << ": " << e.what() << "\n";
      return kExitUsage;
    }
  }
  return kExitOk;
}

}  // namespace

int run_main(const Args& args) { return run_or_compare(args, false); }
int compare_main(const Args& args) { return run_or_compare(args, true); }

}  // namespace nptsim::cli
