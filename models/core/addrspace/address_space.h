// AddrSpace: a guest's physical address space, areas plus one nested page table, with the exact
// semantics of axaddrspace v0.3.0 (spec §3). Where the crate panics, methods return
// AxError::Panic; the object stays usable and destructible.
//
// Errors: the crate's NestedPageTable collapses every paging error of map/unmap into BadState
// (spec §2), so apart from new_empty no method reports NoMemory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "models/core/addrspace/memory_set.h"
#include "models/core/arch/arch_registry.h"

namespace nptsim {

using AxStatus = Result<void, AxStatusError>;
template <class T>
using AxResult = Result<T, AxStatusError>;

// One host-contiguous piece of a guest buffer (translated_byte_buffer).
struct HostSlice {
  HostPhysAddr hpa;
  uint64_t len = 0;
};

class AddrSpace {
 public:
  // new_empty(level, base, size): Panic if base+size overflows; InvalidInput if the format does
  // not support `cfg.levels` levels in `cfg.mode`; NoMemory if the root frame is refused.
  // `hal` must outlive the address space.
  static AxResult<std::unique_ptr<AddrSpace>> new_empty(const Stage2Config& cfg, GuestPhysAddr base,
                                                        uint64_t size, Hal hal);
  ~AddrSpace();
  AddrSpace(const AddrSpace&) = delete;
  AddrSpace& operator=(const AddrSpace&) = delete;

  GuestPhysAddr base() const { return range_.start; }
  GuestPhysAddr end() const { return range_.end; }
  uint64_t size() const { return range_.size(); }
  const Stage2Config& config() const { return cfg_; }
  const MemorySet& areas() const { return areas_; }
  // The nested table; nullptr after teardown().
  const AnyPageTable* page_table() const { return pt_.get(); }
  HostPhysAddr page_table_root() const { return root_; }

  // Whether [start, start+size) lies in the address space; Panic if start+size overflows.
  AxResult<bool> contains_range(GuestPhysAddr start, uint64_t size) const;
  // Spec §3.2: range check, 4 KiB alignment of gpa, hpa and size, then the area is inserted with
  // backend Linear{gpa - hpa} (InvalidInput for size 0, AlreadyExists, BadState).
  AxStatus map_linear(GuestPhysAddr gpa, HostPhysAddr hpa, uint64_t size, MappingFlags flags);
  // Spec §3.3: as map_linear, backend Alloc{populate}.
  AxStatus map_alloc(GuestPhysAddr gpa, uint64_t size, MappingFlags flags, bool populate);
  // Spec §3.4: unmapping holes is not an error.
  AxStatus unmap(GuestPhysAddr gpa, uint64_t size);
  // Spec §3.5: unmaps every area; tables stay until teardown. Panic on any backend failure.
  AxStatus clear();
  // Spec §3.7: true only when a lazy Alloc area got a frame for `gpa`. `work`, when given,
  // receives what the handling did (nptsim's cost accounting; the result is the crate's).
  bool handle_page_fault(GuestPhysAddr gpa, MappingFlags access, FaultWork* work = nullptr);
  // nptsim's extension, not in the crate: map_linear / map_alloc with a backend under a
  // hypervisor policy (a capped LinearBackend, a PolicyAllocBackend; addrspace/policy_backend.h).
  // Checks and errors as map_alloc.
  AxStatus map_area(GuestPhysAddr gpa, uint64_t size, MappingFlags flags, const Backend& backend);
  // nptsim's extensions for hypervisor events (platform/platform_events.cc), not in the crate:
  // the table, to change leaves directly, and the areas' flags.
  AnyPageTable* page_table_mut() { return pt_.get(); }
  void set_area_flags(GuestPhysAddr gpa, uint64_t size, MappingFlags flags, uint32_t mask) {
    areas_.set_flags(gpa, size, flags, mask);
  }
  // Host frames handed out so far (tables and data), from the HAL's allocator.
  const FrameStats& frame_stats() const;
  // Spec §3.8: the page table alone decides (areas are not consulted).
  AxResult<std::optional<HostPhysAddr>> translate(GuestPhysAddr gpa) const;
  // Spec §3.9: the limit is the size of the whole area containing gpa.
  AxResult<std::optional<std::pair<HostPhysAddr, uint64_t>>> translate_and_get_limit(
      GuestPhysAddr gpa) const;
  // Spec §3.10: nothing if gpa is in no area or len exceeds the area's size; Panic when a page
  // on the way is not present.
  AxResult<std::optional<std::vector<HostSlice>>> translated_byte_buffer(GuestPhysAddr gpa,
                                                                         uint64_t len) const;
  // The crate's drop: clear(), then every table frame in post-order and the root. After success
  // the address space is empty and holds no frames. Idempotent; the destructor calls it and
  // ignores a failure.
  AxStatus teardown();

 private:
  AddrSpace(const Stage2Config& cfg, GuestPhysAddrRange range, Hal hal,
            std::unique_ptr<AnyPageTable> pt);
  BackendContext ctx(FaultWork* work = nullptr) { return {pt_.get(), hal_.frames, work}; }
  AxStatus check_range_aligned(GuestPhysAddr gpa, uint64_t size, bool extra_aligned) const;
  AxResult<std::optional<Mapping>> query(GuestPhysAddr gpa) const;

  Stage2Config cfg_;
  GuestPhysAddrRange range_;
  Hal hal_;
  std::unique_ptr<AnyPageTable> pt_;
  HostPhysAddr root_;
  MemorySet areas_;
};

}  // namespace nptsim
