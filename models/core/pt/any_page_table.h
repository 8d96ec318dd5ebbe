// AnyPageTable: the format-independent face of a nested page table (PageTable<Pte> behind it).
//
// Operations and error semantics are those of page_table_multiarch v0.6.1's PageTable64
// (spec §8): see each method. Where the crate panics, the method returns PagingError::Panic and
// the table stays destructible.
#pragma once

#include <cstdint>
#include <functional>

#include "models/core/common/addr.h"
#include "models/core/common/errors.h"
#include "models/core/common/mapping_flags.h"
#include "models/core/common/page_size.h"
#include "models/core/common/result.h"
#include "models/core/mem/frame_allocator.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/pt/geometry.h"

namespace nptsim {

// What the table needs of the platform: frames for tables, and the memory they live in.
struct Hal {
  FrameAllocator* frames = nullptr;
  PhysMem* mem = nullptr;
};

using PtError = Error<PagingError>;
template <class T>
using PtResult = Result<T, PtError>;

// A present leaf: the HPA it maps for the queried GPA (for unmap: the leaf's base), its flags as
// the format reads them back, and its size.
struct Mapping {
  HostPhysAddr hpa;
  MappingFlags flags;
  PageSize size = PageSize::Size4K;
};

class AnyPageTable {
 public:
  virtual ~AnyPageTable() = default;

  virtual const char* format_name() const = 0;
  virtual const Geometry& geometry() const = 0;
  virtual HostPhysAddr root_paddr() const = 0;

  // Writes a leaf of `size` for `gpa` (low bits ignored) to align_down(hpa, size), creating
  // missing tables top-down. AlreadyMapped if the target entry is not all-zero.
  virtual PtResult<void> map(GuestPhysAddr gpa, HostPhysAddr hpa, PageSize size,
                             MappingFlags flags) = 0;
  // Rewrites the address and flags of the entry covering `gpa` without a presence check.
  virtual PtResult<PageSize> remap(GuestPhysAddr gpa, HostPhysAddr hpa, MappingFlags flags) = 0;
  // Rewrites the flags of a present entry.
  virtual PtResult<PageSize> protect(GuestPhysAddr gpa, MappingFlags flags) = 0;
  // Zeroes the entry covering `gpa`; NotMapped (after zeroing) if it was not present.
  virtual PtResult<Mapping> unmap(GuestPhysAddr gpa) = 0;
  // The present leaf covering `gpa`, with hpa = leaf base + offset of gpa in the leaf.
  virtual PtResult<Mapping> query(GuestPhysAddr gpa) const = 0;

  // Maps [gpa, gpa+size) to get_hpa(page) page by page; with allow_huge, greedily 1G, then 2M
  // leaves where GPA and HPA are both aligned and enough remains, else 4K. NotAligned unless
  // gpa and size are 4 KiB-aligned. Stops at the first error; earlier steps stay.
  virtual PtResult<void> map_region(GuestPhysAddr gpa,
                                    const std::function<HostPhysAddr(GuestPhysAddr)>& get_hpa,
                                    uint64_t size, MappingFlags flags, bool allow_huge) = 0;
  // Unmaps leaf after leaf, advancing by each leaf's size. Panic if a leaf is not aligned to the
  // current address or larger than what remains (after that leaf was already cleared).
  virtual PtResult<void> unmap_region(GuestPhysAddr gpa, uint64_t size) = 0;
  // v0.6 protect_region: non-present leaves skipped (advance 4K), MappedToHugePage aborts.
  virtual PtResult<void> protect_region(GuestPhysAddr gpa, uint64_t size, MappingFlags flags) = 0;

  // Visits every table reachable from the root in depth-first pre-order (children in index
  // order), descending into an entry above the leaf level whose address field is non-zero and
  // that the format does not call huge. `depth` 0 is the root.
  virtual void for_each_table(
      const std::function<void(HostPhysAddr table, int depth)>& fn) const = 0;
  // Visits every present leaf (4K page, 2M/1G block) in GPA order: the GPA its entry covers (from
  // the indexed bits only), and its base HPA, decoded flags (empty if the crate cannot decode
  // them) and size.
  virtual void for_each_leaf(
      const std::function<void(GuestPhysAddr, const Mapping&)>& fn) const = 0;
  // Number of entries of a table at `depth` (more than 512 for a wide root).
  uint64_t entries_at(int depth) const { return uint64_t{1} << geometry().level[depth].index_bits; }
  // The memory the tables live in.
  virtual const PhysMem& memory() const = 0;
};

}  // namespace nptsim
