// Mapping backends of axaddrspace (spec §5): Linear{offset} and Alloc{populate}.
//
// Each operation returns what memory_set's MappingBackend returns (a boolean: failure becomes
// BadState), except that a crate panic inside it comes back as MappingError::Panic.
#pragma once

#include <cstdint>
#include <variant>

#include "models/core/common/addr.h"
#include "models/core/common/errors.h"
#include "models/core/common/mapping_flags.h"
#include "models/core/common/result.h"
#include "models/core/pt/any_page_table.h"

namespace nptsim {

// hpa = gpa - pa_va_offset, modulo 2^64 (the crate's release-build arithmetic, spec §3.2).
// max_leaf: nptsim's extension (a hypervisor policy, not in the crate): the largest leaf the
// area may use; 0, the crate's behaviour, is any (map_region's 1G and 2M leaves where aligned).
struct LinearBackend {
  uint64_t pa_va_offset = 0;
  uint64_t max_leaf = 0;
  HostPhysAddr hpa_of(GuestPhysAddr gpa) const { return HostPhysAddr(gpa.value() - pa_va_offset); }
};

// populate: true = every page gets a frame at map time (eager); false = lazily, one frame per
// nested page fault.
struct AllocBackend {
  bool populate = false;
};

// nptsim's extension, not in the crate (spec §5 is unchanged; conformance never builds it): an
// Alloc area under a hypervisor policy (addrspace/policy_backend.h).
//   block:        the largest leaf backing it (4 KiB, 2 MiB or 1 GiB): a block-aligned part of
//                 the area gets one contiguous, aligned run of frames and one leaf when the host
//                 allocator has such a run, else smaller leaves.
//   fault_around: a nested fault maps the aligned window of this many 4 KiB pages around the
//                 faulting page (at least one block), clipped to the area.
//   prefault:     the first nested fault in the area maps all of it.
// A lazy area maps nothing up front (no placeholder leaves): its pages fault as not present.
struct PolicyAllocBackend {
  bool populate = false;
  uint64_t block = 0x1000;
  uint64_t fault_around = 1;
  bool prefault = false;
};

using Backend = std::variant<LinearBackend, AllocBackend, PolicyAllocBackend>;

const char* backend_kind(const Backend& b);  // "linear", "alloc" or "lazy"
// Whether an Alloc backend (the crate's or a policy's) gives every page a frame at map time.
bool backend_populates(const Backend& b);

// What a nested fault's handler did, for its cost (nptsim's accounting, not the crate's): leaf
// entries written, allocator requests and frames for data (each frame zeroed). Table frames come
// from the allocator's counters.
struct FaultWork {
  uint64_t leaves = 0;
  uint64_t data_allocs = 0;
  uint64_t data_frames = 0;
};

// What a backend needs: the nested table and the HAL that owns its frames; `work`, when given,
// receives what a fault's handling did.
struct BackendContext {
  AnyPageTable* pt = nullptr;
  FrameAllocator* frames = nullptr;
  FaultWork* work = nullptr;
};

using MapError = Error<MappingError>;
using MapStatus = Result<void, MapError>;

// A page-table result as a backend's: Panic stays Panic, any other error is BadState.
MapStatus map_status(const PtResult<void>& r);

// Spec §5.1-5.3. Linear: map_region with huge leaves. Alloc eager: per 4 KiB page a data frame
// first, then its tables. Alloc lazy: placeholder leaves with empty flags. Nothing is rolled back
// on failure.
MapStatus backend_map(const Backend& b, BackendContext ctx, GuestPhysAddr start, uint64_t size,
                      MappingFlags flags);
// Linear: unmap_region. Alloc: per 4 KiB page, free the frame of a present 4 KiB leaf; a huge
// leaf fails (after it was cleared); a non-present one is skipped.
MapStatus backend_unmap(const Backend& b, BackendContext ctx, GuestPhysAddr start, uint64_t size);
// Only a lazy Alloc area resolves a fault: one fresh frame remapped over the leaf covering gpa
// with the area's flags (no presence check; a refused frame or a failed remap gives false, and
// after a failed remap the frame leaks, spec §3.7). A lazy PolicyAllocBackend area maps its
// fault window (`area` is the area's range).
bool backend_handle_fault(const Backend& b, BackendContext ctx, GuestPhysAddr gpa,
                          MappingFlags area_flags, GuestPhysAddrRange area);

}  // namespace nptsim
