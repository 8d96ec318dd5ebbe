// PageTable<Pte>: a nested page table of one entry format, living in PhysMem, with the walk,
// edit and teardown semantics of page_table_multiarch v0.6.1's PageTable64 (spec §8).
//
// Pte is a format codec (arch/<format>/*_pte.h). Geometry is per-level data (pt/geometry.h), so
// the same code serves the crate's single-page roots and the hardware's wide roots.
// The crate consults the "huge" predicate only at the levels whose entries cover 1 GiB or
// 2 MiB (spec §8.3); this is kept exactly, whatever the format allows in hardware.
#pragma once

#include <memory>
#include <utility>

#include "models/core/pt/any_page_table.h"

namespace nptsim {

template <class Pte>
class PageTable final : public AnyPageTable {
 public:
  // Allocates and zero-fills the root (one frame, or an aligned block for a wide root).
  static PtResult<std::unique_ptr<PageTable>> create(const Geometry& g, Hal hal) {
    const uint64_t frames = g.root_frames();
    auto root = hal.frames->alloc_frames(frames, frames * kFrameBytes);
    if (!root) return fail(PtError{PagingError::NoMemory, "no frame for the root table"});
    for (uint64_t i = 0; i < frames; ++i) hal.mem->discard_frame(*root + i * kFrameBytes);
    return std::unique_ptr<PageTable>(new PageTable(g, hal, *root));
  }

  PageTable(const PageTable&) = delete;
  PageTable& operator=(const PageTable&) = delete;

  // Frees every table in post-order (children first, in index order), the root last (spec §8.6).
  // Data frames referenced by leaves are never freed here.
  ~PageTable() override {
    free_subtree(root_, 0);
    hal_.frames->dealloc_frames(root_, g_.root_frames());
    for (uint64_t i = 0; i < g_.root_frames(); ++i)
      hal_.mem->discard_frame(root_ + i * kFrameBytes);
  }

  const char* format_name() const override { return Pte::kName; }
  const Geometry& geometry() const override { return g_; }
  HostPhysAddr root_paddr() const override { return root_; }
  const PhysMem& memory() const override { return *hal_.mem; }

  PtResult<void> map(GuestPhysAddr gpa, HostPhysAddr hpa, PageSize size,
                     MappingFlags flags) override {
    auto slot = entry_or_create(gpa, size);
    if (!slot.ok()) return fail(slot.error());
    if (!Pte::is_unused(read(*slot))) {
      return fail(PtError{PagingError::AlreadyMapped, "target entry is not empty"});
    }
    write(*slot, Pte::new_page(hpa.align_down(bytes(size)), flags, is_huge(size)));
    return {};
  }

  PtResult<PageSize> remap(GuestPhysAddr gpa, HostPhysAddr hpa, MappingFlags flags) override {
    auto e = find_entry(gpa);
    if (!e.ok()) return fail(e.error());
    uint64_t raw = Pte::set_paddr(read(e->addr), hpa);
    write(e->addr, Pte::set_flags(raw, flags, is_huge(e->size)));
    return e->size;
  }

  PtResult<PageSize> protect(GuestPhysAddr gpa, MappingFlags flags) override {
    auto e = find_entry(gpa);
    if (!e.ok()) return fail(e.error());
    uint64_t raw = read(e->addr);
    if (!Pte::is_present(raw)) return fail(PtError{PagingError::NotMapped, "entry not present"});
    write(e->addr, Pte::set_flags(raw, flags, is_huge(e->size)));
    return e->size;
  }

  PtResult<Mapping> unmap(GuestPhysAddr gpa) override {
    auto e = find_entry(gpa);
    if (!e.ok()) return fail(e.error());
    uint64_t raw = read(e->addr);
    if (!Pte::is_present(raw)) {
      write(e->addr, 0);
      return fail(PtError{PagingError::NotMapped, "entry not present"});
    }
    auto flags = Pte::flags(raw);
    if (!flags) return fail(PtError{PagingError::Panic, "entry flags not decodable by the crate"});
    write(e->addr, 0);
    return Mapping{Pte::paddr(raw), *flags, e->size};
  }

