// nptsim export-image --out DIR: a configured guest (after an optional trace has run, so lazily
// faulted pages and guest demand paging are in) written as an oracle image (IMAGE.md) with a
// seeded set of probes, so the emulators can check the tables nptsim built itself.
#include <boost/program_options.hpp>
#include <iostream>
#include <random>

#include "models/core/arch/arch_images.h"
#include "models/core/common/size_parse.h"
#include "models/core/image/image_export.h"
#include "models/core/platform/functional_platform.h"
#include "models/sysc/trace_mapping.h"
#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/image/image_files.h"
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
    if (segs.empty() || segs.back().hpa + segs.back().bytes.size() != f)
      segs.push_back(Segment{f, {}});
    Segment& s = segs.back();
    const size_t at = s.bytes.size();
    s.bytes.resize(at + 4096);
    mem.read(HostPhysAddr(f), s.bytes.data() + at, 4096);
  }
  return segs;
}

// The command's options as given, and (filled by parse_export_options) what they stand for.
struct ExportOptions {
  std::string out, arch_name = "x86_64", backend_name = "lazy", trace, addr_mode = "auto";
  std::string ram = "16MiB", host_base_text = "auto", guest_huge = "off";
  int levels = 0, guest_levels = 0;
  uint64_t probes_n = 200, seed = 1, workload_count = 20000, stub_gva = 0x7000;
  Arch arch = Arch::X86_64;
  BackendKind backend = BackendKind::Lazy;
  uint64_t ram_bytes = 0, host_base = 0;
  bool stub = false;  // the architecture's harness runs from a guest page (arch_image_stub_page)
};

const char* const kUsage =
    "Usage: nptsim export-image --out DIR [OPTIONS]\n\n"
    "Builds a guest as `nptsim run` does (AddrSpace stage 2, and with --addr gva the guest OS's\n"
    "own tables in guest memory), replays a trace through it functionally (so lazily faulted\n"
    "pages and demand-paged guest mappings exist), then writes an oracle test image\n"
    "(shared/oracles/IMAGE.md): regime.json from the simulated registers, a seeded set of\n"
    "probes (mostly addresses the trace touched, the rest unmapped or never-faulted ones), and\n"
    "as segments every host frame the probes' walks read. Host memory is placed where the\n"
    "architecture's emulator has RAM (--host-base). Check it with `nptsim translate --image DIR`\n"
    "and the emulators in tests/oracles.\n\nOptions";

po::options_description export_options(ExportOptions& o) {
  po::options_description d(kUsage);
  d.add_options()("help,h", "show this help")("out", po::value(&o.out),
                                              "the image directory to write")(
      "arch", po::value(&o.arch_name)->default_value(o.arch_name), "x86_64, aarch64 or riscv64")(
      "backend", po::value(&o.backend_name)->default_value(o.backend_name),
      "guest RAM backend: linear, alloc or lazy")(
      "levels", po::value(&o.levels), "stage-2 levels (default: x86_64 4, aarch64 3, riscv64 3)")(
      "addr", po::value(&o.addr_mode)->default_value(o.addr_mode),
      "gva (guest page tables over stage 2), gpa (stage 2 only), or auto (from the trace; gva "
      "without one)")("guest-levels", po::value(&o.guest_levels),
                      "levels of the guest's tables (default: x86_64 4, others 3)")(
      "guest-huge", po::value(&o.guest_huge)->default_value(o.guest_huge),
      "on: the guest maps 2 MiB pages where it can")(
      "guest-ram", po::value(&o.ram)->default_value(o.ram), "guest RAM at GPA 0")(
      "trace", po::value(&o.trace),
      "replay this trace first (default: a uniform stream, --workload-count accesses)")(
      "workload-count", po::value(&o.workload_count)->default_value(o.workload_count),
      "accesses of the built-in stream")(
      "probes", po::value(&o.probes_n)->default_value(o.probes_n), "number of probes")(
      "seed", po::value(&o.seed)->default_value(o.seed),
      "seed of the built-in stream and the probe choice")(
      "host-base", po::value(&o.host_base_text)->default_value(o.host_base_text),
      "host address of the frame pool (guest RAM + 8 MiB; linear guest RAM follows it); auto = "
      "the emulator's RAM")(
      "stub-gva", po::value(&o.stub_gva)->default_value(o.stub_gva),
      "x86_64: a page mapped for the Bochs harness's code, never probed (a GVA; with --addr gpa "
      "a GPA)");
  return d;
}

