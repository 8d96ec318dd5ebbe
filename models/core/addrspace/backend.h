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
struct LinearBackend {
  uint64_t pa_va_offset = 0;
  HostPhysAddr hpa_of(GuestPhysAddr gpa) const { return HostPhysAddr(gpa.value() - pa_va_offset); }
};

// populate: true = every page gets a frame at map time (eager); false = lazily, one frame per
// nested page fault.
struct AllocBackend {
  bool populate = false;
};

using Backend = std::variant<LinearBackend, AllocBackend>;

const char* backend_kind(const Backend& b);  // "linear", "alloc" or "lazy"

// What a backend needs: the nested table and the HAL that owns its frames.
struct BackendContext {
  AnyPageTable* pt = nullptr;
  FrameAllocator* frames = nullptr;
};

using MapError = Error<MappingError>;
using MapStatus = Result<void, MapError>;

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
// after a failed remap the frame leaks, spec §3.7).
bool backend_handle_fault(const Backend& b, BackendContext ctx, GuestPhysAddr gpa,
                          MappingFlags area_flags);

}  // namespace nptsim