  PtResult<Mapping> query(GuestPhysAddr gpa) const override {
    auto e = find_entry(gpa);
    if (!e.ok()) return fail(e.error());
    uint64_t raw = read(e->addr);
    if (!Pte::is_present(raw)) return fail(PtError{PagingError::NotMapped, "entry not present"});
    auto flags = Pte::flags(raw);
    if (!flags) return fail(PtError{PagingError::Panic, "entry flags not decodable by the crate"});
    return Mapping{Pte::paddr(raw) + gpa.align_offset(bytes(e->size)), *flags, e->size};
  }

  PtResult<void> map_region(GuestPhysAddr gpa,
                            const std::function<HostPhysAddr(GuestPhysAddr)>& get_hpa,
                            uint64_t size, MappingFlags flags, bool allow_huge) override {
    if (!gpa.is_aligned_4k() || !is_aligned_4k(size)) {
      return fail(PtError{PagingError::NotAligned, "region not 4 KiB-aligned"});
    }
    while (size > 0) {
      HostPhysAddr hpa = get_hpa(gpa);
      PageSize ps = PageSize::Size4K;
      if (allow_huge) {
        for (PageSize big : {PageSize::Size1G, PageSize::Size2M}) {
          if (gpa.is_aligned(bytes(big)) && hpa.is_aligned(bytes(big)) && size >= bytes(big)) {
            ps = big;
            break;
          }
        }
      }
      auto r = map(gpa, hpa, ps, flags);
      if (!r.ok()) return r;
      gpa += bytes(ps);
      size -= bytes(ps);
    }
    return {};
  }

  PtResult<void> unmap_region(GuestPhysAddr gpa, uint64_t size) override {
    while (size > 0) {
      auto r = unmap(gpa);
      if (!r.ok()) return fail(r.error());
      const uint64_t ps = bytes(r->size);
      if (!gpa.is_aligned(ps)) {
        return fail(PtError{PagingError::Panic, "unmap_region: leaf not aligned to the address"});
      }
      if (ps > size) {
        return fail(PtError{PagingError::Panic, "unmap_region: leaf larger than the range"});
      }
      gpa += ps;
      size -= ps;
    }
    return {};
  }

  PtResult<void> protect_region(GuestPhysAddr gpa, uint64_t size, MappingFlags flags) override {
    while (size > 0) {
      uint64_t step = kPageSize4K;
      auto r = protect(gpa, flags);
      if (r.ok()) {
        step = bytes(*r);
        if (!gpa.is_aligned(step) || step > size) {
          return fail(PtError{PagingError::Panic, "protect_region: leaf not inside the range"});
        }
      } else if (r.error().code != PagingError::NotMapped) {
        return fail(r.error());
      }
      gpa += step;
      size -= step;
    }
    return {};
  }

  void for_each_table(const std::function<void(HostPhysAddr, int)>& fn) const override {
    visit(root_, 0, fn);
  }

  void for_each_leaf(const std::function<void(GuestPhysAddr, const Mapping&)>& fn) const override {
    visit_leaves(root_, 0, 0, fn);
  }

 private:
  PageTable(const Geometry& g, Hal hal, HostPhysAddr root) : g_(g), hal_(hal), root_(root) {}

  struct EntryRef {
    HostPhysAddr addr;  // where the entry lives
    PageSize size;      // the size of a leaf at this entry
  };

  uint64_t read(HostPhysAddr a) const { return hal_.mem->read_u64(a); }
  void write(HostPhysAddr a, uint64_t v) { hal_.mem->write_u64(a, v); }
  HostPhysAddr slot(HostPhysAddr table, int lvl, GuestPhysAddr gpa) const {
    return table + g_.index(lvl, gpa.value()) * 8;
  }
  bool is_leaf_level(int lvl) const { return lvl == g_.levels - 1; }
  // The crate's "huge" test applies at the 1 GiB and 2 MiB levels only.
  bool huge_checked(int lvl) const {
    return g_.level[lvl].shift == 30 || g_.level[lvl].shift == 21;
  }
  PageSize size_at(int lvl) const {
    PageSize ps = PageSize::Size4K;
    page_size_for_shift(g_.level[lvl].shift, &ps);
    return ps;
  }
  // "Follow" an entry to the next table (spec §8.3): NotMapped if its address field is 0,
  // MappedToHugePage if it is huge.
  PtResult<HostPhysAddr> next_table(uint64_t raw) const {
    if (Pte::paddr(raw).value() == 0) return fail(PtError{PagingError::NotMapped, "no table"});
    if (Pte::is_huge(raw)) {
      return fail(PtError{PagingError::MappedToHugePage, "a block sits above this level"});
    }
    return Pte::paddr(raw);
  }

