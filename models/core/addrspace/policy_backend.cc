#include "models/core/addrspace/policy_backend.h"

#include <algorithm>

namespace nptsim {

namespace {

// The next smaller leaf size (2M below 1G, 4K below 2M).
uint64_t smaller(uint64_t leaf) { return leaf == kPageSize1G ? kPageSize2M : kPageSize4K; }

// The largest leaf (at most `block`) that can start at `a` and end by `end`.
uint64_t largest_leaf(uint64_t a, uint64_t end, uint64_t block) {
  for (uint64_t leaf : {kPageSize1G, kPageSize2M}) {
    if (leaf <= block && a % leaf == 0 && end - a >= leaf) return leaf;
  }
  return kPageSize4K;
}

bool has_leaf(const AnyPageTable& pt, uint64_t a) { return pt.query(GuestPhysAddr(a)).ok(); }

bool wholly_free(const AnyPageTable& pt, uint64_t a, uint64_t len) {
  for (uint64_t off = 0; off < len; off += kPageSize4K) {
    if (has_leaf(pt, a + off)) return false;
  }
  return true;
}

// Maps one leaf of `leaf` bytes at `a` to fresh frames. False (nothing left behind) when the
// allocator has no aligned run for it or the format has no such leaf here.
bool map_leaf(BackendContext ctx, uint64_t a, uint64_t leaf, MappingFlags flags) {
  const size_t frames = static_cast<size_t>(leaf / kPageSize4K);
  auto hpa = ctx.frames->alloc_frames(frames, leaf);
  if (!hpa) return false;
  if (!ctx.pt->map(GuestPhysAddr(a), *hpa, static_cast<PageSize>(leaf), flags).ok()) {
    ctx.frames->dealloc_frames(*hpa, frames);
    return false;
  }
  if (ctx.work) {
    ++ctx.work->leaves;
    ++ctx.work->data_allocs;
    ctx.work->data_frames += frames;
  }
  return true;
}

}  // namespace

MapStatus policy_fill(BackendContext ctx, GuestPhysAddr start, uint64_t size, MappingFlags flags,
                      uint64_t block) {
  const uint64_t end = start.value() + size;
  for (uint64_t a = start.value(); a < end;) {
    uint64_t leaf = largest_leaf(a, end, block);
    while (leaf > kPageSize4K &&
           !(wholly_free(*ctx.pt, a, leaf) && map_leaf(ctx, a, leaf, flags))) {
      leaf = smaller(leaf);
    }
    if (leaf == kPageSize4K && !has_leaf(*ctx.pt, a) && !map_leaf(ctx, a, leaf, flags))
      return fail(MapError{MappingError::BadState, "no frame for a policy-backed page"});
    a += leaf;
  }
  return {};
}

MapStatus policy_map(const PolicyAllocBackend& b, BackendContext ctx, GuestPhysAddr start,
                     uint64_t size, MappingFlags flags) {
  if (!b.populate) return {};
  return policy_fill(ctx, start, size, flags, b.block);
}

MapStatus policy_unmap(BackendContext ctx, GuestPhysAddr start, uint64_t size) {
  const uint64_t end = start.value() + size;
  for (uint64_t a = start.value(); a < end;) {
    auto r = ctx.pt->unmap(GuestPhysAddr(a));
    if (!r.ok()) {
      if (r.error().code == PagingError::Panic) return map_status(fail(r.error()));
      a += kPageSize4K;  // no leaf here
      continue;
    }
    const uint64_t leaf = static_cast<uint64_t>(r->size);
    const uint64_t base = a & ~(leaf - 1);
    ctx.frames->dealloc_frames(HostPhysAddr(r->hpa.value() & ~(leaf - 1)),
                               static_cast<size_t>(leaf / kPageSize4K));
    if (base < start.value() || base + leaf > end)
      return fail(MapError{MappingError::BadState, "a block leaf reaches outside the range"});
    a = base + leaf;
  }
  return {};
}

bool policy_handle_fault(const PolicyAllocBackend& b, BackendContext ctx, GuestPhysAddr gpa,
                         MappingFlags flags, GuestPhysAddrRange area) {
  if (b.populate) return false;
  uint64_t lo = area.start.value(), hi = area.end.value();
  if (!b.prefault) {
    const uint64_t window = std::max(b.fault_around * kPageSize4K, b.block);
    lo = std::max(lo, gpa.value() & ~(window - 1));
    hi = std::min(hi, (gpa.value() & ~(window - 1)) + window);
  }
  return policy_fill(ctx, GuestPhysAddr(lo), hi - lo, flags, b.block).ok();
}

MapStatus linear_map_capped(const LinearBackend& b, BackendContext ctx, GuestPhysAddr start,
                            uint64_t size, MappingFlags flags) {
  auto hpa_of = [&b](GuestPhysAddr g) { return b.hpa_of(g); };
  if (b.max_leaf == kPageSize4K)
    return map_status(ctx.pt->map_region(start, hpa_of, size, flags, false));
  const uint64_t end = start.value() + size;  // max_leaf 2M: chunks no 1G leaf fits in
  for (uint64_t a = start.value(); a < end;) {
    const uint64_t next = std::min(end, (a & ~(kPageSize2M - 1)) + kPageSize2M);
    auto r = ctx.pt->map_region(GuestPhysAddr(a), hpa_of, next - a, flags, true);
    if (!r.ok()) return map_status(r);
    a = next;
  }
  return {};
}

}  // namespace nptsim
