#include "models/core/addrspace/backend.h"

#include "models/core/addrspace/policy_backend.h"

namespace nptsim {

MapStatus map_status(const PtResult<void>& r) {
  if (r.ok()) return {};
  if (r.error().code == PagingError::Panic)
    return fail(MapError{MappingError::Panic, r.error().reason});
  return fail(MapError{MappingError::BadState, r.error().reason});
}

namespace {

MapStatus from_pt(const PtResult<void>& r) { return map_status(r); }

MapStatus map_populated(BackendContext ctx, GuestPhysAddr start, uint64_t size,
                        MappingFlags flags) {
  for (uint64_t off = 0; off < size; off += kPageSize4K) {
    auto frame = ctx.frames->alloc_frame();
    if (!frame) return fail(MapError{MappingError::BadState, "no frame to populate the area"});
    auto r = ctx.pt->map(start + off, *frame, PageSize::Size4K, flags);
    if (!r.ok()) return from_pt(r);
    if (ctx.work) ++ctx.work->leaves, ++ctx.work->data_allocs, ++ctx.work->data_frames;
  }
  return {};
}

MapStatus unmap_alloc(BackendContext ctx, GuestPhysAddr start, uint64_t size) {
  for (uint64_t off = 0; off < size; off += kPageSize4K) {
    auto r = ctx.pt->unmap(start + off);
    if (!r.ok()) {
      if (r.error().code == PagingError::Panic) return from_pt(fail(r.error()));
      continue;  // a page that is not mapped is fine
    }
    if (is_huge(r->size)) return fail(MapError{MappingError::BadState, "alloc area over a block"});
    ctx.frames->dealloc_frame(r->hpa);
  }
  return {};
}

}  // namespace

bool backend_populates(const Backend& b) {
  if (const auto* p = std::get_if<PolicyAllocBackend>(&b)) return p->populate;
  if (const auto* p = std::get_if<AllocBackend>(&b)) return p->populate;
  return false;
}

const char* backend_kind(const Backend& b) {
  if (std::holds_alternative<LinearBackend>(b)) return "linear";
  return backend_populates(b) ? "alloc" : "lazy";
}

MapStatus backend_map(const Backend& b, BackendContext ctx, GuestPhysAddr start, uint64_t size,
                      MappingFlags flags) {
  if (const auto* lin = std::get_if<LinearBackend>(&b)) {
    if (lin->max_leaf != 0 && lin->max_leaf < kPageSize1G)
      return linear_map_capped(*lin, ctx, start, size, flags);
    return from_pt(ctx.pt->map_region(
        start, [lin](GuestPhysAddr g) { return lin->hpa_of(g); }, size, flags, true));
  }
  if (const auto* p = std::get_if<PolicyAllocBackend>(&b))
    return policy_map(*p, ctx, start, size, flags);
  if (std::get<AllocBackend>(b).populate) return map_populated(ctx, start, size, flags);
  return from_pt(ctx.pt->map_region(
      start, [](GuestPhysAddr) { return HostPhysAddr(0); }, size, MappingFlags(), false));
}

MapStatus backend_unmap(const Backend& b, BackendContext ctx, GuestPhysAddr start, uint64_t size) {
  if (std::holds_alternative<LinearBackend>(b)) return from_pt(ctx.pt->unmap_region(start, size));
  if (std::holds_alternative<PolicyAllocBackend>(b)) return policy_unmap(ctx, start, size);
  return unmap_alloc(ctx, start, size);
}

bool backend_handle_fault(const Backend& b, BackendContext ctx, GuestPhysAddr gpa,
                          MappingFlags area_flags, GuestPhysAddrRange area) {
  if (const auto* p = std::get_if<PolicyAllocBackend>(&b))
    return policy_handle_fault(*p, ctx, gpa, area_flags, area);
  const auto* alloc = std::get_if<AllocBackend>(&b);
  if (!alloc || alloc->populate) return false;
  auto frame = ctx.frames->alloc_frame();
  if (!frame) return false;
  if (!ctx.pt->remap(gpa, *frame, area_flags).ok()) return false;
  if (ctx.work) ++ctx.work->leaves, ++ctx.work->data_allocs, ++ctx.work->data_frames;
  return true;
}

}  // namespace nptsim