  // The read-only lookup: stops at a huge entry of a 1G/2M level or at the leaf level.
  PtResult<EntryRef> find_entry(GuestPhysAddr gpa) const {
    HostPhysAddr table = root_;
    for (int lvl = 0;; ++lvl) {
      HostPhysAddr e = slot(table, lvl, gpa);
      if (is_leaf_level(lvl)) return EntryRef{e, PageSize::Size4K};
      uint64_t raw = read(e);
      if (huge_checked(lvl) && Pte::is_huge(raw)) return EntryRef{e, size_at(lvl)};
      auto next = next_table(raw);
      if (!next.ok()) return fail(next.error());
      table = *next;
    }
  }

  // The creating lookup for a leaf of `size`: allocates missing tables top-down.
  PtResult<HostPhysAddr> entry_or_create(GuestPhysAddr gpa, PageSize size) {
    HostPhysAddr table = root_;
    for (int lvl = 0;; ++lvl) {
      HostPhysAddr e = slot(table, lvl, gpa);
      if (bytes(size) == (uint64_t{1} << g_.level[lvl].shift)) return e;
      if (is_leaf_level(lvl)) return fail(PtError{PagingError::NotAligned, "no level for size"});
      uint64_t raw = read(e);
      if (Pte::is_unused(raw)) {
        auto frame = hal_.frames->alloc_frame();
        if (!frame) return fail(PtError{PagingError::NoMemory, "no frame for a table"});
        hal_.mem->discard_frame(*frame);
        write(e, Pte::new_table(*frame));
        table = *frame;
        continue;
      }
      auto next = next_table(raw);
      if (!next.ok()) return fail(next.error());
      table = *next;
    }
  }

  bool descends(uint64_t raw, int depth) const {
    return depth < g_.levels - 1 && Pte::paddr(raw).value() != 0 && !Pte::is_huge(raw);
  }

  void visit(HostPhysAddr table, int depth,
             const std::function<void(HostPhysAddr, int)>& fn) const {
    fn(table, depth);
    const uint64_t n = entries_at(depth);
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t raw = read(table + i * 8);
      if (descends(raw, depth)) visit(Pte::paddr(raw), depth + 1, fn);
    }
  }

  void visit_leaves(HostPhysAddr table, int depth, uint64_t gpa_base,
                    const std::function<void(GuestPhysAddr, const Mapping&)>& fn) const {
    const uint64_t n = entries_at(depth);
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t raw = read(table + i * 8);
      const uint64_t gpa = gpa_base + (i << g_.level[depth].shift);
      const bool leaf = is_leaf_level(depth) || (huge_checked(depth) && Pte::is_huge(raw));
      if (leaf && Pte::is_present(raw)) {
        fn(GuestPhysAddr(gpa),
           Mapping{Pte::paddr(raw), Pte::flags(raw).value_or(MappingFlags()), size_at(depth)});
      } else if (!leaf && Pte::is_present(raw) && descends(raw, depth)) {
        visit_leaves(Pte::paddr(raw), depth + 1, gpa, fn);
      }
    }
  }

  // The crate's dealloc_tree: every entry that "follows" (non-zero address, not huge) is freed as
  // a table, present or not; so on RISC-V an empty-flag 2M/1G leaf frees its target frame as if
  // it were a table. Freed frames are discarded from PhysMem (they read as zero again).
  void free_subtree(HostPhysAddr table, int depth) {
    if (is_leaf_level(depth)) return;
    const uint64_t n = entries_at(depth);
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t raw = read(table + i * 8);
      if (!descends(raw, depth)) continue;
      free_subtree(Pte::paddr(raw), depth + 1);
      hal_.frames->dealloc_frame(Pte::paddr(raw));
      hal_.mem->discard_frame(Pte::paddr(raw));
    }
  }

  Geometry g_;
  Hal hal_;
  HostPhysAddr root_;
};

}  // namespace nptsim
