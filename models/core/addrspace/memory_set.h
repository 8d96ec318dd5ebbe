// MemoryArea and MemorySet of memory_set 0.4.1 (spec §4), with axaddrspace's Backend.
//
// Areas are keyed by start in an ordered map; adjacent areas are never merged. Where the crate
// panics (an unwrap of a backend failure while removing a whole area), the operation returns
// MappingError::Panic with the bookkeeping as far as it got.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "models/core/addrspace/backend.h"

namespace nptsim {

struct MemoryArea {
  GuestPhysAddrRange range;
  MappingFlags flags;
  Backend backend;

  GuestPhysAddr start() const { return range.start; }
  GuestPhysAddr end() const { return range.end; }
  uint64_t size() const { return range.size(); }
};

class MemorySet {
 public:
  using Areas = std::map<uint64_t, MemoryArea>;

  const Areas& areas() const { return areas_; }
  size_t len() const { return areas_.size(); }
  bool empty() const { return areas_.empty(); }
  // The area containing `a`, if any.
  const MemoryArea* find(GuestPhysAddr a) const;
  // Whether `r` overlaps the last area starting before r.start or the first one at/after it.
  bool overlaps(const GuestPhysAddrRange& r) const;

  // Inserts `area` after its backend mapped it: InvalidParam for an empty range, AlreadyExists on
  // overlap, BadState (area not recorded, nothing rolled back) if the backend fails.
  MapStatus map(MemoryArea area, BackendContext ctx);
  // Removes [start, start+size): whole areas first, then shrinks or splits the areas crossing
  // either boundary (spec §4.3). InvalidParam on overflow; an empty range is a no-op.
  MapStatus unmap(GuestPhysAddr start, uint64_t size, BackendContext ctx);
  // nptsim extension (not in memory_set): sets the flag bits `mask` of every area inside [start,
  // start+size) to those of `flags` (other bits kept), first splitting the areas that cross
  // either boundary in two (same backend; no page-table change: the caller rewrites the leaves).
  // Holes are skipped.
  void set_flags(GuestPhysAddr start, uint64_t size, MappingFlags flags, uint32_t mask);
  // Backend-unmaps every area in order and empties the set; stops at the first failure.
  MapStatus clear(BackendContext ctx);

 private:
  // Splits the area containing `at` (not at its start) into [start, at) and [at, end).
  void split_at(GuestPhysAddr at);
  Areas areas_;
};

}  // namespace nptsim
