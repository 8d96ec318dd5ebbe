// The default guest of nptsim's jobs: guest RAM at GPA 0 with one backend, an unmapped device
// window above it, in an address space as wide as the nested table translates.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "models/core/addrspace/address_space.h"

namespace nptsim {

enum class RamBackend { Linear, Alloc, Lazy };
const char* to_string(RamBackend b);
std::optional<RamBackend> parse_ram_backend(const std::string& s);

struct GuestLayoutConfig {
  uint64_t ram_bytes = uint64_t{4} << 30;           // guest RAM size, at GPA 0
  RamBackend backend = RamBackend::Linear;
  uint64_t linear_hpa = uint64_t{0x40} << 32;       // HPA of guest RAM for the linear backend
  uint64_t device_window_bytes = uint64_t{16} << 20;  // unmapped, right above RAM
  uint64_t frame_pool_hpa = uint64_t{0x10} << 32;     // host frames for tables and Alloc data
  uint64_t frame_pool_frames = uint64_t{1} << 22;     // 16 GiB of 4 KiB frames
};

// A guest and the host resources it lives in. Members are destroyed in reverse order, so the
// address space gives its frames back before the allocator and memory go.
struct GuestInstance {
  GuestLayoutConfig layout;
  FreeListFrameAllocator frames;
  PhysMem mem;
  std::unique_ptr<AddrSpace> space;

  explicit GuestInstance(const GuestLayoutConfig& l)
      : layout(l), frames(HostPhysAddr(l.frame_pool_hpa), l.frame_pool_frames) {}
  GuestPhysAddrRange device_window() const {
    return {GuestPhysAddr(layout.ram_bytes), GuestPhysAddr(layout.ram_bytes + layout.device_window_bytes)};
  }
};

// Builds the guest, or explains in `error` why it cannot (e.g. RAM larger than the table's
// input range, RAM not 4 KiB-aligned, frame pool exhausted).
std::unique_ptr<GuestInstance> build_default_guest(const Stage2Config& cfg,
                                                   const GuestLayoutConfig& layout,
                                                   std::string& error);

}  // namespace nptsim
