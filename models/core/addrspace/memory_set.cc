#include "models/core/addrspace/memory_set.h"

#include <iterator>

namespace nptsim {

namespace {

MapStatus unmap_area(const MemoryArea& a, BackendContext ctx) {
  return backend_unmap(a.backend, ctx, a.start(), a.size());
}

// memory_set's shrink_right: unmaps [start+new_size, end) and moves end left; on failure the area
// keeps its range.
MapStatus shrink_right(MemoryArea& a, uint64_t new_size, BackendContext ctx) {
  auto r = backend_unmap(a.backend, ctx, a.start() + new_size, a.size() - new_size);
  if (!r.ok()) return r;
  a.range.end = a.range.start + new_size;
  return {};
}

// memory_set's shrink_left: unmaps [start, end-new_size) and moves start right.
MapStatus shrink_left(MemoryArea& a, uint64_t new_size, BackendContext ctx) {
  const uint64_t cut = a.size() - new_size;
  auto r = backend_unmap(a.backend, ctx, a.start(), cut);
  if (!r.ok()) return r;
  a.range.start = a.range.start + cut;
  return {};
}

}  // namespace

const MemoryArea* MemorySet::find(GuestPhysAddr a) const {
  auto it = areas_.upper_bound(a.value());
  if (it == areas_.begin()) return nullptr;
  --it;
  return it->second.range.contains(a) ? &it->second : nullptr;
}

bool MemorySet::overlaps(const GuestPhysAddrRange& r) const {
  auto after = areas_.lower_bound(r.start.value());
  if (after != areas_.begin() && std::prev(after)->second.range.overlaps(r)) return true;
  return after != areas_.end() && after->second.range.overlaps(r);
}

MapStatus MemorySet::map(MemoryArea area, BackendContext ctx) {
  if (area.range.is_empty()) return fail(MapError{MappingError::InvalidParam, "empty area"});
  if (overlaps(area.range)) return fail(MapError{MappingError::AlreadyExists, "overlaps an area"});
  auto r = backend_map(area.backend, ctx, area.start(), area.size(), area.flags);
  if (!r.ok()) return r;
  areas_.emplace(area.start().value(), std::move(area));
  return {};
}

MapStatus MemorySet::unmap(GuestPhysAddr start, uint64_t size, BackendContext ctx) {
  auto range = GuestPhysAddrRange::try_from_start_size(start, size);
  if (!range) return fail(MapError{MappingError::InvalidParam, "range overflows"});
  if (range->is_empty()) return {};
  const GuestPhysAddr end = range->end;

  // 1. Whole areas inside the range; a backend failure here is an unwrap panic in the crate.
  for (auto it = areas_.begin(); it != areas_.end();) {
    if (!it->second.range.contained_in(*range)) {
      ++it;
      continue;
    }
    auto r = unmap_area(it->second, ctx);
    if (!r.ok()) {
      return fail(MapError{MappingError::Panic,
                           r.error().code == MappingError::Panic
                               ? r.error().reason
                               : "backend failed to unmap a whole area (crate unwraps)"});
    }
    it = areas_.erase(it);
  }

  // 2. The area starting before `start` and reaching past it: shrink it, or split it in two.
  auto after = areas_.lower_bound(start.value());
  if (after != areas_.begin()) {
    MemoryArea& before = std::prev(after)->second;
    if (before.end() > start) {
      if (before.end() <= end) {
        auto r = shrink_right(before, start - before.start(), ctx);
        if (!r.ok()) return r;
      } else {
        MemoryArea right{{end, before.end()}, before.flags, before.backend};
        before.range.end = end;
        auto r = shrink_right(before, start - before.start(), ctx);
        if (!r.ok()) return r;  // the right part is lost, as in the crate
        areas_.emplace(end.value(), std::move(right));
      }
    }
  }

  // 3. The first area starting inside the range and reaching past its end: shrink its left part.
  after = areas_.lower_bound(start.value());
  if (after != areas_.end() && after->second.start() < end) {
    MemoryArea area = std::move(after->second);
    areas_.erase(after);
    auto r = shrink_left(area, area.end() - end, ctx);
    if (!r.ok()) return r;  // the area is dropped, as in the crate
    areas_.emplace(end.value(), std::move(area));
  }
  return {};
}

void MemorySet::split_at(GuestPhysAddr at) {
  auto it = areas_.upper_bound(at.value());
  if (it == areas_.begin()) return;
  MemoryArea& a = std::prev(it)->second;
  if (a.start() == at || !a.range.contains(at)) return;
  MemoryArea right{{at, a.end()}, a.flags, a.backend};
  a.range.end = at;
  areas_.emplace(at.value(), std::move(right));
}

void MemorySet::set_flags(GuestPhysAddr start, uint64_t size, MappingFlags flags, uint32_t mask) {
  const GuestPhysAddr end = start + size;
  split_at(start);
  split_at(end);
  for (auto it = areas_.lower_bound(start.value()); it != areas_.end() && it->second.start() < end;
       ++it)
    it->second.flags = MappingFlags((it->second.flags.bits() & ~mask) | (flags.bits() & mask));
}

MapStatus MemorySet::clear(BackendContext ctx) {
  for (auto& [start, area] : areas_) {
    auto r = unmap_area(area, ctx);
    if (!r.ok()) return r;
  }
  areas_.clear();
  return {};
}

}  // namespace nptsim
