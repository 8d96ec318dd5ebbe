// Hardware stage-2 walks over tables that AddrSpace wrote (walk/stage2_walker.h with each
// format's rules): step counts per geometry, leaves, faults with their kind and level, A/D.
#include <gtest/gtest.h>

#include "models/core/addrspace/address_space.h"
#include "models/core/arch/arch_registry.h"

namespace nptsim {
namespace {

constexpr uint32_t R = MappingFlags::READ, W = MappingFlags::WRITE, X = MappingFlags::EXECUTE,
                   U = MappingFlags::USER;

struct Guest {
  Guest(Arch arch, int levels, GeometryMode mode, unsigned ipa_bits = 0)
      : frames(HostPhysAddr(0x8000'0000), 1 << 16), mem(), port(mem) {
    cfg = Stage2Config{arch, levels, mode, ipa_bits};
    auto g = stage2_geometry(cfg);
    EXPECT_TRUE(g.has_value());
    as = std::move(AddrSpace::new_empty(cfg, GuestPhysAddr(0), uint64_t{1} << g->input_bits(),
                                        Hal{&frames, &mem})
                       .value());
    regime.geometry = *hardware_walk_geometry(cfg);
    regime.root = as->page_table_root();
  }
  WalkResult walk(uint64_t gpa, AccessKind a = AccessKind::Read) {
    return walk_stage2(cfg.arch, GuestPhysAddr(gpa), a, regime, port);
  }
  uint64_t pte(const WalkResult& r, size_t i) const { return r.steps[i].raw; }

  Stage2Config cfg;
  FreeListFrameAllocator frames;
  PhysMem mem;
  DirectPteMemory port;
  std::unique_ptr<AddrSpace> as;
  Stage2Regime regime;
};

struct Shape {
  Arch arch;
  int levels;
  unsigned ipa_bits;
  int cold_reads;  // PTE reads of a cold 4 KiB walk
};
void PrintTo(const Shape& s, std::ostream* os) {
  *os << s.arch << " " << s.levels << "-level, " << s.ipa_bits << "-bit input";
}

class ColdWalk : public ::testing::TestWithParam<Shape> {};

// A cold 4 KiB walk reads one PTE per level; a 2 MiB block one fewer; the result matches
// AddrSpace::translate.
TEST_P(ColdWalk, ReadsOnePtePerLevel) {
  const Shape s = GetParam();
  Guest g(s.arch, s.levels, GeometryMode::Hardware, s.ipa_bits);
  const MappingFlags rwxu(R | W | X | U);
  ASSERT_TRUE(
      g.as->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'1000), 0x1000, rwxu).ok());
  ASSERT_TRUE(
      g.as->map_linear(GuestPhysAddr(0x4000'0000), HostPhysAddr(0x2'0000'0000), 0x20'0000, rwxu)
          .ok());
  WalkResult r = g.walk(0x1234);
  ASSERT_TRUE(r.ok) << to_string(r.fault.kind) << " at " << int{r.fault.level};
  EXPECT_EQ(r.steps.reads(), static_cast<size_t>(s.cold_reads));
  EXPECT_EQ(r.hpa, **g.as->translate(GuestPhysAddr(0x1234)));
  EXPECT_EQ(r.size, PageSize::Size4K);
  for (size_t i = 0; i < r.steps.size(); ++i) EXPECT_EQ(r.steps[i].level, static_cast<int>(i));
  EXPECT_EQ(r.steps[0].pte_addr.value() & ~0xFFFull, g.regime.root.value() & ~0xFFFull);

  WalkResult b = g.walk(0x4012'3456);
  ASSERT_TRUE(b.ok);
  EXPECT_EQ(b.steps.reads(), static_cast<size_t>(s.cold_reads - 1));
  EXPECT_EQ(b.size, PageSize::Size2M);
  EXPECT_EQ(b.hpa.value(), 0x2'0012'3456u);
}

INSTANTIATE_TEST_SUITE_P(
    Geometries, ColdWalk,
    ::testing::Values(Shape{Arch::X86_64, 4, 0, 4}, Shape{Arch::X86_64, 5, 0, 5},
                      Shape{Arch::AArch64, 3, 39, 3}, Shape{Arch::AArch64, 3, 40, 3},
                      Shape{Arch::AArch64, 4, 48, 4}, Shape{Arch::RiscV64, 3, 0, 3},
                      Shape{Arch::RiscV64, 4, 0, 4}),
    [](const auto& p) {
      return std::string(to_string(p.param.arch)) + "_l" + std::to_string(p.param.levels) + "_ipa" +
             std::to_string(p.param.ipa_bits);
    });

TEST(Stage2Walk, UnmappedGpaFaultsWhereTheWalkStops) {
  for (Arch a : kAllArchs) {
    Guest g(a, 4, GeometryMode::Hardware);
    ASSERT_TRUE(g.as->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'0000), 0x1000,
                                 MappingFlags(R | W | U))
                    .ok());
    WalkResult far = g.walk(0x80'0000'0000);  // another root entry: empty
    EXPECT_FALSE(far.ok);
    EXPECT_EQ(far.fault.kind, FaultKind::Translation) << to_string(a);
    EXPECT_EQ(far.fault.level, 0) << to_string(a);
    WalkResult near = g.walk(0x5000);  // same leaf table, empty entry
    EXPECT_FALSE(near.ok);
    EXPECT_EQ(near.fault.level, 3) << to_string(a);
    EXPECT_EQ(near.fault.gpa.value(), 0x5000u);
  }
}

TEST(Stage2Walk, LazyPlaceholdersAreNotValid) {
  for (Arch a : kAllArchs) {
    Guest g(a, 3 + (a == Arch::X86_64), GeometryMode::Hardware);
    ASSERT_TRUE(
        g.as->map_alloc(GuestPhysAddr(0x10000), 0x2000, MappingFlags(R | W | U), false).ok());
    WalkResult r = g.walk(0x10008, AccessKind::Write);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.fault.kind, FaultKind::Translation) << to_string(a);
    EXPECT_EQ(r.fault.level, g.cfg.levels - 1) << to_string(a);
    ASSERT_TRUE(g.as->handle_page_fault(GuestPhysAddr(0x10008), MappingFlags(W)));
    EXPECT_TRUE(g.walk(0x10008, AccessKind::Write).ok) << to_string(a);
  }
}

TEST(Stage2Walk, PermissionFaultsPerFormat) {
  Guest ept(Arch::X86_64, 4, GeometryMode::Hardware);
  ASSERT_TRUE(
      ept.as
          ->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'0000), 0x1000, MappingFlags(R))
          .ok());
  EXPECT_TRUE(ept.walk(0x1000, AccessKind::Read).ok);
  EXPECT_EQ(ept.walk(0x1000, AccessKind::Write).fault.kind, FaultKind::Permission);
  EXPECT_EQ(ept.walk(0x1000, AccessKind::Fetch).fault.kind, FaultKind::Permission);
  EXPECT_EQ(ept.walk(0x1000, AccessKind::Write).fault.level, 3);

  Guest arm(Arch::AArch64, 3, GeometryMode::Hardware);
  ASSERT_TRUE(
      arm.as
          ->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'0000), 0x1000, MappingFlags(R))
          .ok());
  EXPECT_EQ(arm.walk(0x1000, AccessKind::Write).fault.kind, FaultKind::Permission);
  EXPECT_TRUE(arm.walk(0x1000, AccessKind::Fetch).ok);  // the crate never sets XN

  Guest rv(Arch::RiscV64, 3, GeometryMode::Hardware);
  ASSERT_TRUE(rv.as
                  ->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'0000), 0x1000,
                               MappingFlags(R | W))
                  .ok());
  ASSERT_TRUE(rv.as
                  ->map_linear(GuestPhysAddr(0x2000), HostPhysAddr(0x1'0000'1000), 0x1000,
                               MappingFlags(R | U))
                  .ok());
  EXPECT_EQ(rv.walk(0x1000).fault.kind, FaultKind::Permission);  // G-stage needs U
  EXPECT_TRUE(rv.walk(0x2000).ok);
  EXPECT_EQ(rv.walk(0x2000, AccessKind::Write).fault.kind, FaultKind::Permission);
}

TEST(Stage2Walk, EptMisconfigurations) {
  Guest g(Arch::X86_64, 4, GeometryMode::Hardware);
  ASSERT_TRUE(
      g.as->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'0000), 0x1000, MappingFlags(W))
          .ok());
  WalkResult w = g.walk(0x1000, AccessKind::Write);  // write without read
  EXPECT_EQ(w.fault.kind, FaultKind::Misconfig);
  EXPECT_EQ(w.fault.level, 3);
  // Memory type 2 (reserved) in a leaf.
  ASSERT_TRUE(
      g.as->map_linear(GuestPhysAddr(0x2000), HostPhysAddr(0x1'0000'1000), 0x1000, MappingFlags(R))
          .ok());
  const HostPhysAddr leaf = g.walk(0x2000).steps[3].pte_addr;
  g.mem.write_u64(leaf, (g.mem.read_u64(leaf) & ~0x38ull) | (2 << 3));
  EXPECT_EQ(g.walk(0x2000).fault.kind, FaultKind::Misconfig);
  // An address bit above MAXPHYADDR (pa_bits) is reserved.
  g.regime.pa_bits = 36;
  EXPECT_EQ(g.walk(0x1000).fault.kind, FaultKind::Misconfig);
}

TEST(Stage2Walk, EptAccessedAndDirtyWriteBack) {
  Guest g(Arch::X86_64, 4, GeometryMode::Hardware);
  g.regime.ept_ad_enabled = true;
  ASSERT_TRUE(g.as->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'0000), 0x1000,
                               MappingFlags(R | W))
                  .ok());
  WalkResult r = g.walk(0x1000, AccessKind::Read);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.steps.size(), 8u);  // 4 reads, then A set in 4 entries
  for (size_t i = 4; i < 8; ++i) {
    EXPECT_TRUE(r.steps[i].write);
    EXPECT_TRUE(r.steps[i].raw & (1u << 8));
  }
  WalkResult again = g.walk(0x1000, AccessKind::Read);
  EXPECT_EQ(again.steps.size(), 4u);  // A already set: no write-back
  WalkResult w = g.walk(0x1000, AccessKind::Write);
  ASSERT_EQ(w.steps.size(), 5u);  // D in the leaf
  EXPECT_TRUE(g.mem.read_u64(w.steps[4].pte_addr) & (1u << 9));
}

TEST(Stage2Walk, ArmAccessFlagAndAddressSize) {
  Guest g(Arch::AArch64, 3, GeometryMode::Hardware);
  ASSERT_TRUE(g.as->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'0000), 0x1000,
                               MappingFlags(R | W))
                  .ok());
  const HostPhysAddr leaf = g.walk(0x1000).steps[2].pte_addr;
  g.mem.write_u64(leaf, g.mem.read_u64(leaf) & ~(1ull << 10));  // AF = 0
  EXPECT_EQ(g.walk(0x1000).fault.kind, FaultKind::AccessFlag);
  g.regime.arm_hw_access_flag = true;  // VTCR_EL2.HA
  WalkResult r = g.walk(0x1000);
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(g.mem.read_u64(leaf) & (1ull << 10));
  g.regime.pa_bits = 32;  // the output address 0x1'0000'0000 no longer fits
  EXPECT_EQ(g.walk(0x1000).fault.kind, FaultKind::AddressSize);
  EXPECT_EQ(g.walk(uint64_t{1} << 40).fault.kind, FaultKind::Translation);  // beyond the 40-bit IPA
  EXPECT_EQ(g.walk(uint64_t{1} << 40).steps.size(), 0u);
}

