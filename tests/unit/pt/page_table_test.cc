// PageTable operations of spec §8 (lookups §8.3, operations §8.4, errors §8.5, drop §8.6) on
// every format and geometry, as a typed test; then format quirks of §9 seen through the table.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/core/arch/arch_registry.h"
#include "models/core/arch/arm64_s2/s2_pte.h"
#include "models/core/arch/riscv_gstage/gstage_pte.h"
#include "models/core/arch/x86_ept/ept_pte.h"
#include "models/core/mem/frame_allocator.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/pt/any_page_table.h"

namespace nptsim {
namespace {

constexpr MappingFlags kR = MappingFlags::READ;
constexpr MappingFlags kRW = MappingFlags::READ | MappingFlags::WRITE;
constexpr uint64_t k4K = kPageSize4K, k2M = kPageSize2M, k1G = kPageSize1G;

// The error code of a failed result, nothing for a success.
template <class R>
std::optional<PagingError> err(const R& r) {
  if (r.ok()) return std::nullopt;
  return r.error().code;
}

template <class P, Arch A, int L, GeometryMode M, unsigned Ipa = 0>
struct Cfg {
  using Pte = P;
  static Stage2Config cfg() { return Stage2Config{A, L, M, Ipa}; }
};
using EptCrate4 = Cfg<x86_ept::EptPte, Arch::X86_64, 4, GeometryMode::Crate>;
using EptHw5 = Cfg<x86_ept::EptPte, Arch::X86_64, 5, GeometryMode::Hardware>;
using S2Crate3 = Cfg<arm64_s2::S2Pte, Arch::AArch64, 3, GeometryMode::Crate>;
using S2Crate4 = Cfg<arm64_s2::S2Pte, Arch::AArch64, 4, GeometryMode::Crate>;
using S2Hw3Ipa40 = Cfg<arm64_s2::S2Pte, Arch::AArch64, 3, GeometryMode::Hardware, 40>;
using GsCrate3 = Cfg<riscv_gstage::GstagePte, Arch::RiscV64, 3, GeometryMode::Crate>;
using GsHw3 = Cfg<riscv_gstage::GstagePte, Arch::RiscV64, 3, GeometryMode::Hardware>;
using GsHw4 = Cfg<riscv_gstage::GstagePte, Arch::RiscV64, 4, GeometryMode::Hardware>;

struct CfgName {
  template <class C>
  static std::string GetName(int) {
    const Stage2Config c = C::cfg();
    return std::string(to_string(c.arch)) + "_" + std::to_string(c.levels) + "_" +
           to_string(c.mode);
  }
};

template <class C>
class PageTableTest : public ::testing::Test {
 protected:
  using Pte = typename C::Pte;

  void SetUp() override {
    auto g = stage2_geometry(C::cfg());
    ASSERT_TRUE(g);
    geom_ = *g;
    auto r = create_stage2_table(C::cfg(), geom_, Hal{&frames_, &mem_});
    ASSERT_TRUE(r.ok());
    pt_ = std::move(r.value());
  }

  // How this format reads back `f` (spec §9: e.g. AArch64 inverts WRITE).
  static MappingFlags expect(MappingFlags f, bool huge) {
    return *Pte::flags(Pte::new_page(HostPhysAddr(0x1000), f, huge));
  }
  size_t table_count() const {
    size_t n = 0;
    pt_->for_each_table([&](HostPhysAddr, int) { ++n; });
    return n;
  }
  std::map<PageSize, size_t> leaf_counts() const {
    std::map<PageSize, size_t> n;
    pt_->for_each_leaf([&](GuestPhysAddr, const Mapping& m) { ++n[m.size]; });
    return n;
  }
  PtResult<void> map(uint64_t gpa, uint64_t hpa, PageSize s, MappingFlags f = kRW) {
    return pt_->map(GuestPhysAddr(gpa), HostPhysAddr(hpa), s, f);
  }
  std::optional<PagingError> query_error(uint64_t gpa) const {
    return err(pt_->query(GuestPhysAddr(gpa)));
  }
  void expect_query(uint64_t gpa, uint64_t hpa, PageSize s, MappingFlags f) const {
    auto q = pt_->query(GuestPhysAddr(gpa));
    ASSERT_TRUE(q.ok()) << std::hex << gpa;
    EXPECT_EQ(q->hpa.value(), hpa) << std::hex << gpa;
    EXPECT_EQ(q->size, s) << std::hex << gpa;
    EXPECT_EQ(q->flags, expect(f, is_huge(s))) << std::hex << gpa;
  }

