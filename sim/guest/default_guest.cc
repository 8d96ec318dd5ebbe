#include "sim/guest/default_guest.h"

#include "sim/util/size_parse.h"

namespace nptsim {

const char* to_string(RamBackend b) {
  switch (b) {
    case RamBackend::Linear: return "linear";
    case RamBackend::Alloc: return "alloc";
    case RamBackend::Lazy: return "lazy";
  }
  return "?";
}

std::optional<RamBackend> parse_ram_backend(const std::string& s) {
  if (s == "linear") return RamBackend::Linear;
  if (s == "alloc") return RamBackend::Alloc;
  if (s == "lazy") return RamBackend::Lazy;
  return std::nullopt;
}

std::unique_ptr<GuestInstance> build_default_guest(const Stage2Config& cfg,
                                                   const GuestLayoutConfig& layout,
                                                   std::string& error) {
  auto geometry = stage2_geometry(cfg);
  if (!geometry) {
    error = std::string(to_string(cfg.arch)) + " has no " + std::to_string(cfg.levels) +
            "-level stage-2 table in " + to_string(cfg.mode) + " geometry";
    return nullptr;
  }
  const unsigned bits = geometry->input_bits();
  const uint64_t space = bits >= 64 ? ~uint64_t{0} : uint64_t{1} << bits;
  if (layout.ram_bytes == 0 || !is_aligned_4k(layout.ram_bytes)) {
    error = "guest RAM size must be a non-zero multiple of 4 KiB";
    return nullptr;
  }
  if (layout.ram_bytes + layout.device_window_bytes > space) {
    error = "guest RAM of " + format_size(layout.ram_bytes) + " plus the device window does not fit in the " +
            std::to_string(bits) + "-bit guest-physical space of this table";
    return nullptr;
  }
  auto g = std::make_unique<GuestInstance>(layout);
  auto as = AddrSpace::new_empty(cfg, GuestPhysAddr(0), space, Hal{&g->frames, &g->mem});
  if (!as.ok()) {
    error = std::string("cannot create the address space: ") + as.error().reason;
    return nullptr;
  }
  g->space = std::move(as.value());
  const MappingFlags rwx(MappingFlags::READ | MappingFlags::WRITE | MappingFlags::EXECUTE |
                         MappingFlags::USER);
  AxStatus st;
  switch (layout.backend) {
    case RamBackend::Linear:
      st = g->space->map_linear(GuestPhysAddr(0), HostPhysAddr(layout.linear_hpa), layout.ram_bytes, rwx);
      break;
    case RamBackend::Alloc:
    case RamBackend::Lazy:
      st = g->space->map_alloc(GuestPhysAddr(0), layout.ram_bytes, rwx,
                               layout.backend == RamBackend::Alloc);
      break;
  }
  if (!st.ok()) {
    error = std::string("cannot map guest RAM (") + to_string(st.error().code) + "): " +
            st.error().reason;
    if (layout.backend == RamBackend::Alloc) error += " (is the host frame pool large enough?)";
    return nullptr;
  }
  return g;
}

}  // namespace nptsim
