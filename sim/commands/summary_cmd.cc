// nptsim summary: the default guest address space on each architecture, built by AddrSpace into
// simulated host memory, described: areas, tables, leaves, frames and sample translations.
#include <array>
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <map>

#include "models/core/common/size_parse.h"
#include "models/core/platform/functional_platform.h"
#include "sim/commands/commands.h"
#include "sim/commands/options.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

struct SummaryOptions {
  std::vector<Arch> archs;
  int levels = 4;
  GeometryMode mode = GeometryMode::Crate;
  uint64_t ram_bytes = uint64_t{4} << 30;
  BackendKind backend = BackendKind::Linear;
};

std::string hex_or(const AxResult<std::optional<HostPhysAddr>>& r, const char* absent) {
  if (!r.ok()) return std::string("error: ") + r.error().reason;
  return *r ? "HPA " + to_hex((*r)->value()) : absent;
}

void print_guest(const Stage2Config& cfg, FunctionalPlatform& g, std::ostream& out) {
  AddrSpace& as = g.space_mut();
  const AnyPageTable& pt = *as.page_table();
  std::map<int, size_t> tables_per_depth;
  size_t tables = 0;
  pt.for_each_table([&](HostPhysAddr, int depth) {
    ++tables_per_depth[depth];
    ++tables;
  });
  std::map<PageSize, size_t> leaves;
  pt.for_each_leaf([&](GuestPhysAddr, const Mapping& m) { ++leaves[m.size]; });

  out << "== " << to_string(cfg.arch) << ": " << pt.format_name() << ", " << cfg.levels
      << " levels, " << to_string(cfg.mode) << " geometry (root "
      << format_size(pt.geometry().root_bytes()) << " at " << to_hex(as.page_table_root().value())
      << ", " << pt.geometry().input_bits() << "-bit GPA)\n";
  out << "  address space  [" << to_hex(as.base().value()) << ", " << to_hex(as.end().value())
      << ")\n";
  for (const auto& [start, area] : as.areas().areas()) {
    out << "  area           [" << to_hex(area.start().value()) << ", "
        << to_hex(area.end().value()) << ") " << format_size(area.size()) << " "
        << backend_kind(area.backend) << " " << area.flags.to_string() << "\n";
  }
  const GuestLayout& layout = g.config().layout;
  const GuestPhysAddrRange dev{GuestPhysAddr(layout.device_window_gpa),
                               GuestPhysAddr(layout.device_window_gpa + layout.device_window_size)};
  out << "  device window  [" << to_hex(dev.start.value()) << ", " << to_hex(dev.end.value())
      << ") unmapped: accesses are MMIO exits\n";
  out << "  tables         " << tables << " (";
  for (const auto& [depth, n] : tables_per_depth) {
    out << (depth ? ", " : "") << "depth " << depth << ": " << n;
  }
  out << ")\n";
  out << "  leaves         4K: " << leaves[PageSize::Size4K] << ", 2M: " << leaves[PageSize::Size2M]
      << ", 1G: " << leaves[PageSize::Size1G] << "\n";

  // Sample translations; on a lazy guest, a nested page fault first populates the page.
  const uint64_t ram = layout.device_window_gpa;  // RAM ends where the device window starts
  const std::array<uint64_t, 4> samples = {0x1234, ram / 2 + 0x5678, ram - 8, ram + 0x100};
  for (uint64_t gpa : samples) {
    const GuestPhysAddr a(gpa);
    std::string line = hex_or(as.translate(a), "not mapped");
    if (line == "not mapped" && as.areas().find(a)) {
      const bool ok = as.handle_page_fault(a, MappingFlags(MappingFlags::READ));
      line += ok ? " -> nested fault handled -> " + hex_or(as.translate(a), "not mapped")
                 : " -> nested fault not handled";
    } else if (line == "not mapped") {
      line += " (outside every area)";
    }
    char head[64];
    std::snprintf(head, sizeof head, "  translate      GPA %-14s ", to_hex(gpa).c_str());
    out << head << line << "\n";
  }
  const FrameStats& st = g.frames().stats();
  out << "  host frames    " << st.allocs << " allocated, " << st.deallocs << " freed, "
      << st.outstanding() << " live (" << format_size(st.outstanding() * kFrameBytes)
      << "); simulated memory touched: " << g.memory().touched_frames() << " frames\n";
}

}  // namespace

