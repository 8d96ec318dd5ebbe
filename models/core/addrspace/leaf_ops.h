// Leaf-level operations a hypervisor performs on a nested table beyond the crate's area calls
// (nptsim extensions for trace events, docs/EVENTS.md): splitting a huge leaf into smaller ones,
// rewriting the permissions of the leaves of a range, and counting them. Each reports the work it
// did (entries written, table frames allocated), from which the platform charges its cost.
#pragma once

#include <cstdint>

#include "models/core/addrspace/memory_set.h"
#include "models/core/common/addr.h"
#include "models/core/common/mapping_flags.h"
#include "models/core/pt/any_page_table.h"

namespace nptsim {

struct LeafWork {
  uint64_t entries = 0;       // table entries written (leaves, cleared or rewritten)
  uint64_t splits = 0;        // huge leaves split
  uint64_t table_frames = 0;  // table frames allocated by splits (read from the allocator)
};

// Splits the leaf covering `gpa` until it is a 4 KiB page: a 1 GiB block becomes 512 2 MiB
// blocks, the one covering `gpa` 512 4 KiB pages; same host addresses, flags `flags` (break,
// then make: the old entry is cleared before the new table is linked). The flags come from the
// caller (the area's), not from the entry: the crate's AArch64 decoder reads WRITE back inverted
// (spec section 9). Nothing to do when `gpa` is not mapped or already by a 4 KiB page. False when
// the table refused (no frame for a table).
bool split_to_4k(AnyPageTable& pt, GuestPhysAddr gpa, MappingFlags flags, LeafWork& work);

// Splits the leaves that straddle the boundaries of [gpa, gpa + size), so that the range is
// covered by whole leaves; each split keeps the flags of the area of `areas` it lies in. False
// when a split failed.
bool split_at_boundaries(AnyPageTable& pt, const MemorySet& areas, GuestPhysAddr gpa, uint64_t size,
                         LeafWork& work);

// Rewrites the flags of every present leaf inside [gpa, gpa + size) (whole leaves: split the
// boundaries first). Non-present pages are skipped.
void protect_leaves(AnyPageTable& pt, GuestPhysAddr gpa, uint64_t size, MappingFlags flags,
                    LeafWork& work);

// Visits every present leaf whose base lies in [gpa, gpa + size): its base GPA and mapping.
template <class Fn>
void for_each_leaf_in(const AnyPageTable& pt, GuestPhysAddr gpa, uint64_t size, Fn&& fn) {
  const GuestPhysAddr end = gpa + size;
  for (GuestPhysAddr a = gpa; a < end;) {
    auto m = pt.query(a);
    if (!m.ok()) {
      a = a + kPageSize4K;
      continue;
    }
    const uint64_t leaf = bytes(m->size);
    const GuestPhysAddr base(a.value() & ~(leaf - 1));
    fn(base, Mapping{HostPhysAddr(m->hpa.value() & ~(leaf - 1)), m->flags, m->size});
    a = base + leaf;
  }
}

}  // namespace nptsim
