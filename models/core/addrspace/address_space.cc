#include "models/core/addrspace/address_space.h"

namespace nptsim {

namespace {

AxStatusError ax(AxError code, const char* reason) { return AxStatusError{code, reason}; }

AxStatus from_mapping(const MapStatus& r) {
  if (r.ok()) return {};
  return fail(ax(to_ax_error(r.error().code), r.error().reason));
}

}  // namespace

AddrSpace::AddrSpace(const Stage2Config& cfg, GuestPhysAddrRange range, Hal hal,
                     std::unique_ptr<AnyPageTable> pt)
    : cfg_(cfg), range_(range), hal_(hal), pt_(std::move(pt)), root_(pt_->root_paddr()) {}

AddrSpace::~AddrSpace() { (void)teardown(); }

AxResult<std::unique_ptr<AddrSpace>> AddrSpace::new_empty(const Stage2Config& cfg,
                                                          GuestPhysAddr base, uint64_t size,
                                                          Hal hal) {
  auto range = GuestPhysAddrRange::try_from_start_size(base, size);
  if (!range) return fail(ax(AxError::Panic, "base + size overflows"));
  auto geometry = stage2_geometry(cfg);
  if (!geometry) return fail(ax(AxError::InvalidInput, "unsupported number of table levels"));
  auto pt = create_stage2_table(cfg, *geometry, hal);
  if (!pt.ok()) return fail(ax(AxError::NoMemory, pt.error().reason));
  return std::unique_ptr<AddrSpace>(new AddrSpace(cfg, *range, hal, std::move(pt.value())));
}

AxResult<bool> AddrSpace::contains_range(GuestPhysAddr start, uint64_t size) const {
  auto r = GuestPhysAddrRange::try_from_start_size(start, size);
  if (!r) return fail(ax(AxError::Panic, "start + size overflows"));
  return range_.contains_range(*r);
}

AxStatus AddrSpace::check_range_aligned(GuestPhysAddr gpa, uint64_t size,
                                        bool extra_aligned) const {
  auto inside = contains_range(gpa, size);
  if (!inside.ok()) return fail(inside.error());
  if (!*inside) return fail(ax(AxError::InvalidInput, "address out of range"));
  if (!gpa.is_aligned_4k() || !is_aligned_4k(size) || !extra_aligned) {
    return fail(ax(AxError::InvalidInput, "address not aligned"));
  }
  if (!pt_) return fail(ax(AxError::BadState, "address space was torn down"));
  return {};
}

AxStatus AddrSpace::map_linear(GuestPhysAddr gpa, HostPhysAddr hpa, uint64_t size,
                               MappingFlags flags) {
  auto ok = check_range_aligned(gpa, size, hpa.is_aligned_4k());
  if (!ok.ok()) return ok;
  MemoryArea area{{gpa, gpa + size}, flags, LinearBackend{gpa.value() - hpa.value()}};
  return from_mapping(areas_.map(std::move(area), ctx()));
}

AxStatus AddrSpace::map_alloc(GuestPhysAddr gpa, uint64_t size, MappingFlags flags, bool populate) {
  auto ok = check_range_aligned(gpa, size, true);
  if (!ok.ok()) return ok;
  MemoryArea area{{gpa, gpa + size}, flags, AllocBackend{populate}};
  return from_mapping(areas_.map(std::move(area), ctx()));
}

AxStatus AddrSpace::unmap(GuestPhysAddr gpa, uint64_t size) {
  auto ok = check_range_aligned(gpa, size, true);
  if (!ok.ok()) return ok;
  return from_mapping(areas_.unmap(gpa, size, ctx()));
}

AxStatus AddrSpace::clear() {
  if (!pt_) return {};
  auto r = areas_.clear(ctx());
  if (!r.ok()) return fail(ax(AxError::Panic, r.error().reason));
  return {};
}

bool AddrSpace::handle_page_fault(GuestPhysAddr gpa, MappingFlags access, FaultWork* work) {
  if (!pt_ || !range_.contains(gpa)) return false;
  const MemoryArea* area = areas_.find(gpa);
  if (!area || !area->flags.contains(access)) return false;
  return backend_handle_fault(area->backend, ctx(work), gpa, area->flags, area->range);
}

AxStatus AddrSpace::map_area(GuestPhysAddr gpa, uint64_t size, MappingFlags flags,
                             const Backend& backend) {
  auto ok = check_range_aligned(gpa, size, true);
  if (!ok.ok()) return ok;
  return from_mapping(areas_.map(MemoryArea{{gpa, gpa + size}, flags, backend}, ctx()));
}

const FrameStats& AddrSpace::frame_stats() const { return hal_.frames->stats(); }

AxResult<std::optional<Mapping>> AddrSpace::query(GuestPhysAddr gpa) const {
  if (!pt_) return std::optional<Mapping>();
  auto q = pt_->query(gpa);
  if (q.ok()) return std::optional<Mapping>(*q);
  if (q.error().code == PagingError::Panic) return fail(ax(AxError::Panic, q.error().reason));
  return std::optional<Mapping>();
}

AxResult<std::optional<HostPhysAddr>> AddrSpace::translate(GuestPhysAddr gpa) const {
  if (!range_.contains(gpa)) return std::optional<HostPhysAddr>();
  auto q = query(gpa);
  if (!q.ok()) return fail(q.error());
  if (!*q) return std::optional<HostPhysAddr>();
  return std::optional<HostPhysAddr>((*q)->hpa);
}

AxResult<std::optional<std::pair<HostPhysAddr, uint64_t>>> AddrSpace::translate_and_get_limit(
    GuestPhysAddr gpa) const {
  using Out = std::optional<std::pair<HostPhysAddr, uint64_t>>;
  if (!range_.contains(gpa)) return Out();
  const MemoryArea* area = areas_.find(gpa);
  if (!area) return Out();
  auto q = query(gpa);
  if (!q.ok()) return fail(q.error());
  if (!*q) return Out();
  return Out(std::make_pair((*q)->hpa, area->size()));
}

AxResult<std::optional<std::vector<HostSlice>>> AddrSpace::translated_byte_buffer(
    GuestPhysAddr gpa, uint64_t len) const {
  using Out = std::optional<std::vector<HostSlice>>;
  if (!range_.contains(gpa)) return Out();
  const MemoryArea* area = areas_.find(gpa);
  if (!area || len > area->size()) return Out();
  std::vector<HostSlice> slices;
  GuestPhysAddr cur = gpa;
  const GuestPhysAddr end = gpa + len;  // wraps like the crate's release build
  while (cur < end) {
    auto q = query(cur);
    if (!q.ok()) return fail(q.error());
    if (!*q) return fail(ax(AxError::Panic, "translated_byte_buffer: page not mapped"));
    const uint64_t ps = bytes((*q)->size);
    GuestPhysAddr next = cur.align_down(ps) + ps;
    if (end < next || next <= cur) next = end;
    slices.push_back(HostSlice{(*q)->hpa, next - cur});
    cur = next;
  }
  return Out(std::move(slices));
}

AxStatus AddrSpace::teardown() {
  if (!pt_) return {};
  auto r = clear();
  if (!r.ok()) return r;
  pt_.reset();
  return {};
}

}  // namespace nptsim
