// The guest-physical memory map a simulation builds with AddrSpace: areas with a backend
// (linear, alloc = eager, lazy) and flags. The default: RAM at GPA 0 with one backend, and an
// unmapped device window right above it (accesses there are unhandled faults, as MMIO exits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/core/common/addr.h"
#include "models/core/common/mapping_flags.h"

namespace nptsim {

enum class BackendKind : uint8_t { Linear, Alloc, Lazy };
const char* to_string(BackendKind b);
std::optional<BackendKind> parse_backend_kind(const std::string& s);

struct AreaSpec {
  uint64_t gpa = 0;
  uint64_t size = 0;
  BackendKind backend = BackendKind::Linear;
  MappingFlags flags{MappingFlags::READ | MappingFlags::WRITE | MappingFlags::EXECUTE |
                     MappingFlags::USER};
  uint64_t hpa = 0;  // linear only: where the area starts in host-physical memory
};

struct GuestLayout {
  std::vector<AreaSpec> areas;
  uint64_t device_window_gpa = 0, device_window_size = 0;  // reported, never mapped
  uint64_t frame_pool_hpa = uint64_t{0x10} << 32;          // host frames for tables and Alloc data
  uint64_t frame_pool_frames = uint64_t{1} << 22;          // 16 GiB
};

constexpr uint64_t kDefaultLinearHpa = uint64_t{0x40} << 32;  // 256 GiB: 1 GiB-aligned

// RAM of `ram_bytes` at GPA 0 with `backend` (linear at kDefaultLinearHpa), a 16 MiB device window.
GuestLayout default_layout(uint64_t ram_bytes, BackendKind backend);

// Nothing when the layout is usable inside a guest-physical space of `space_bytes`, else what is
// wrong (unaligned or empty areas, overlaps, areas beyond the space, linear areas over the frame
// pool).
std::optional<std::string> validate(const GuestLayout& l, uint64_t space_bytes);

}  // namespace nptsim
