#include "models/core/addrspace/leaf_ops.h"

namespace nptsim {

namespace {

PageSize smaller(PageSize s) { return s == PageSize::Size1G ? PageSize::Size2M : PageSize::Size4K; }

}  // namespace

bool split_to_4k(AnyPageTable& pt, GuestPhysAddr gpa, MappingFlags flags, LeafWork& work) {
  for (;;) {
    auto m = pt.query(gpa);
    if (!m.ok() || !is_huge(m->size)) return true;
    const uint64_t leaf = bytes(m->size);
    const GuestPhysAddr base(gpa.value() & ~(leaf - 1));
    const HostPhysAddr hpa(m->hpa.value() & ~(leaf - 1));
    const PageSize part = smaller(m->size);
    if (!pt.unmap(base).ok()) return false;
    ++work.entries;
    ++work.splits;
    for (uint64_t off = 0; off < leaf; off += bytes(part)) {
      if (!pt.map(base + off, hpa + off, part, flags).ok()) return false;
      ++work.entries;
    }
    ++work.entries;  // the link to the new table
  }
}

bool split_at_boundaries(AnyPageTable& pt, const MemorySet& areas, GuestPhysAddr gpa, uint64_t size,
                         LeafWork& work) {
  auto split = [&](GuestPhysAddr at) {
    auto m = pt.query(at);
    const MemoryArea* a = areas.find(at);
    if (!m.ok() || at.is_aligned(bytes(m->size)) || !a) return true;
    return split_to_4k(pt, at, a->flags, work);
  };
  return split(gpa) && split(gpa + size);
}

void protect_leaves(AnyPageTable& pt, GuestPhysAddr gpa, uint64_t size, MappingFlags flags,
                    LeafWork& work) {
  const GuestPhysAddr end = gpa + size;
  for (GuestPhysAddr a = gpa; a < end;) {
    auto r = pt.protect(a, flags);
    if (!r.ok()) {
      a = a + kPageSize4K;
      continue;
    }
    ++work.entries;
    a = a + bytes(*r);
  }
}

}  // namespace nptsim