// Parses and checks the options into `o`. False when --help was asked for (after printing the
// help); bad options throw po::error.
bool parse_export_options(const Args& args, ExportOptions& o) {
  const po::options_description opts = export_options(o);
  po::variables_map vm;
  if (!parse_options(args, opts, vm)) return false;
  if (o.out.empty()) throw po::error("the option '--out' is required (try --help)");
  auto arch = parse_arch(o.arch_name);
  if (!arch) {
    throw po::error("option '--arch': unknown architecture '" + o.arch_name +
                    "' (x86_64, aarch64, riscv64)");
  }
  auto backend = parse_backend_kind(o.backend_name);
  if (!backend) {
    throw po::error("option '--backend': expected linear, alloc or lazy, got '" + o.backend_name +
                    "'");
  }
  if (o.addr_mode != "auto" && o.addr_mode != "gva" && o.addr_mode != "gpa") {
    throw po::error("option '--addr': expected auto, gva or gpa");
  }
  if (o.guest_huge != "on" && o.guest_huge != "off") {
    throw po::error("option '--guest-huge': expected on or off");
  }
  if (o.probes_n == 0 || o.probes_n > 100000) {
    throw po::error("option '--probes': must be 1..100000");
  }
  auto ram_bytes = parse_size(o.ram);
  if (!ram_bytes || *ram_bytes == 0 || *ram_bytes % 0x20'0000 || *ram_bytes > (uint64_t{1} << 30)) {
    throw po::error(
        "option '--guest-ram': a multiple of 2 MiB up to 1 GiB (the image must fit the emulator's "
        "RAM)");
  }
  o.host_base = arch_image_host_base(*arch);
  if (o.host_base_text != "auto") {
    auto h = parse_size(o.host_base_text);
    if (!h || *h % 0x20'0000) {
      throw po::error("option '--host-base': a 2 MiB-aligned address or auto");
    }
    o.host_base = *h;
  }
  o.arch = *arch;
  o.backend = *backend;
  o.ram_bytes = *ram_bytes;
  o.stub = arch_image_stub_page(o.arch);
  o.stub_gva &= ~uint64_t{0xFFF};
  return true;
}

// The guest (translation scheme still unset: it depends on the trace), with the frame pool at
// the host base and the areas' host memory after it.
PlatformConfig platform_config(const ExportOptions& o) {
  PlatformConfig pc;
  pc.stage2 = Stage2Config{o.arch, o.levels ? o.levels : default_stage2_levels(o.arch),
                           GeometryMode::Hardware, 0};
  pc.layout = default_layout(o.ram_bytes, o.backend);
  const uint64_t pool_bytes = o.ram_bytes + kPoolSlack;
  pc.layout.frame_pool_hpa = o.host_base;
  pc.layout.frame_pool_frames = pool_bytes / 4096;
  for (AreaSpec& a : pc.layout.areas) a.hpa = o.host_base + pool_bytes + a.gpa;
  pc.guest.levels = o.guest_levels ? o.guest_levels : default_stage1_levels(o.arch);
  pc.guest.huge_pages = o.guest_huge == "on";
  // Hardware A/D at both stages: the one policy every emulator implements (QEMU's RISC-V
  // G-stage always updates A/D, IMAGE.md §2).
  pc.stage2_controls.arm_hw_access_flag = pc.stage2_controls.riscv_hw_ad = pc.guest.hw_ad = true;
  return pc;
}

// --trace, or the built-in seeded uniform stream (guest-virtual unless --addr gpa).
trace::SourceFactory trace_source(const ExportOptions& o) {
  if (!o.trace.empty()) return trace::file_source(o.trace, std::nullopt);
  trace::GenConfig g;
  g.pattern = trace::Pattern::Uniform;
  g.count = o.workload_count;
  g.seed = o.seed;
  g.write_ratio = 0.3;
  const bool gva = o.addr_mode != "gpa";
  g.kind = gva ? trace::AddrKind::GuestVirtual : trace::AddrKind::GuestPhysical;
  g.base = gva ? 0x40'0000 : 0;
  g.footprint = gva ? std::min<uint64_t>(o.ram_bytes / 2, 8 << 20) : o.ram_bytes / 2;
  return trace::generator_source(g);
}

// What the replay touched (the stub page aside): a reservoir of probe candidates, and the
// lowest and highest address.
struct Touched {
  std::vector<Probe> pool;
  uint64_t lo = UINT64_MAX, hi = 0;
};