TEST(Stage2Walk, RiscvAdPolicyAndX4Range) {
  Guest g(Arch::RiscV64, 3, GeometryMode::Hardware);
  ASSERT_TRUE(g.as->map_linear(GuestPhysAddr(uint64_t{3} << 39), HostPhysAddr(0x1'0000'0000),
                               0x1000, MappingFlags(R | W | U))
                  .ok());
  WalkResult top = g.walk(uint64_t{3} << 39);  // GPA bits 40:39 index the 16 KiB root
  ASSERT_TRUE(top.ok);
  EXPECT_EQ(top.steps[0].pte_addr.value(), g.regime.root.value() + 8 * (3 << 9));
  EXPECT_EQ(g.walk(uint64_t{1} << 41).fault.kind, FaultKind::Translation);  // beyond Sv39x4
  const HostPhysAddr leaf = top.steps[2].pte_addr;
  g.mem.write_u64(leaf, g.mem.read_u64(leaf) & ~(uint64_t{1} << 7));  // D = 0
  EXPECT_TRUE(g.walk(uint64_t{3} << 39).ok);
  EXPECT_EQ(g.walk(uint64_t{3} << 39, AccessKind::Write).fault.kind,
            FaultKind::AccessFlag);  // Svade
  g.regime.riscv_hw_ad = true;       // Svadu
  WalkResult w = g.walk(uint64_t{3} << 39, AccessKind::Write);
  ASSERT_TRUE(w.ok);
  EXPECT_TRUE(w.steps[3].write);
  EXPECT_TRUE(g.mem.read_u64(leaf) & (uint64_t{1} << 7));
}

// The crate's 4 KiB RISC-V root under a hardware Sv39x4 walk: GPAs with bit 39 or 40 set index
// past the root page, which hardware reads as more root entries (here: zero, so a fault).
TEST(Stage2Walk, CrateRiscvRootUnderHardwareWalk) {
  Guest g(Arch::RiscV64, 3, GeometryMode::Crate);
  ASSERT_TRUE(g.as->map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x1'0000'0000), 0x1000,
                               MappingFlags(R | U))
                  .ok());
  EXPECT_TRUE(g.walk(0x1000).ok);
  WalkResult alias = g.walk(0x1000 | uint64_t{1} << 39);
  EXPECT_FALSE(alias.ok);  // the crate's walker would alias it to 0x1000
  EXPECT_EQ(alias.steps[0].pte_addr.value(), g.regime.root.value() + 0x1000);
}

}  // namespace
}  // namespace nptsim
