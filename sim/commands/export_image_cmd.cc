// nptsim export-image --out DIR: a configured guest (after an optional trace has run, so lazily
// faulted pages and guest demand paging are in) written as an oracle image (IMAGE.md) with a
// seeded set of probes, so the emulators can check the tables nptsim built itself.
#include <boost/program_options.hpp>

#include <iostream>
#include <random>

#include "models/core/image/image_export.h"
#include "models/core/platform/functional_platform.h"
#include "models/sysc/trace_mapping.h"
#include "models/core/arch/arch_images.h"
#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/image/image_files.h"
#include "models/core/common/size_parse.h"
#include "traces/io/trace_error.h"
#include "traces/record_source.h"

namespace po = boost::program_options;

namespace nptsim::cli {
namespace {

// Host frames for tables and, with the alloc/lazy backends, guest RAM: RAM plus 8 MiB.
constexpr uint64_t kPoolSlack = uint64_t{8} << 20;

// The 4 KiB frames as runs of consecutive frames, each one segment.
std::vector<Segment> segments_of(const std::set<uint64_t>& frames, const PhysMem& mem) {
  std::vector<Segment> segs;
  for (uint64_t f : frames) {
    if (segs.empty() || segs.back().hpa + segs.back().bytes.size() != f) segs.push_back(Segment{f, {}});
    Segment& s = segs.back();
    const size_t at = s.bytes.size();
    s.bytes.resize(at + 4096);
    mem.read(HostPhysAddr(f), s.bytes.data() + at, 4096);
  }
  return segs;
}

}  // namespace

int export_image_main(const Args& args) {
  std::string out, arch_name = "x86_64", backend_name = "lazy", trace, addr_mode = "auto", ram = "16MiB";
  std::string host_base_text = "auto", guest_huge = "off";
  int levels = 0, guest_levels = 0;
  uint64_t probes_n = 200, seed = 1, workload_count = 20000, stub_gva = 0x7000;
  po::options_description opts(
      "Usage: nptsim export-image --out DIR [OPTIONS]\n\n"
      "Builds a guest as `nptsim run` does (AddrSpace stage 2, and with --addr gva the guest OS's\n"
      "own tables in guest memory), replays a trace through it functionally (so lazily faulted\n"
      "pages and demand-paged guest mappings exist), then writes an oracle test image\n"
      "(shared/oracles/IMAGE.md): regime.json from the simulated registers, a seeded set of\n"
      "probes (mostly addresses the trace touched, the rest unmapped or never-faulted ones), and\n"
      "as segments every host frame the probes' walks read. Host memory is placed where the\n"
      "architecture's emulator has RAM (--host-base). Check it with `nptsim translate --image DIR`\n"
      "and the emulators in tests/oracles.\n\nOptions");
  opts.add_options()("help,h", "show this help")("out", po::value(&out), "the image directory to write")(
      "arch", po::value(&arch_name)->default_value(arch_name), "x86_64, aarch64 or riscv64")(
      "backend", po::value(&backend_name)->default_value(backend_name), "guest RAM backend: linear, alloc or lazy")(
      "levels", po::value(&levels), "stage-2 levels (default: x86_64 4, aarch64 3, riscv64 3)")(
      "addr", po::value(&addr_mode)->default_value(addr_mode),
      "gva (guest page tables over stage 2), gpa (stage 2 only), or auto (from the trace; gva without one)")(
      "guest-levels", po::value(&guest_levels), "levels of the guest's tables (default: x86_64 4, others 3)")(
      "guest-huge", po::value(&guest_huge)->default_value(guest_huge), "on: the guest maps 2 MiB pages where it can")(
      "guest-ram", po::value(&ram)->default_value(ram), "guest RAM at GPA 0")(
      "trace", po::value(&trace), "replay this trace first (default: a uniform stream, --workload-count accesses)")(
      "workload-count", po::value(&workload_count)->default_value(workload_count), "accesses of the built-in stream")(
      "probes", po::value(&probes_n)->default_value(probes_n), "number of probes")(
      "seed", po::value(&seed)->default_value(seed), "seed of the built-in stream and the probe choice")(
      "host-base", po::value(&host_base_text)->default_value(host_base_text),
      "host address of the frame pool (guest RAM + 8 MiB; linear guest RAM follows it); auto = the emulator's RAM")(
      "stub-gva", po::value(&stub_gva)->default_value(stub_gva),
      "x86_64: a page mapped for the Bochs harness's code, never probed (a GVA; with --addr gpa a GPA)");
  po::variables_map vm;
  if (!parse_options(args, opts, vm)) return kExitOk;
  if (out.empty()) throw po::error("the option '--out' is required (try --help)");
  auto arch = parse_arch(arch_name);
  if (!arch) throw po::error("option '--arch': unknown architecture '" + arch_name + "' (x86_64, aarch64, riscv64)");
  auto backend = parse_backend_kind(backend_name);
  if (!backend) throw po::error("option '--backend': expected linear, alloc or lazy, got '" + backend_name + "'");
  if (addr_mode != "auto" && addr_mode != "gva" && addr_mode != "gpa") throw po::error("option '--addr': expected auto, gva or gpa");
  if (guest_huge != "on" && guest_huge != "off") throw po::error("option '--guest-huge': expected on or off");
  if (probes_n == 0 || probes_n > 100000) throw po::error("option '--probes': must be 1..100000");
  auto ram_bytes = parse_size(ram);
  if (!ram_bytes || *ram_bytes == 0 || *ram_bytes % 0x20'0000 || *ram_bytes > (uint64_t{1} << 30)) {
    throw po::error("option '--guest-ram': a multiple of 2 MiB up to 1 GiB (the image must fit the emulator's RAM)");
  }
  uint64_t host_base = arch_image_host_base(*arch);
  if (host_base_text != "auto") {
    auto h = parse_size(host_base_text);
    if (!h || *h % 0x20'0000) throw po::error("option '--host-base': a 2 MiB-aligned address or auto");
    host_base = *h;
  }

  PlatformConfig pc;
  pc.stage2 = Stage2Config{*arch, levels ? levels : default_stage2_levels(*arch), GeometryMode::Hardware, 0};
  pc.layout = default_layout(*ram_bytes, *backend);
  const uint64_t pool_bytes = *ram_bytes + kPoolSlack;
  pc.layout.frame_pool_hpa = host_base;
  pc.layout.frame_pool_frames = pool_bytes / 4096;
  for (AreaSpec& a : pc.layout.areas) a.hpa = host_base + pool_bytes + a.gpa;
  pc.guest.levels = guest_levels ? guest_levels : default_stage1_levels(*arch);
  pc.guest.huge_pages = guest_huge == "on";
  // Hardware A/D at both stages: the one policy every emulator implements (QEMU's RISC-V
  // G-stage always updates A/D, IMAGE.md §2).
  pc.stage2_controls.arm_hw_access_flag = pc.stage2_controls.riscv_hw_ad = pc.guest.hw_ad = true;

  trace::SourceFactory source;
  if (trace.empty()) {
    trace::GenConfig g;
    g.pattern = trace::Pattern::Uniform;
    g.count = workload_count;
    g.seed = seed;
    g.write_ratio = 0.3;
    const bool gva = addr_mode != "gpa";
    g.kind = gva ? trace::AddrKind::GuestVirtual : trace::AddrKind::GuestPhysical;
    g.base = gva ? 0x40'0000 : 0;
    g.footprint = gva ? std::min<uint64_t>(*ram_bytes / 2, 8 << 20) : *ram_bytes / 2;
    source = trace::generator_source(g);
  } else {
    source = trace::file_source(trace, std::nullopt);
  }
  std::unique_ptr<trace::RecordSource> src;
  try {
    src = source();
  } catch (const trace::TraceError& e) {
    std::cerr << "nptsim export-image: " << e.what() << "\n";
    return kExitUsage;
  }
  const bool gva = addr_mode == "gva" || (addr_mode == "auto" && src->addr_kind() == trace::AddrKind::GuestVirtual);
  pc.scheme = gva ? "nested" : "stage2";

  std::string error;
  auto platform = FunctionalPlatform::create(pc, error);
  if (!platform) {
    std::cerr << "nptsim export-image: " << error << "\n";
    return kExitUsage;
  }
  // The Bochs harness runs its code from a page of the guest's (IMAGE.md §2 stub_gva/stub_gpa):
  // touch it first so that the guest (and a lazy stage 2) map it, and never probe it.
  const bool stub = arch_image_stub_page(*arch);
  stub_gva &= ~uint64_t{0xFFF};
  if (stub && !pc.guest_tables() && stub_gva >= *ram_bytes) throw po::error("option '--stub-gva': with --addr gpa it must lie in guest RAM");
  if (stub) platform->access(0, stub_gva, AccessKind::Fetch);

  // Replay, keeping a seeded reservoir of touched addresses as probe candidates.
  std::mt19937_64 rng(seed);
  std::vector<Probe> pool;
  const size_t pool_cap = 4 * probes_n;
  uint64_t seen = 0, lo = UINT64_MAX, hi = 0;
  std::vector<trace::TraceRecord> batch(4096);
  try {
    while (size_t n = src->next(batch.data(), batch.size())) {
      for (size_t i = 0; i < n; ++i) {
        const trace::TraceRecord& r = batch[i];
        const AccessKind kind = access_kind(r.type);
        platform->access(0, r.addr, kind);
        if (stub && (r.addr & ~uint64_t{0xFFF}) == stub_gva) continue;
        lo = std::min(lo, r.addr);
        hi = std::max(hi, r.addr);
        const Probe p{0, kind == AccessKind::Write ? AccessKind::Write : AccessKind::Read, r.addr & ~uint64_t{7}};
        if (pool.size() < pool_cap) pool.push_back(p);
        else if (uint64_t j = rng() % (seen + 1); j < pool_cap) pool[j] = p;
        ++seen;
      }
    }
  } catch (const trace::TraceError& e) {
    std::cerr << "nptsim export-image: " << e.what() << "\n";
    return kExitUsage;
  }
  if (pool.empty()) {
    std::cerr << "nptsim export-image: the trace has no accesses to probe\n";
    return kExitUsage;
  }

  // Probes: 60% touched addresses, 25% anywhere in the touched span, 15% anywhere in guest RAM
  // and the device window (gpa) or the low 1 GiB of guest-virtual space (gva).
  ImageDir image;
  const uint64_t wide = pc.guest_tables() ? (uint64_t{1} << 30) : *ram_bytes + pc.layout.device_window_size;
  while (image.probes.size() < probes_n) {
    Probe p;
    const uint64_t pick = rng() % 100;
    if (pick < 60) p = pool[rng() % pool.size()];
    else {
      const uint64_t base = pick < 85 ? lo : 0, span = pick < 85 ? hi - lo + 1 : wide;
      p.addr = (base + rng() % span) & ~uint64_t{7};
      p.access = rng() % 3 == 0 ? AccessKind::Write : AccessKind::Read;
    }
    if (stub && (p.addr & ~uint64_t{0xFFF}) == stub_gva) continue;
    p.index = image.probes.size();
    image.probes.push_back(p);
  }

  const Stage1Regime* s1 = platform->guest_os() ? &platform->guest_os()->regime() : nullptr;
  auto regs = image_registers(*arch, platform->stage2_regime(), s1);
  if (!regs) {
    std::cerr << "nptsim export-image: " << regs.error().field << ": " << regs.error().message << "\n";
    return kExitUsage;
  }
  image.registers = *regs;
  DirectPteMemory direct(platform->memory_mut());
  if (stub) {
    uint64_t stub_gpa = stub_gva;
    if (s1) stub_gpa = walk_2d(*arch, GuestVirtAddr(stub_gva), AccessKind::Read, *s1, platform->stage2_regime(), direct).gpa.value();
    image.registers.params["stub_gva"] = stub_gva;
    image.registers.params["stub_gpa"] = stub_gpa & ~uint64_t{0xFFF};
  }
  auto setup = image_setup(image.registers);
  if (!setup) {
    std::cerr << "nptsim export-image: internal: the exported registers do not decode: " << setup.error().field << " "
              << setup.error().message << "\n";
    return kExitCheckFailed;
  }
  std::vector<Probe> walked = image.probes;
  if (stub) walked.push_back(Probe{walked.size(), AccessKind::Read, stub_gva});
  std::set<uint64_t> frames = frames_read_by(*setup, platform->memory(), walked);
  if (stub) {
    const WalkResult w = translate_probe(*setup, direct, Probe{0, AccessKind::Read, stub_gva});
    if (w.ok) frames.insert(w.hpa.value() & ~uint64_t{0xFFF});
  }
  image.segments = segments_of(frames, platform->memory());
  char notes[256];
  std::snprintf(notes, sizeof notes, "exported by nptsim export-image: %s, %s backend, %s, %s, seed %llu",
                to_string(*arch), to_string(*backend), pc.guest_tables() ? "guest tables over stage 2" : "stage 2 only",
                trace.empty() ? "built-in uniform stream" : trace.c_str(), static_cast<unsigned long long>(seed));
  auto written = write_image_dir(out, image, {"svpbmt", "svnapot", "svadu", "ept_execute_only", "ept_ad"},
                                 {"maxphyaddr", "vsstatus_sum", "vsstatus_mxr", "mstatus_mxr"}, notes);
  if (!written) {
    std::cerr << "nptsim export-image: " << written.error() << "\n";
    return kExitUsage;
  }
  std::cout << "wrote " << out << ": " << image.probes.size() << " probes, " << image.segments.size() << " segments ("
            << frames.size() << " frames), " << (pc.guest_tables() ? "two-dimensional" : "stage 2 only") << "\n";
  return kExitOk;
}

}  // namespace nptsim::cli