// An event of the replayed trace, applied as `run` applies it (docs/EVENTS.md): the image is
// the guest after the trace, mappings, permissions and freed frames included. An event the
// address space refuses is a TraceError naming the record.
void apply_event(FunctionalPlatform& platform, const ExportOptions& o, uint64_t index,
                 const trace::TraceRecord& r) {
  std::string error;
  platform.event(0, guest_event(r), error);
  if (error.empty()) return;
  throw trace::TraceError((o.trace.empty() ? std::string("the built-in stream") : o.trace) + ": " +
                          record_error(index, error));
}

// Replays `src` through the platform, keeping a seeded reservoir of touched addresses as probe
// candidates, applying its events. Throws trace::TraceError on a bad trace or a refused event.
Touched replay(trace::RecordSource& src, FunctionalPlatform& platform, const ExportOptions& o,
               std::mt19937_64& rng) {
  Touched t;
  const size_t pool_cap = 4 * o.probes_n;
  uint64_t seen = 0, index = 0;
  std::vector<trace::TraceRecord> batch(4096);
  while (size_t n = src.next(batch.data(), batch.size())) {
    for (size_t i = 0; i < n; ++i, ++index) {
      const trace::TraceRecord& r = batch[i];
      if (trace::is_event(r)) {
        apply_event(platform, o, index, r);
        continue;
      }
      const AccessKind kind = access_kind(r.type);
      platform.access(0, r.addr, kind);
      if (o.stub && (r.addr & ~uint64_t{0xFFF}) == o.stub_gva) continue;
      t.lo = std::min(t.lo, r.addr);
      t.hi = std::max(t.hi, r.addr);
      const AccessKind access = kind == AccessKind::Write ? AccessKind::Write : AccessKind::Read;
      const Probe p{0, access, r.addr & ~uint64_t{7}};
      if (t.pool.size() < pool_cap) {
        t.pool.push_back(p);
      } else if (uint64_t j = rng() % (seen + 1); j < pool_cap) {
        t.pool[j] = p;
      }
      ++seen;
    }
  }
  return t;
}

// Probes: 60% touched addresses, 25% anywhere in the touched span, 15% anywhere in guest RAM
// and the device window (gpa) or the low 1 GiB of guest-virtual space (gva). Never the stub
// page. `t.pool` is not empty.
std::vector<Probe> choose_probes(const ExportOptions& o, const PlatformConfig& pc, const Touched& t,
                                 std::mt19937_64& rng) {
  std::vector<Probe> probes;
  const uint64_t wide =
      pc.guest_tables() ? (uint64_t{1} << 30) : o.ram_bytes + pc.layout.device_window_size;
  while (probes.size() < o.probes_n) {
    Probe p;
    const uint64_t pick = rng() % 100;
    if (pick < 60) {
      p = t.pool[rng() % t.pool.size()];
    } else {
      const uint64_t base = pick < 85 ? t.lo : 0, span = pick < 85 ? t.hi - t.lo + 1 : wide;
      p.addr = (base + rng() % span) & ~uint64_t{7};
      p.access = rng() % 3 == 0 ? AccessKind::Write : AccessKind::Read;
    }
    if (o.stub && (p.addr & ~uint64_t{0xFFF}) == o.stub_gva) continue;
    p.index = probes.size();
    probes.push_back(p);
  }
  return probes;
}

// Prints "nptsim export-image: <what>" on stderr and returns `status`.
int fail(const std::string& what, int status = kExitUsage) {
  std::cerr << "nptsim export-image: " << what << "\n";
  return status;
}

// The image's registers from the platform's regimes, with the stub page's GVA and GPA when the
// architecture has one (IMAGE.md §2 stub_gva/stub_gpa). False, after the message, when the
// regimes do not fit the image format.
bool export_registers(const ExportOptions& o, FunctionalPlatform& platform, ImageDir& image) {
  const Stage1Regime* s1 = platform.guest_os() ? &platform.guest_os()->regime() : nullptr;
  auto regs = image_registers(o.arch, platform.stage2_regime(), s1);
  if (!regs) {
    fail(regs.error().field + ": " + regs.error().message);
    return false;
  }
  image.registers = *regs;
  if (o.stub) {
    uint64_t stub_gpa = o.stub_gva;
    DirectPteMemory direct(platform.memory_mut());
    if (s1) {
      stub_gpa = walk_2d(o.arch, GuestVirtAddr(o.stub_gva), AccessKind::Read, *s1,
                         platform.stage2_regime(), direct)
                     .gpa.value();
    }
    image.registers.params["stub_gva"] = o.stub_gva;
    image.registers.params["stub_gpa"] = stub_gpa & ~uint64_t{0xFFF};
  }
  return true;
}