  FreeListFrameAllocator frames_{HostPhysAddr(0x1000'0000), 1u << 14};
  PhysMem mem_;
  Geometry geom_;
  std::unique_ptr<AnyPageTable> pt_;  // declared last: destroyed before its HAL
};

using Configs =
    ::testing::Types<EptCrate4, EptHw5, S2Crate3, S2Crate4, S2Hw3Ipa40, GsCrate3, GsHw3, GsHw4>;
TYPED_TEST_SUITE(PageTableTest, Configs, CfgName);

// §8.3 query (hpa = leaf base + offset, size), §8.4 map aligns the HPA down to the leaf size,
// unmap returns the leaf base and zeroes the entry; a second unmap is NotMapped.
TYPED_TEST(PageTableTest, MapQueryUnmapAllSizes) {
  ASSERT_TRUE(this->map(0x5000, 0x8000'0000, PageSize::Size4K).ok());
  ASSERT_TRUE(this->map(0x7000, 0x8000'1234, PageSize::Size4K, kR).ok());
  ASSERT_TRUE(this->map(0x40'0000, 0x9012'3456, PageSize::Size2M).ok());
  ASSERT_TRUE(this->map(0x8000'0000, 0xC000'0000, PageSize::Size1G).ok());
  this->expect_query(0x5123, 0x8000'0123, PageSize::Size4K, kRW);
  this->expect_query(0x7FFF, 0x8000'1FFF, PageSize::Size4K, kR);
  this->expect_query(0x4A'BCDE, 0x900A'BCDE, PageSize::Size2M, kRW);
  this->expect_query(0x8765'4321, 0xC765'4321, PageSize::Size1G, kRW);
  EXPECT_EQ(this->query_error(0x6000), PagingError::NotMapped);

  auto u = this->pt_->unmap(GuestPhysAddr(0x5FFF));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->hpa.value(), 0x8000'0000u);
  EXPECT_EQ(u->size, PageSize::Size4K);
  EXPECT_EQ(u->flags, this->expect(kRW, false));
  EXPECT_EQ(this->query_error(0x5000), PagingError::NotMapped);
  EXPECT_EQ(err(this->pt_->unmap(GuestPhysAddr(0x5000))), PagingError::NotMapped);

  auto u2 = this->pt_->unmap(GuestPhysAddr(0x41'1000));
  ASSERT_TRUE(u2.ok());
  EXPECT_EQ(u2->hpa.value(), 0x9000'0000u);
  EXPECT_EQ(u2->size, PageSize::Size2M);
  auto u3 = this->pt_->unmap(GuestPhysAddr(0xBFFF'F000));
  ASSERT_TRUE(u3.ok());
  EXPECT_EQ(u3->size, PageSize::Size1G);
  EXPECT_EQ(this->query_error(0x8000'0000), PagingError::NotMapped);
  this->expect_query(0x7000, 0x8000'1000, PageSize::Size4K, kR);
}

// §8.4 map: the target entry must be all-zero (AlreadyMapped), including a 2M/1G target that
// already holds a table, even after the pages under it were unmapped (tables are never freed).
TYPED_TEST(PageTableTest, AlreadyMapped) {
  ASSERT_TRUE(this->map(0x1000, 0xA000'0000, PageSize::Size4K).ok());
  EXPECT_EQ(err(this->map(0x1000, 0xB000'0000, PageSize::Size4K)), PagingError::AlreadyMapped);
  this->expect_query(0x1000, 0xA000'0000, PageSize::Size4K, kRW);  // unchanged
  ASSERT_TRUE(this->pt_->unmap(GuestPhysAddr(0x1000)).ok());
  for (PageSize s : {PageSize::Size2M, PageSize::Size1G}) {
    EXPECT_EQ(err(this->map(0, 0xC000'0000, s)), PagingError::AlreadyMapped);
  }
  ASSERT_TRUE(this->map(0x4000'0000 + k2M, 0xC000'0000, PageSize::Size2M).ok());
  auto b = this->map(0x4000'0000 + k2M, 0xD000'0000, PageSize::Size2M);
  EXPECT_EQ(err(b), PagingError::AlreadyMapped);
}

// §8.3 "follow" of a huge entry / §8.5: a smaller map under a 2M or 1G block is MappedToHugePage.
TYPED_TEST(PageTableTest, MappedToHugePage) {
  ASSERT_TRUE(this->map(k2M, 0xA000'0000, PageSize::Size2M).ok());
  auto r = this->map(k2M + 0x1000, 0xB000'0000, PageSize::Size4K);
  EXPECT_EQ(err(r), PagingError::MappedToHugePage);
  ASSERT_TRUE(this->map(k1G, 0x1'0000'0000, PageSize::Size1G).ok());
  for (PageSize s : {PageSize::Size4K, PageSize::Size2M}) {
    EXPECT_EQ(err(this->map(k1G + k2M + 0x5000, 0xB000'0000, s)), PagingError::MappedToHugePage);
  }
  this->expect_query(k2M + 0x1000, 0xA000'1000, PageSize::Size2M, kRW);
  this->expect_query(k1G + k2M + 0x5000, 0x1'0020'5000, PageSize::Size1G, kRW);
}

// §8.3/§8.5 NotMapped on an empty table: query, unmap and protect.
TYPED_TEST(PageTableTest, NotMappedOnEmptyTable) {
  for (uint64_t gpa : {uint64_t{0}, uint64_t{0x1234'5000}, uint64_t{0x40'0000'0000}}) {
    EXPECT_EQ(this->query_error(gpa), PagingError::NotMapped);
    EXPECT_EQ(err(this->pt_->unmap(GuestPhysAddr(gpa))), PagingError::NotMapped);
    EXPECT_EQ(err(this->pt_->protect(GuestPhysAddr(gpa), kR)), PagingError::NotMapped);
  }
  EXPECT_EQ(this->table_count(), 1u);
}

// §8.4 remap: set_paddr (not aligned down) then set_flags; returns the leaf size; no presence
// check, so an empty slot in an existing leaf table becomes mapped.
TYPED_TEST(PageTableTest, Remap) {
  ASSERT_TRUE(this->map(0x3000, 0xA000'0000, PageSize::Size4K).ok());
  auto r = this->pt_->remap(GuestPhysAddr(0x3000), HostPhysAddr(0xB000'0000), kR);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, PageSize::Size4K);
  this->expect_query(0x3010, 0xB000'0010, PageSize::Size4K, kR);

  auto empty = this->pt_->remap(GuestPhysAddr(0x4000), HostPhysAddr(0xB000'1000), kRW);
  ASSERT_TRUE(empty.ok());
  this->expect_query(0x4000, 0xB000'1000, PageSize::Size4K, kRW);

  ASSERT_TRUE(this->map(k2M, 0xC000'0000, PageSize::Size2M).ok());
  auto big = this->pt_->remap(GuestPhysAddr(k2M + 0x3000), HostPhysAddr(0x7012'3000), kRW);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(*big, PageSize::Size2M);
  this->expect_query(k2M + 0x10, 0x7012'3010, PageSize::Size2M, kRW);  // address not aligned down
}

// §8.4 protect: present entries only (NotMapped otherwise); rewrites the flags, keeps the size.
TYPED_TEST(PageTableTest, Protect) {
  ASSERT_TRUE(this->map(0x3000, 0xA000'0000, PageSize::Size4K).ok());
  ASSERT_TRUE(this->map(k2M, 0xC000'0000, PageSize::Size2M).ok());
  auto p = this->pt_->protect(GuestPhysAddr(0x3000), kR);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, PageSize::Size4K);
  this->expect_query(0x3000, 0xA000'0000, PageSize::Size4K, kR);
  auto pb = this->pt_->protect(GuestPhysAddr(k2M + 0x7000), kR);
  ASSERT_TRUE(pb.ok());
  EXPECT_EQ(*pb, PageSize::Size2M);
  this->expect_query(k2M + 0x7000, 0xC000'7000, PageSize::Size2M, kR);
  auto np = this->pt_->protect(GuestPhysAddr(0x4000), kR);  // leaf table exists, slot empty
  EXPECT_EQ(err(np), PagingError::NotMapped);
  EXPECT_EQ(this->query_error(0x4000), PagingError::NotMapped);
}

// §8.4 map_region greedy rule (§5.1): GPA=HPA [0x1000, 0x401000) -> 511x4K + 2M + 4K; without
// allow_huge all 4K; 1G where both are 1G-aligned; an HPA misaligned with the GPA gives 4K only.
TYPED_TEST(PageTableTest, MapRegionGreedy) {
  auto ident = [](GuestPhysAddr g) { return HostPhysAddr(g.value()); };
  ASSERT_TRUE(this->pt_->map_region(GuestPhysAddr(0x1000), ident, 0x40'0000, kRW, true).ok());
  auto n = this->leaf_counts();
  EXPECT_EQ(n[PageSize::Size4K], 512u);
  EXPECT_EQ(n[PageSize::Size2M], 1u);
  EXPECT_EQ(n[PageSize::Size1G], 0u);
  this->expect_query(0x20'0000, 0x20'0000, PageSize::Size2M, kRW);
  this->expect_query(0x40'0000, 0x40'0000, PageSize::Size4K, kRW);
  this->expect_query(0x1F'F000, 0x1F'F000, PageSize::Size4K, kRW);

  ASSERT_TRUE(this->pt_->map_region(GuestPhysAddr(k1G), ident, k1G + k2M, kRW, true).ok());
  ASSERT_TRUE(this->pt_->map_region(GuestPhysAddr(3 * k1G), ident, 4 * k2M, kRW, false).ok());
  auto shifted = [](GuestPhysAddr g) { return HostPhysAddr(g.value() + 0x1000); };
  ASSERT_TRUE(this->pt_->map_region(GuestPhysAddr(4 * k1G), shifted, k2M, kRW, true).ok());
  n = this->leaf_counts();
  EXPECT_EQ(n[PageSize::Size1G], 1u);
  EXPECT_EQ(n[PageSize::Size2M], 2u);
  EXPECT_EQ(n[PageSize::Size4K], 512u + 4 * 512 + 512);
  this->expect_query(4 * k1G, 4 * k1G + 0x1000, PageSize::Size4K, kRW);
}

// §8.4 map_region stops at the first error; earlier steps stay mapped.
TYPED_TEST(PageTableTest, MapRegionStopsAtFirstError) {
  ASSERT_TRUE(this->map(0x3000, 0xF000'0000, PageSize::Size4K).ok());
  auto ident = [](GuestPhysAddr g) { return HostPhysAddr(g.value()); };
  auto r = this->pt_->map_region(GuestPhysAddr(0x1000), ident, 0x4000, kRW, true);
  EXPECT_EQ(err(r), PagingError::AlreadyMapped);
  this->expect_query(0x2000, 0x2000, PageSize::Size4K, kRW);
  this->expect_query(0x3000, 0xF000'0000, PageSize::Size4K, kRW);
  EXPECT_EQ(this->query_error(0x4000), PagingError::NotMapped);
}

// §8.4/§8.5 NotAligned: map_region needs a 4K-aligned GPA and size; nothing is touched.
TYPED_TEST(PageTableTest, MapRegionNotAligned) {
  auto ident = [](GuestPhysAddr g) { return HostPhysAddr(g.value()); };
  auto a = this->pt_->map_region(GuestPhysAddr(0x1001), ident, 0x1000, kRW, true);
  EXPECT_EQ(err(a), PagingError::NotAligned);
  auto b = this->pt_->map_region(GuestPhysAddr(0x1000), ident, 0x1800, kRW, false);
  EXPECT_EQ(err(b), PagingError::NotAligned);
  EXPECT_EQ(this->table_count(), 1u);
  EXPECT_EQ(this->leaf_counts().size(), 0u);
}

// §8.4 unmap_region: whole leaves succeed; part of a block hits the crate's assertion, reported
// as PagingError::Panic (the block is already cleared), and the table stays destructible.
TYPED_TEST(PageTableTest, UnmapRegion) {
  auto ident = [](GuestPhysAddr g) { return HostPhysAddr(g.value()); };
  ASSERT_TRUE(this->pt_->map_region(GuestPhysAddr(0x1000), ident, 0x40'0000, kRW, true).ok());
  ASSERT_TRUE(this->pt_->unmap_region(GuestPhysAddr(0x1000), 0x40'0000).ok());
  EXPECT_EQ(this->leaf_counts().size(), 0u);

  ASSERT_TRUE(this->map(k1G, 0xA000'0000, PageSize::Size2M).ok());
  auto tail = this->pt_->unmap_region(GuestPhysAddr(k1G), 0x1000);  // leaf larger than range
  EXPECT_EQ(err(tail), PagingError::Panic);
  EXPECT_EQ(this->query_error(k1G), PagingError::NotMapped);
  ASSERT_TRUE(this->map(k1G + k2M, 0xA000'0000, PageSize::Size2M).ok());
  auto mid = this->pt_->unmap_region(GuestPhysAddr(k1G + k2M + 0x1000), 0x1000);  // misaligned
  EXPECT_EQ(err(mid), PagingError::Panic);
  auto hole = this->pt_->unmap_region(GuestPhysAddr(0x1000), 0x1000);  // nothing there
  EXPECT_EQ(err(hole), PagingError::NotMapped);
  this->pt_.reset();
  EXPECT_EQ(this->frames_.stats().outstanding(), 0u);
}

// §8.4 "Intermediate tables are never freed by unmap": frame counts stay after unmaps, and a
// re-map reuses the tables.
TYPED_TEST(PageTableTest, IntermediateTablesNeverFreed) {
  const uint64_t root = this->geom_.root_frames();
  EXPECT_EQ(this->frames_.stats().allocs, root);
  ASSERT_TRUE(this->map(0x5000, 0xA000'0000, PageSize::Size4K).ok());
  const uint64_t after_map = root + this->geom_.levels - 1;
  EXPECT_EQ(this->frames_.stats().allocs, after_map);
  EXPECT_EQ(this->table_count(), static_cast<size_t>(this->geom_.levels));
  ASSERT_TRUE(this->pt_->unmap(GuestPhysAddr(0x5000)).ok());
  ASSERT_TRUE(this->map(0x6000, 0xA000'0000, PageSize::Size4K).ok());
  ASSERT_TRUE(this->pt_->unmap_region(GuestPhysAddr(0x6000), 0x1000).ok());
  EXPECT_EQ(this->frames_.stats().deallocs, 0u);
  EXPECT_EQ(this->frames_.stats().allocs, after_map);
  EXPECT_EQ(this->table_count(), static_cast<size_t>(this->geom_.levels));
  ASSERT_TRUE(this->map(0x5000, 0xB000'0000, PageSize::Size4K).ok());
  EXPECT_EQ(this->frames_.stats().allocs, after_map);
}

// §8.6 drop frees every table frame (root included) and never the data frames of the leaves.
TYPED_TEST(PageTableTest, DestructorFreesAllTableFrames) {
  std::vector<HostPhysAddr> data;
  const uint64_t gpas[] = {0x1000, 0x2000, 0x20'3000, 0x4000'7000, 0x40'0000'0000 + 0x9000};
  for (uint64_t gpa : gpas) {
    auto f = this->frames_.alloc_frame();
    ASSERT_TRUE(f);
    data.push_back(*f);
    ASSERT_TRUE(this->pt_->map(GuestPhysAddr(gpa), *f, PageSize::Size4K, kRW).ok());
  }
  ASSERT_TRUE(this->map(0x8000'0000, 0x8000'0000, PageSize::Size1G).ok());
  ASSERT_TRUE(this->map(0xC000'0000 + k2M, 0x8000'0000, PageSize::Size2M).ok());
  ASSERT_TRUE(this->pt_->unmap(GuestPhysAddr(0x2000)).ok());
  const size_t tables = this->table_count();
  EXPECT_EQ(this->frames_.stats().outstanding(),
            tables - 1 + this->geom_.root_frames() + data.size());
  this->pt_.reset();
  EXPECT_EQ(this->frames_.stats().outstanding(), data.size());
  for (HostPhysAddr f : data) this->frames_.dealloc_frame(f);
  EXPECT_EQ(this->frames_.stats().outstanding(), 0u);
  EXPECT_EQ(this->mem_.touched_frames(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Format quirks of §9 seen through the table (crate geometry).

struct Fixture {
  explicit Fixture(Arch a, int levels) {
    const Stage2Config c{a, levels, GeometryMode::Crate, 0};
    pt = std::move(create_stage2_table(c, *stage2_geometry(c), Hal{&frames, &mem}).value());
  }
  BumpFrameAllocator frames{1024};
  PhysMem mem;
  std::unique_ptr<AnyPageTable> pt;
};

// §9.2: a DEVICE|UNCACHED leaf cannot be decoded by the crate: query and unmap are Panic (the
// crate panics), the leaf is dumped with empty flags, and the table is still destructible.
TEST(PageTableQuirks, Aarch64DeviceUncachedDecoderPanics) {
  Fixture fx(Arch::AArch64, 3);
  const MappingFlags f = kRW | MappingFlags::DEVICE | MappingFlags::UNCACHED;
  ASSERT_TRUE(
      fx.pt->map(GuestPhysAddr(0x9000), HostPhysAddr(0xF000'0000), PageSize::Size4K, f).ok());
  EXPECT_EQ(err(fx.pt->query(GuestPhysAddr(0x9000))), PagingError::Panic);
  EXPECT_EQ(err(fx.pt->unmap(GuestPhysAddr(0x9000))), PagingError::Panic);
  int leaves = 0;
  fx.pt->for_each_leaf([&](GuestPhysAddr g, const Mapping& m) {
    ++leaves;
    EXPECT_EQ(g.value(), 0x9000u);
    EXPECT_TRUE(m.flags.empty());
  });
  EXPECT_EQ(leaves, 1);
  fx.pt.reset();
  EXPECT_EQ(fx.frames.stats().outstanding(), 0u);
}

// §9.2: a leaf without READ has VALID clear: non-zero (AlreadyMapped) yet not present (NotMapped);
// unmap zeroes it, after which the slot can be mapped again.
TEST(PageTableQuirks, Aarch64WriteOnlyLeafIsInvalid) {
  Fixture fx(Arch::AArch64, 4);
  const GuestPhysAddr g(0x9000);
  ASSERT_TRUE(fx.pt->map(g, HostPhysAddr(0xF000'0000), PageSize::Size4K, MappingFlags::WRITE).ok());
  EXPECT_EQ(err(fx.pt->query(g)), PagingError::NotMapped);
  EXPECT_EQ(err(fx.pt->map(g, HostPhysAddr(0xF000'0000), PageSize::Size4K, kRW)),
            PagingError::AlreadyMapped);
  EXPECT_EQ(err(fx.pt->unmap(g)), PagingError::NotMapped);
  ASSERT_TRUE(fx.pt->map(g, HostPhysAddr(0xF000'0000), PageSize::Size4K, kRW).ok());
  EXPECT_TRUE(fx.pt->query(g).ok());
}

// §8.4 remap has no presence check + §9.2 the zero entry is "huge": remap on an empty 3-level
// table stops at the empty root entry and writes a 1 GiB block there (address not aligned down).
TEST(PageTableQuirks, Aarch64RemapOnEmptyRootWritesBlock) {
  Fixture fx(Arch::AArch64, 3);
  auto r = fx.pt->remap(GuestPhysAddr(k1G + 0x5000), HostPhysAddr(0x1'2345'6000), kRW);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, PageSize::Size1G);
  EXPECT_EQ(fx.mem.read_u64(fx.pt->root_paddr() + 8), 0x1'2345'6000u | 0x6FD);
  auto q = fx.pt->query(GuestPhysAddr(k1G + 0x10));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->hpa.value(), 0x1'2345'6010u);
  EXPECT_EQ(q->size, PageSize::Size1G);
}

// §9.1: the EPT lazy placeholder (HPA 0, empty flags) is the all-zero entry: not mapped, and the
// slot counts as unused for a later map. RISC-V's (P>>2) empty-flag leaf is used but not present.
TEST(PageTableQuirks, EmptyFlagLeaves) {
  Fixture ept(Arch::X86_64, 4);
  const GuestPhysAddr g(0x3000);
  ASSERT_TRUE(ept.pt->map(g, HostPhysAddr(0), PageSize::Size4K, MappingFlags()).ok());
  EXPECT_EQ(err(ept.pt->query(g)), PagingError::NotMapped);
  EXPECT_TRUE(ept.pt->map(g, HostPhysAddr(0x5000), PageSize::Size4K, kRW).ok());
  Fixture rv(Arch::RiscV64, 3);
  ASSERT_TRUE(rv.pt->map(g, HostPhysAddr(0x5000), PageSize::Size4K, MappingFlags()).ok());
  EXPECT_EQ(err(rv.pt->query(g)), PagingError::NotMapped);
  EXPECT_EQ(err(rv.pt->map(g, HostPhysAddr(0x5000), PageSize::Size4K, kRW)),
            PagingError::AlreadyMapped);
}

// §8.6: drop follows every entry above the leaf level whose address field is non-zero and that
// is not huge (the crate's next_table test; no presence check). A RISC-V 2M leaf with empty flags
// is (P>>2): not present, not huge, so the crate frees P as if it were a table: 3 deallocs for 2
// allocs.
TEST(PageTableQuirks, RiscvEmptyFlagBlockIsFreedAsTableOnDrop) {
  Fixture rv(Arch::RiscV64, 3);
  ASSERT_TRUE(
      rv.pt->map(GuestPhysAddr(k2M), HostPhysAddr(0x4000'0000), PageSize::Size2M, MappingFlags())
          .ok());
  int tables = 0;
  rv.pt->for_each_table([&](HostPhysAddr, int) { ++tables; });
  EXPECT_EQ(tables, 3);  // the dump already descends into it
  rv.pt.reset();
  EXPECT_EQ(rv.frames.stats().allocs, 2u);
  EXPECT_EQ(rv.frames.stats().deallocs, 3u);
}

}  // namespace
}  // namespace nptsim
