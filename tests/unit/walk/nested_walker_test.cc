// Two-dimensional walks (walk/nested_walker.h): guest stage-1 tables written into guest memory
// (at GPAs that AddrSpace translates), walked through stage 2 on every reference.
#include <gtest/gtest.h>

#include "models/core/addrspace/address_space.h"
#include "models/core/arch/arch_registry.h"

namespace nptsim {
namespace {

constexpr uint32_t R = MappingFlags::READ, W = MappingFlags::WRITE, X = MappingFlags::EXECUTE,
                   U = MappingFlags::USER;
constexpr uint64_t kRam = uint64_t{64} << 20;

// A guest with 64 MiB of RAM (eager Alloc: 4 KiB stage-2 pages) and its own stage-1 tables,
// written by a tiny guest "OS" into guest memory.
struct Guest2D {
  Guest2D(Arch a, int s1_levels, int s2_levels)
      : arch(a), frames(HostPhysAddr(0x8000'0000), 1 << 16), port(mem) {
    Stage2Config cfg{a, s2_levels, GeometryMode::Hardware, 0};
    auto g2 = stage2_geometry(cfg);
    as = std::move(AddrSpace::new_empty(cfg, GuestPhysAddr(0), uint64_t{1} << g2->input_bits(),
                                        Hal{&frames, &mem})
                       .value());
    EXPECT_TRUE(as->map_alloc(GuestPhysAddr(0), kRam, MappingFlags(R | W | X | U), true).ok());
    s2.geometry = *hardware_walk_geometry(cfg);
    s2.root = as->page_table_root();
    s1.geometry = *stage1_geometry(a, s1_levels);
    s1.root = alloc_table();
  }
  GuestPhysAddr alloc_table() {
    GuestPhysAddr t(next_table);
    next_table += 0x1000;
    return t;  // eager RAM reads as zero: an empty table
  }
  HostPhysAddr hpa(GuestPhysAddr gpa) { return **as->translate(gpa); }
  // Maps GVA -> GPA in the guest's tables (4 KiB, or 2 MiB when `huge`).
  void map(uint64_t gva, uint64_t gpa, MappingFlags flags, bool huge = false) {
    const Geometry& g = s1.geometry;
    GuestPhysAddr table = s1.root;
    const int leaf_depth = huge ? g.levels - 2 : g.levels - 1;
    for (int d = 0; d < leaf_depth; ++d) {
      const HostPhysAddr e = hpa(table + g.index(d, gva) * 8);
      uint64_t raw = mem.read_u64(e);
      if (raw == 0) {
        const GuestPhysAddr next = alloc_table();
        raw = stage1_table_entry(arch, next);
        mem.write_u64(e, raw);
      }
      // The next table's GPA: every format keeps it where a PTE keeps its address.
      table = next_of(raw);
    }
    mem.write_u64(hpa(table + g.index(leaf_depth, gva) * 8),
                  stage1_leaf_entry(arch, GuestPhysAddr(gpa), flags, huge));
  }
  GuestPhysAddr next_of(uint64_t raw) const {
    if (arch == Arch::RiscV64)
      return GuestPhysAddr(((raw >> 10) & ((uint64_t{1} << 44) - 1)) << 12);
    return GuestPhysAddr(raw & 0x000F'FFFF'FFFF'F000 &
                         (arch == Arch::AArch64 ? 0x0000'FFFF'FFFF'F000 : ~uint64_t{0}));
  }
  WalkResult walk(uint64_t gva, AccessKind a = AccessKind::Read) {
    return walk_2d(arch, GuestVirtAddr(gva), a, s1, s2, port);
  }

  Arch arch;
  FreeListFrameAllocator frames;
  PhysMem mem;
  DirectPteMemory port;
  std::unique_ptr<AddrSpace> as;
  Stage1Regime s1;
  Stage2Regime s2;
  uint64_t next_table = 0x10'0000;
};

struct Shape {
  Arch arch;
  int s1, s2;
  size_t reads;  // (s1 + 1)(s2 + 1) - 1
};
void PrintTo(const Shape& s, std::ostream* os) {
  *os << s.arch << " " << s.s1 << "-level over " << s.s2 << "-level";
}

class Cold2D : public ::testing::TestWithParam<Shape> {};

// A cold 4 KiB two-dimensional walk reads (n+1)(m+1)-1 entries; a guest 2 MiB page removes one
// stage-1 level and its stage-2 walk.
TEST_P(Cold2D, ReadsNPlusOneTimesMPlusOneMinusOne) {
  const Shape s = GetParam();
  Guest2D g(s.arch, s.s1, s.s2);
  const uint64_t gva = 0x12'3456'7000;  // canonical for every format (Sv39: below 2^38)
  g.map(gva, 0x20'3000, MappingFlags(R | W | U));
  WalkResult r = g.walk(gva + 0x10);
  ASSERT_TRUE(r.ok) << to_string(r.fault.stage) << " " << to_string(r.fault.kind) << " level "
                    << int{r.fault.level};
  EXPECT_EQ(r.steps.reads(), s.reads);
  EXPECT_EQ(r.gpa.value(), 0x20'3010u);
  EXPECT_EQ(r.hpa, g.hpa(GuestPhysAddr(0x20'3010)));
  size_t s1_reads = 0;
  for (const WalkStep& st : r.steps) s1_reads += (st.stage == Stage::Stage1 && !st.write);
  EXPECT_EQ(s1_reads, static_cast<size_t>(s.s1));

  const uint64_t huge_gva = (gva + (uint64_t{1} << 30)) & ~uint64_t{0x1F'FFFF};
  g.map(huge_gva, 0x40'0000, MappingFlags(R | U), true);
  WalkResult h = g.walk(huge_gva + 0x12345);
  ASSERT_TRUE(h.ok);
  EXPECT_EQ(h.steps.reads(), s.reads - static_cast<size_t>(s.s2 + 1));
  EXPECT_EQ(h.gpa.value(), 0x41'2345u);
  EXPECT_EQ(h.s1_leaf_shift, 21);
  EXPECT_EQ(h.leaf_shift, 12);  // stage 2 maps 4 KiB pages: the TLB entry is splintered
}

INSTANTIATE_TEST_SUITE_P(
    Formats, Cold2D,
    ::testing::Values(Shape{Arch::X86_64, 4, 4, 24}, Shape{Arch::X86_64, 5, 5, 35},
                      Shape{Arch::AArch64, 3, 3, 15}, Shape{Arch::RiscV64, 3, 3, 15},
                      Shape{Arch::RiscV64, 4, 4, 24}, Shape{Arch::AArch64, 4, 4, 24}),
    [](const auto& p) {
      return std::string(to_string(p.param.arch)) + "_" + std::to_string(p.param.s1) + "x" +
             std::to_string(p.param.s2);
    });

// A guest write to a read-only guest page is a stage-1 (guest) fault, not a stage-2 one.
TEST(Walk2D, GuestPermissionFaultIsStage1) {
  for (Arch a : kAllArchs) {
    Guest2D g(a, a == Arch::X86_64 ? 4 : 3, a == Arch::X86_64 ? 4 : 3);
    g.map(0x1000'0000, 0x30'0000, MappingFlags(R | U));
    EXPECT_TRUE(g.walk(0x1000'0000).ok) << to_string(a);
    WalkResult w = g.walk(0x1000'0000, AccessKind::Write);
    EXPECT_FALSE(w.ok);
    EXPECT_EQ(w.fault.stage, Stage::Stage1) << to_string(a);
    EXPECT_EQ(w.fault.kind, FaultKind::Permission) << to_string(a);
    EXPECT_EQ(w.fault.gva.value(), 0x1000'0000u);
    WalkResult none = g.walk(0x2000'0000);  // not mapped by the guest
    EXPECT_EQ(none.fault.stage, Stage::Stage1);
    EXPECT_EQ(none.fault.kind, FaultKind::Translation);
  }
}

// A stage-2 fault while reading a stage-1 table entry says so, with the stage-1 level and the
// entry's GPA; one on the final access says that instead.
TEST(Walk2D, Stage2FaultsOnTableReadsAndFinalAccess) {
  for (Arch a : kAllArchs) {
    Guest2D g(a, a == Arch::X86_64 ? 4 : 3, a == Arch::X86_64 ? 4 : 3);
    g.map(0x1000'0000, kRam + 0x5000, MappingFlags(R | U));  // the guest maps a GPA outside its RAM
    WalkResult f = g.walk(0x1000'0000);
    EXPECT_FALSE(f.ok);
    EXPECT_EQ(f.fault.stage, Stage::Stage2) << to_string(a);
    EXPECT_FALSE(f.fault.on_stage1_table);
    EXPECT_EQ(f.fault.gpa.value(), kRam + 0x5000);
    // Drop the stage-2 mapping of the guest's root table page: the first reference faults.
    ASSERT_TRUE(g.as->unmap(g.s1.root, 0x1000).ok());
    WalkResult t = g.walk(0x1000'0000);
    EXPECT_FALSE(t.ok);
    EXPECT_EQ(t.fault.stage, Stage::Stage2) << to_string(a);
    EXPECT_TRUE(t.fault.on_stage1_table);
    EXPECT_EQ(t.fault.s1_level, 0);
    EXPECT_EQ(t.fault.gpa.value() & ~0xFFFull, g.s1.root.value());
  }
}

TEST(Walk2D, NonCanonicalAndAccessedDirty) {
  Guest2D x(Arch::X86_64, 4, 4);
  EXPECT_EQ(x.walk(0x0000'8000'0000'0000).fault.kind, FaultKind::NonCanonical);
  x.map(0x7000'0000, 0x30'0000, MappingFlags(R | W | U));
  WalkResult w = x.walk(0x7000'0000, AccessKind::Write);
  ASSERT_TRUE(w.ok);
  size_t writes = 0;
  for (const WalkStep& st : w.steps) writes += st.write;
  EXPECT_EQ(writes, 4u);  // A in four entries, D in the leaf (same write)
  WalkResult again = x.walk(0x7000'0000, AccessKind::Write);
  writes = 0;
  for (const WalkStep& st : again.steps) writes += st.write;
  EXPECT_EQ(writes, 0u);
  Guest2D rv(Arch::RiscV64, 3, 3);
  EXPECT_EQ(rv.walk(uint64_t{1} << 40).fault.kind,
            FaultKind::NonCanonical);  // Sv39: bits 63:38 equal
}

// AArch64 AF and RISC-V A/D of the guest's own leaves: a fault without hardware update, a
// write-back with it.
TEST(Walk2D, Stage1AccessFlagsFaultOrUpdate) {
  for (Arch a : {Arch::AArch64, Arch::RiscV64}) {
    Guest2D g(a, 3, 3);
    const uint64_t gva = 0x1000'0000;
    const Geometry& geo = g.s1.geometry;
    g.map(gva, 0x30'0000, MappingFlags(R | W | U));
    // Rewrite the leaf with its access flags clear.
    WalkResult ok = g.walk(gva);
    ASSERT_TRUE(ok.ok);
    HostPhysAddr leaf;
    for (const WalkStep& st : ok.steps) {
      if (st.stage == Stage::Stage1 && st.level == geo.levels - 1) leaf = st.pte_addr;
    }
    g.mem.write_u64(leaf, stage1_leaf_entry(a, GuestPhysAddr(0x30'0000), MappingFlags(R | W | U),
                                            false, false));
    WalkResult f = g.walk(gva);
    EXPECT_FALSE(f.ok);
    EXPECT_EQ(f.fault.stage, Stage::Stage1);
    EXPECT_EQ(f.fault.kind, FaultKind::AccessFlag) << to_string(a);
    g.s1.arm_hw_af = g.s1.riscv_hw_ad = true;
    WalkResult u = g.walk(gva, AccessKind::Write);
    ASSERT_TRUE(u.ok) << to_string(a);
    size_t writes = 0;
    for (const WalkStep& st : u.steps) writes += st.write;
    EXPECT_EQ(writes, 1u);
    EXPECT_NE(g.mem.read_u64(leaf), stage1_leaf_entry(a, GuestPhysAddr(0x30'0000),
                                                      MappingFlags(R | W | U), false, false));
  }
}

// A guest A/D update is a write to the entry's guest-physical address: when stage 2 maps the
// guest table page read-only, it is a stage-2 permission fault on the walk (SDM §29.3.3.2, Arm
// ARM stage-2 fault on a stage-1 walk, RISC-V implicit accesses); with A already set nothing is
// written and the read succeeds.
TEST(Walk2D, GuestAccessedDirtyUpdateNeedsStage2Write) {
  for (Arch a : kAllArchs) {
    Guest2D g(a, a == Arch::X86_64 ? 4 : 3, a == Arch::X86_64 ? 4 : 3);
    g.s1.arm_hw_af = g.s1.riscv_hw_ad = true;
    const uint64_t gva = 0x1000'0000, page = 0x30'0000;
    g.map(gva, page, MappingFlags(R | W | U));
    const WalkResult first = g.walk(gva);
    ASSERT_TRUE(first.ok) << to_string(a);
    HostPhysAddr leaf;
    for (const WalkStep& st : first.steps) {
      if (st.stage == Stage::Stage1 && !st.write && st.level == g.s1.geometry.levels - 1)
        leaf = st.pte_addr;
    }
    // The GPA of the leaf table page, found by asking which guest page maps to its host frame.
    uint64_t table_gpa = 0;
    for (uint64_t p = 0x10'0000; p < g.next_table; p += 0x1000) {
      if (g.hpa(GuestPhysAddr(p)).value() == (leaf.value() & ~uint64_t{0xFFF})) table_gpa = p;
    }
    ASSERT_NE(table_gpa, 0u);
    const HostPhysAddr frame = g.hpa(GuestPhysAddr(table_gpa));
    ASSERT_TRUE(g.as->unmap(GuestPhysAddr(table_gpa), 0x1000).ok());
    ASSERT_TRUE(
        g.as->map_linear(GuestPhysAddr(table_gpa), frame, 0x1000, MappingFlags(R | U)).ok());
    const uint64_t fresh =
        stage1_leaf_entry(a, GuestPhysAddr(page), MappingFlags(R | W | U), false, false);
    g.mem.write_u64(leaf, fresh);  // A (AF) clear: the next access must set it
    const WalkResult f = g.walk(gva);
    ASSERT_FALSE(f.ok) << to_string(a);
    EXPECT_EQ(f.fault.stage, Stage::Stage2) << to_string(a);
    EXPECT_EQ(f.fault.kind, FaultKind::Permission) << to_string(a);
    EXPECT_TRUE(f.fault.on_stage1_table) << to_string(a);
    EXPECT_EQ(f.fault.gpa.value(), table_gpa + (leaf.value() & 0xFFF)) << to_string(a);
    EXPECT_EQ(g.mem.read_u64(leaf), fresh) << to_string(a) << ": nothing written";
    // Stage 2 writable again: the update happens.
    ASSERT_TRUE(g.as->unmap(GuestPhysAddr(table_gpa), 0x1000).ok());
    ASSERT_TRUE(
        g.as->map_linear(GuestPhysAddr(table_gpa), frame, 0x1000, MappingFlags(R | W | U)).ok());
    EXPECT_TRUE(g.walk(gva).ok) << to_string(a);
    EXPECT_NE(g.mem.read_u64(leaf), fresh) << to_string(a);
  }
}

}  // namespace
}  // namespace nptsim