// The host frames the image holds: every frame the walks of the probes (and of the stub page)
// read, and the stub page itself.
std::set<uint64_t> frames_to_export(const ExportOptions& o, const ImageSetup& setup,
                                    FunctionalPlatform& platform,
                                    const std::vector<Probe>& probes) {
  std::vector<Probe> walked = probes;
  if (o.stub) walked.push_back(Probe{walked.size(), AccessKind::Read, o.stub_gva});
  std::set<uint64_t> frames = frames_read_by(setup, platform.memory(), walked);
  if (o.stub) {
    DirectPteMemory direct(platform.memory_mut());
    const WalkResult w = translate_probe(setup, direct, Probe{0, AccessKind::Read, o.stub_gva});
    if (w.ok) frames.insert(w.hpa.value() & ~uint64_t{0xFFF});
  }
  return frames;
}

// Completes `image` (its probes chosen) from the platform and writes it to --out.
int write_image(const ExportOptions& o, const PlatformConfig& pc, FunctionalPlatform& platform,
                ImageDir& image) {
  if (!export_registers(o, platform, image)) return kExitUsage;
  auto setup = image_setup(image.registers);
  if (!setup) {
    return fail("internal: the exported registers do not decode: " + setup.error().field + " " +
                    setup.error().message,
                kExitCheckFailed);
  }
  const std::set<uint64_t> frames = frames_to_export(o, *setup, platform, image.probes);
  image.segments = segments_of(frames, platform.memory());
  char notes[256];
  std::snprintf(notes, sizeof notes,
                "exported by nptsim export-image: %s, %s backend, %s, %s, seed %llu",
                to_string(o.arch), to_string(o.backend),
                pc.guest_tables() ? "guest tables over stage 2" : "stage 2 only",
                o.trace.empty() ? "built-in uniform stream" : o.trace.c_str(),
                static_cast<unsigned long long>(o.seed));
  auto written =
      write_image_dir(o.out, image, {"svpbmt", "svnapot", "svadu", "ept_execute_only", "ept_ad"},
                      {"maxphyaddr", "vsstatus_sum", "vsstatus_mxr", "mstatus_mxr"}, notes);
  if (!written) return fail(written.error());
  std::cout << "wrote " << o.out << ": " << image.probes.size() << " probes, "
            << image.segments.size() << " segments (" << frames.size() << " frames), "
            << (pc.guest_tables() ? "two-dimensional" : "stage 2 only") << "\n";
  return kExitOk;
}

}  // namespace

int export_image_main(const Args& args) {
  ExportOptions o;
  if (!parse_export_options(args, o)) return kExitOk;
  PlatformConfig pc = platform_config(o);
  const trace::SourceFactory source = trace_source(o);
  std::unique_ptr<trace::RecordSource> src;
  try {
    src = source();
  } catch (const trace::TraceError& e) {
    return fail(e.what());
  }
  const bool gva = o.addr_mode == "gva" ||
                   (o.addr_mode == "auto" && src->addr_kind() == trace::AddrKind::GuestVirtual);
  pc.scheme = gva ? "nested" : "stage2";

  std::string error;
  auto platform = FunctionalPlatform::create(pc, error);
  if (!platform) return fail(error);
  // The Bochs harness runs its code from a page of the guest's (IMAGE.md §2 stub_gva/stub_gpa):
  // touch it first so that the guest (and a lazy stage 2) map it, and never probe it.
  if (o.stub && !pc.guest_tables() && o.stub_gva >= o.ram_bytes) {
    throw po::error("option '--stub-gva': with --addr gpa it must lie in guest RAM");
  }
  if (o.stub) platform->access(0, o.stub_gva, AccessKind::Fetch);

  std::mt19937_64 rng(o.seed);  // the reservoir of the replay, then the choice of probes
  Touched touched;
  try {
    touched = replay(*src, *platform, o, rng);
  } catch (const trace::TraceError& e) {
    return fail(e.what());
  }
  if (touched.pool.empty()) return fail("the trace has no accesses to probe");
  ImageDir image;
  image.probes = choose_probes(o, pc, touched, rng);
  return write_image(o, pc, *platform, image);
}

}  // namespace nptsim::cli