int summary_main(const Args& args) {
  SummaryOptions o;
  std::string arch = "all", geometry = "crate", backend = "linear", ram = "4GiB";
  po::options_description opts(
      "Usage: nptsim summary [OPTIONS]\n\n"
      "Builds the default guest (RAM at GPA 0 with one backend, an unmapped device window\n"
      "above it) with nptsim's AddrSpace on each architecture and describes the nested page\n"
      "tables it wrote: areas, tables per level, leaves per size, host frames, and a few\n"
      "translations (on a lazy guest, each first takes a nested page fault).\n\nOptions");
  opts.add_options()("help,h", "show this help")("arch", po::value(&arch)->default_value(arch),
                                                 "x86_64, aarch64, riscv64 or all")(
      "levels", po::value(&o.levels)->default_value(o.levels),
      "nested table levels: 3 or 4 (x86_64: 4; 5 with --geometry hardware)")(
      "geometry", po::value(&geometry)->default_value(geometry),
      "crate (axaddrspace's tables) or hardware (16 KiB Sv39x4/Sv48x4 root, concatenated "
      "AArch64 roots, 5-level EPT)")("guest-ram", po::value(&ram)->default_value(ram),
                                     "guest RAM size, e.g. 512MiB, 4GiB")(
      "backend", po::value(&backend)->default_value(backend),
      "guest RAM backend: linear (fixed offset), alloc (eager frames) or lazy (frames on "
      "nested page faults)");
  po::variables_map vm;
  if (!parse_options(args, opts, vm)) return kExitOk;
  if (arch == "all") {
    o.archs.assign(std::begin(kAllArchs), std::end(kAllArchs));
  } else if (auto a = parse_arch(arch)) {
    o.archs = {*a};
  } else {
    std::cerr << "nptsim summary: option '--arch': unknown architecture '" << arch
              << "' (x86_64, aarch64, riscv64 or all)\n";
    return kExitUsage;
  }
  auto mode = parse_geometry_mode(geometry);
  if (!mode) {
    std::cerr << "nptsim summary: option '--geometry': expected crate or hardware, got '"
              << geometry << "'\n";
    return kExitUsage;
  }
  o.mode = *mode;
  auto b = parse_backend_kind(backend);
  if (!b) {
    std::cerr << "nptsim summary: option '--backend': expected linear, alloc or lazy, got '"
              << backend << "'\n";
    return kExitUsage;
  }
  o.backend = *b;
  auto bytes = parse_size(ram);
  if (!bytes) {
    std::cerr << "nptsim summary: option '--guest-ram': not a size: '" << ram
              << "' (e.g. 4GiB, 512M, 0x40000000)\n";
    return kExitUsage;
  }
  o.ram_bytes = *bytes;

  std::cout << "nptsim summary: guest RAM " << format_size(o.ram_bytes) << " at GPA 0x0, "
            << to_string(o.backend) << " backend";
  if (o.backend == BackendKind::Linear) std::cout << " at HPA " << to_hex(kDefaultLinearHpa);
  std::cout << "\n\n";
  int status = kExitOk;
  for (Arch a : o.archs) {
    Stage2Config cfg{a, o.levels, o.mode, 0};
    std::string error;
    PlatformConfig pc;
    pc.stage2 = cfg;
    pc.layout = default_layout(o.ram_bytes, o.backend);
    auto guest = FunctionalPlatform::create(pc, error);
    if (!guest) {
      std::cerr << "nptsim summary: " << to_string(a) << ": " << error << "\n";
      status = kExitUsage;
      continue;
    }
    print_guest(cfg, *guest, std::cout);
    std::cout << "\n";
  }
  return status;
}

}  // namespace nptsim::cli
