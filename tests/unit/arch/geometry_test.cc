// Per-level geometry of the stage-2 formats (spec §8.1, §9.1-§9.3 "Shape") in the crate's shape
// and the hardware shape (RISC-V Sv39x4/Sv48x4 wide roots, AArch64 concatenated start-level
// tables, 5-level EPT), and tables built on them with create_stage2_table.
#include "models/core/pt/geometry.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "models/core/arch/arch_registry.h"
#include "models/core/arch/arm64_s2/s2_pte.h"
#include "models/core/mem/frame_allocator.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/pt/any_page_table.h"

namespace nptsim {
namespace {

constexpr MappingFlags kRW = MappingFlags::READ | MappingFlags::WRITE;

std::optional<Geometry> geo(Arch a, int levels, GeometryMode m, unsigned ipa_bits = 0) {
  return stage2_geometry(Stage2Config{a, levels, m, ipa_bits});
}

// Checks the conventional 9-bits-per-level shape below the root (spec §8.1).
void expect_levels(const Geometry& g, int levels, unsigned root_bits) {
  ASSERT_EQ(g.levels, levels);
  for (int i = 0; i < levels; ++i) {
    EXPECT_EQ(g.level[i].shift, 12 + 9 * (levels - 1 - i)) << "level " << i;
    EXPECT_EQ(g.level[i].index_bits, i == 0 ? root_bits : 9u) << "level " << i;
  }
}

// §9.1/§9.2/§9.3 "Shape", crate mode: x86 only 4 levels; aarch64 and riscv 3 or 4; one 4 KiB
// root of 9 index bits; input 39 or 48 bits; 5 levels rejected; x86 level 3 rejected.
TEST(Stage2Geometry, CrateShapes) {
  const auto x86 = geo(Arch::X86_64, 4, GeometryMode::Crate);
  ASSERT_TRUE(x86);
  expect_levels(*x86, 4, 9);
  EXPECT_EQ(x86->input_bits(), 48u);
  EXPECT_EQ(x86->root_frames(), 1u);
  EXPECT_FALSE(geo(Arch::X86_64, 3, GeometryMode::Crate));
  EXPECT_FALSE(geo(Arch::X86_64, 5, GeometryMode::Crate));
  for (Arch a : {Arch::AArch64, Arch::RiscV64}) {
    for (int levels : {3, 4}) {
      const auto g = geo(a, levels, GeometryMode::Crate);
      ASSERT_TRUE(g) << to_string(a) << " " << levels;
      expect_levels(*g, levels, 9);
      EXPECT_EQ(g->input_bits(), levels == 3 ? 39u : 48u);
      EXPECT_EQ(g->root_bytes(), 0x1000u);
      EXPECT_EQ(g->root_frames(), 1u);
    }
    EXPECT_FALSE(geo(a, 5, GeometryMode::Crate)) << to_string(a);
    EXPECT_FALSE(geo(a, 2, GeometryMode::Crate)) << to_string(a);
  }
}

// §1.4/§9: blocks only where entries cover 1 GiB / 2 MiB (x86, aarch64); RISC-V allows leaves
// (superpages) at every level.
TEST(Stage2Geometry, LeafAllowedLevels) {
  const auto x86 = geo(Arch::X86_64, 4, GeometryMode::Crate);
  ASSERT_TRUE(x86);
  EXPECT_FALSE(x86->level[0].leaf_allowed);
  EXPECT_TRUE(x86->level[1].leaf_allowed);
  EXPECT_TRUE(x86->level[2].leaf_allowed);
  EXPECT_TRUE(x86->level[3].leaf_allowed);
  const auto rv = geo(Arch::RiscV64, 4, GeometryMode::Crate);
  ASSERT_TRUE(rv);
  EXPECT_TRUE(rv->level[0].leaf_allowed);
}

// §9.3 "Differences from the H spec": Sv39x4 / Sv48x4 roots have 11 index bits (GPA bits 40:30
// / 49:39), 2048 entries = 16 KiB = 4 frames.
TEST(Stage2Geometry, RiscvHardwareWideRoot) {
  const auto sv39x4 = geo(Arch::RiscV64, 3, GeometryMode::Hardware);
  ASSERT_TRUE(sv39x4);
  expect_levels(*sv39x4, 3, 11);
  EXPECT_EQ(sv39x4->root_bytes(), 16u * 1024);
  EXPECT_EQ(sv39x4->root_frames(), 4u);
  EXPECT_EQ(sv39x4->input_bits(), 41u);
  EXPECT_EQ(sv39x4->index(0, uint64_t{1} << 40), 1024u);
  EXPECT_EQ(sv39x4->index(0, uint64_t{1} << 41), 0u);
  const auto sv48x4 = geo(Arch::RiscV64, 4, GeometryMode::Hardware);
  ASSERT_TRUE(sv48x4);
  expect_levels(*sv48x4, 4, 11);
  EXPECT_EQ(sv48x4->root_frames(), 4u);
  EXPECT_EQ(sv48x4->input_bits(), 50u);
  EXPECT_FALSE(geo(Arch::RiscV64, 5, GeometryMode::Hardware));
}

// §9.2 "Shape" (Arm ARM concatenated start-level tables): 3 levels start at level 1 with up to
// 16 concatenated tables (IPA 40 -> 2 pages, 43 -> 16 pages, 44 rejected); 4 levels start at
// level 0 with one page (48 bits, 49 rejected). ipa_bits 0 means 40 / 48.
TEST(Stage2Geometry, Aarch64HardwareConcatenatedRoot) {
  const auto ipa40 = geo(Arch::AArch64, 3, GeometryMode::Hardware, 40);
  ASSERT_TRUE(ipa40);
  expect_levels(*ipa40, 3, 10);
  EXPECT_EQ(ipa40->root_bytes(), 8u * 1024);
  EXPECT_EQ(ipa40->root_frames(), 2u);
  EXPECT_EQ(ipa40->input_bits(), 40u);
  const auto dflt3 = geo(Arch::AArch64, 3, GeometryMode::Hardware);
  ASSERT_TRUE(dflt3);
  EXPECT_EQ(dflt3->input_bits(), 40u);
  EXPECT_EQ(dflt3->root_frames(), 2u);

  const auto ipa43 = geo(Arch::AArch64, 3, GeometryMode::Hardware, 43);
  ASSERT_TRUE(ipa43);
  expect_levels(*ipa43, 3, 13);
  EXPECT_EQ(ipa43->root_frames(), 16u);
  EXPECT_EQ(ipa43->input_bits(), 43u);
  EXPECT_FALSE(geo(Arch::AArch64, 3, GeometryMode::Hardware, 44));
  EXPECT_FALSE(geo(Arch::AArch64, 3, GeometryMode::Hardware, 30));  // nothing to index at the root

  const auto ipa39 = geo(Arch::AArch64, 3, GeometryMode::Hardware, 39);
  ASSERT_TRUE(ipa39);
  EXPECT_EQ(ipa39->root_frames(), 1u);

  const auto ipa48 = geo(Arch::AArch64, 4, GeometryMode::Hardware, 48);
  ASSERT_TRUE(ipa48);
  expect_levels(*ipa48, 4, 9);
  EXPECT_EQ(ipa48->root_frames(), 1u);
  EXPECT_EQ(ipa48->input_bits(), 48u);
  const auto dflt4 = geo(Arch::AArch64, 4, GeometryMode::Hardware);
  ASSERT_TRUE(dflt4);
  EXPECT_EQ(dflt4->input_bits(), 48u);
  EXPECT_FALSE(geo(Arch::AArch64, 4, GeometryMode::Hardware, 49));
  EXPECT_FALSE(geo(Arch::AArch64, 5, GeometryMode::Hardware));
}

// §9.1: hardware mode also allows 5-level EPT (PML5, 57-bit GPAs); level 3 stays rejected.
TEST(Stage2Geometry, X86HardwareFiveLevels) {
  const auto ept5 = geo(Arch::X86_64, 5, GeometryMode::Hardware);
  ASSERT_TRUE(ept5);
  expect_levels(*ept5, 5, 9);
  EXPECT_EQ(ept5->input_bits(), 57u);
  EXPECT_EQ(ept5->root_frames(), 1u);
  const auto ept4 = geo(Arch::X86_64, 4, GeometryMode::Hardware);
  ASSERT_TRUE(ept4);
  EXPECT_EQ(ept4->input_bits(), 48u);
  EXPECT_FALSE(geo(Arch::X86_64, 3, GeometryMode::Hardware));
}

// A table built on a geometry, with its HAL.
struct Built {
  BumpFrameAllocator frames{1u << 16};
  PhysMem mem;
  std::unique_ptr<AnyPageTable> pt;
};

std::unique_ptr<Built> build(const Stage2Config& cfg, bool skew_allocator = false) {
  auto b = std::make_unique<Built>();
  if (skew_allocator) {
    auto f = b->frames.alloc_frame();  // next frame is now only 4 KiB-aligned
    EXPECT_TRUE(f);
  }
  const auto g = stage2_geometry(cfg);
  EXPECT_TRUE(g);
  if (!g) return nullptr;
  auto r = create_stage2_table(cfg, *g, Hal{&b->frames, &b->mem});
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return nullptr;
  b->pt = std::move(r.value());
  return b;
}

std::vector<int> table_depths(const AnyPageTable& pt) {
  std::vector<int> depths;
  pt.for_each_table([&](HostPhysAddr, int depth) { depths.push_back(depth); });
  return depths;
}

// §9.3 (H extension: 16 KiB-aligned root): the Sv39x4 root is a 16 KiB-aligned block of 4
// frames even when the allocator's next frame is only 4 KiB-aligned.
TEST(Stage2Table, Sv39x4RootIs16KiBAligned) {
  auto b = build(Stage2Config{Arch::RiscV64, 3, GeometryMode::Hardware, 0}, true);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->pt->root_paddr().is_aligned(16 * 1024));
  EXPECT_EQ(b->pt->root_paddr().value(), BumpFrameAllocator::kDefaultBase + 0x4000);
  EXPECT_EQ(b->frames.stats().allocs, 1u + 4u);
  EXPECT_EQ(b->pt->entries_at(0), 2048u);
  b->pt.reset();
  EXPECT_EQ(b->frames.stats().outstanding(), 1u);  // only the skew frame is left
}

// §9.3: in Sv39x4, GPA bits 39 and 40 are indexed, so GPAs that differ only there are distinct.
TEST(Stage2Table, Sv39x4Bits39And40DoNotAlias) {
  auto b = build(Stage2Config{Arch::RiscV64, 3, GeometryMode::Hardware, 0});
  ASSERT_TRUE(b);
  AnyPageTable& pt = *b->pt;
  const uint64_t gpas[] = {0x1000, 0x1000 | (uint64_t{1} << 39), 0x1000 | (uint64_t{1} << 40),
                           0x1000 | (uint64_t{3} << 39)};
  for (size_t i = 0; i < 4; ++i) {
    auto r = pt.map(GuestPhysAddr(gpas[i]), HostPhysAddr(0xA000'0000 + i * 0x1000),
                    PageSize::Size4K, kRW);
    EXPECT_TRUE(r.ok()) << "gpa " << std::hex << gpas[i];
  }
  for (size_t i = 0; i < 4; ++i) {
    auto q = pt.query(GuestPhysAddr(gpas[i] + 0x10));
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->hpa.value(), 0xA000'0000 + i * 0x1000 + 0x10);
  }
}

// §8.1/§9.3: in the crate's Sv39 shape bits 39/40 are ignored: 0x1000|1<<39 aliases 0x1000.
TEST(Stage2Table, CrateSv39Bit39Aliases) {
  auto b = build(Stage2Config{Arch::RiscV64, 3, GeometryMode::Crate, 0});
  ASSERT_TRUE(b);
  AnyPageTable& pt = *b->pt;
  ASSERT_TRUE(pt.map(GuestPhysAddr(0x1000), HostPhysAddr(0xA000'0000), PageSize::Size4K, kRW).ok());
  auto r = pt.map(GuestPhysAddr(0x1000 | (uint64_t{1} << 39)), HostPhysAddr(0xB000'0000),
                  PageSize::Size4K, kRW);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, PagingError::AlreadyMapped);
  auto q = pt.query(GuestPhysAddr(0x1000 | (uint64_t{1} << 40)));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->hpa.value(), 0xA000'0000u);
}

// §8.1: the crate's 4-level x86 table ignores GPA bits from 48 up.
TEST(Stage2Table, CrateEpt4Bit48Aliases) {
  auto b = build(Stage2Config{Arch::X86_64, 4, GeometryMode::Crate, 0});
  ASSERT_TRUE(b);
  ASSERT_TRUE(b->pt->map(GuestPhysAddr(0x5000), HostPhysAddr(0x8000), PageSize::Size4K, kRW).ok());
  auto q = b->pt->query(GuestPhysAddr(0x5000 | (uint64_t{1} << 48)));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->hpa.value(), 0x8000u);
}

// §9.2 (Arm ARM concatenated tables): with a 40-bit IPA and 3 levels the root is 2 pages; GPA
// bit 39 selects the second page, so the level-1 entry lives at root + 4096 + index * 8.
TEST(Stage2Table, Aarch64ConcatenatedRootSecondPage) {
  auto b = build(Stage2Config{Arch::AArch64, 3, GeometryMode::Hardware, 40});
  ASSERT_TRUE(b);
  AnyPageTable& pt = *b->pt;
  const HostPhysAddr root = pt.root_paddr();
  EXPECT_TRUE(root.is_aligned(0x2000));
  EXPECT_EQ(pt.entries_at(0), 1024u);
  const uint64_t gpa = (uint64_t{1} << 39) | (uint64_t{5} << 30) | 0x2000;
  ASSERT_TRUE(pt.map(GuestPhysAddr(gpa), HostPhysAddr(0xC000'0000), PageSize::Size4K, kRW).ok());

  const uint64_t second = b->mem.read_u64(root + 0x1000 + 5 * 8);
  EXPECT_EQ(b->mem.read_u64(root + 5 * 8), 0u);  // same index in the first page: untouched
  EXPECT_EQ(second & 0xFFFu, 0x3u);              // a table descriptor
  EXPECT_TRUE(arm64_s2::S2Pte::is_present(second));
  EXPECT_FALSE(arm64_s2::S2Pte::is_huge(second));

  std::vector<std::pair<HostPhysAddr, int>> tables;
  pt.for_each_table([&](HostPhysAddr t, int depth) { tables.emplace_back(t, depth); });
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0], std::make_pair(root, 0));
  EXPECT_EQ(tables[1], std::make_pair(arm64_s2::S2Pte::paddr(second), 1));
  EXPECT_EQ(tables[2].second, 2);

  auto q = pt.query(GuestPhysAddr(gpa));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->hpa.value(), 0xC000'0000u);
  auto other = pt.query(GuestPhysAddr(gpa & ~(uint64_t{1} << 39)));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, PagingError::NotMapped);
  b->pt.reset();
  EXPECT_EQ(b->frames.stats().outstanding(), 0u);
}

// §9.2: a 43-bit IPA needs 16 concatenated pages; the top index lands in the last page.
TEST(Stage2Table, Aarch64SixteenPageRoot) {
  auto b = build(Stage2Config{Arch::AArch64, 3, GeometryMode::Hardware, 43});
  ASSERT_TRUE(b);
  AnyPageTable& pt = *b->pt;
  EXPECT_TRUE(pt.root_paddr().is_aligned(16 * 0x1000));
  const uint64_t gpa = (uint64_t{1} << 43) - 0x1000;  // highest 4 KiB page of the IPA space
  ASSERT_TRUE(pt.map(GuestPhysAddr(gpa), HostPhysAddr(0xD000'0000), PageSize::Size4K, kRW).ok());
  EXPECT_NE(b->mem.read_u64(pt.root_paddr() + 15 * 0x1000 + 511 * 8), 0u);
  EXPECT_EQ(b->frames.stats().allocs, 16u + 2u);
}

// §9.1 (SDM 5-level EPT): a GPA of 2^50 maps in a 5-level table and the dump has 5 depths.
TEST(Stage2Table, FiveLevelEptMapsAbove48Bits) {
  auto b = build(Stage2Config{Arch::X86_64, 5, GeometryMode::Hardware, 0});
  ASSERT_TRUE(b);
  AnyPageTable& pt = *b->pt;
  const uint64_t gpa = uint64_t{1} << 50;
  ASSERT_TRUE(pt.map(GuestPhysAddr(gpa), HostPhysAddr(0xE000'0000), PageSize::Size4K, kRW).ok());
  EXPECT_EQ(table_depths(pt), (std::vector<int>{0, 1, 2, 3, 4}));
  auto q = pt.query(GuestPhysAddr(gpa | 0x123));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->hpa.value(), 0xE000'0123u);
  EXPECT_EQ(q->size, PageSize::Size4K);
  auto low = pt.query(GuestPhysAddr(0));  // no aliasing at bit 50 (4 levels would alias)
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.error().code, PagingError::NotMapped);
  // Root index of 2^50 is (2^50 >> 48) & 511 = 4.
  EXPECT_NE(b->mem.read_u64(pt.root_paddr() + 4 * 8), 0u);
}

}  // namespace
}  // namespace nptsim
