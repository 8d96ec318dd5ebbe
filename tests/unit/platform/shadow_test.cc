// Shadow paging (engine/shadow_scheme.cc) worked out by hand on a few accesses: the exits, the
// shadow entries written, the one-dimensional walks (at most n references for an n-level guest),
// the guest's page-table writes that trap, and a stage-2 change dropping every vCPU's shadow.
#include <gtest/gtest.h>

#include "platform_test_util.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kA = 0x7f00'0040'0000;  // two guest-virtual pages under different guest PTs
constexpr uint64_t kB = 0x7f00'0000'1000;

PlatformConfig shadow_config(Arch arch) {
  PlatformConfig c;
  c.stage2 = Stage2Config{arch, arch == Arch::X86_64 ? 4 : 3, GeometryMode::Hardware, 0};
  c.layout = default_layout(64 * kMiB, BackendKind::Linear);
  c.layout.frame_pool_frames = 1 << 16;
  c.scheme = "shadow";
  c.guest.levels = 4;
  c.costs = FaultCosts{1000, 500, 100, 10, 2500, 200, 3000, 7};
  return c;
}

uint64_t stat(const FunctionalPlatform& p, const std::string& path) {
  StatTree t;
  p.report(t);
  return t.at(path);
}

class Shadow : public ::testing::TestWithParam<Arch> {};

// Page A: the shadow is empty (no walk reads), the exit finds the guest PTE missing (a guest
// fault: the guest writes 3 tables + 1 leaf, each write trapping), the retry exits again and
// writes the shadow root, 3 tables and the leaf; the hardware walk then reads 4 entries. Page B
// shares the guest's and the shadow's upper tables: its walks read 3 entries before the missing
// one, and the guest writes 1 table + 1 leaf, the shadow 1 table + 1 leaf. Repeats hit the TLBs.
TEST_P(Shadow, ExitsFillsAndWalksOfTwoPages) {
  PlatformConfig c = shadow_config(GetParam());
  c.s1_walk_cache.set_enabled(false);  // every walk from the shadow root
  auto p = testutil::build(c);
  for (uint64_t gva : {kA, kA, kB, kB})
    ASSERT_TRUE(p->access(0, GuestVirtAddr(gva), AccessKind::Read).ok) << std::hex << gva;
  EXPECT_EQ(stat(*p, "vcpu0.shadow.exits"), 4u);
  EXPECT_EQ(stat(*p, "vcpu0.shadow.fills"), 2u);
  EXPECT_EQ(stat(*p, "vcpu0.shadow.table_frames"), 5u);
  EXPECT_EQ(stat(*p, "hypervisor.exits.guest_table_write"), 6u);
  EXPECT_EQ(p->stats().guest_faults, 2u);
  const SchemeStats& s = p->scheme(0)->stats();
  EXPECT_EQ(s.walks, 8u);  // per page: shadow miss, guest fault, shadow miss, the filled walk
  EXPECT_EQ(s.reads(Stage::Stage1), 0u + 4 + 3 + 3 + 4);
  EXPECT_EQ(s.reads(Stage::Stage2), 0u);  // the hardware never walks stage 2
  EXPECT_LE(s.refs_per_walk.max(), 4u);   // at most n references for an n-level guest
  // The hypervisor's cycles: 4 exits, 5 table frames (alloc, zero, link), 2 leaves.
  EXPECT_EQ(stat(*p, "vcpu0.shadow.hypervisor_cycles"),
            4u * (1000 + 500) + 5u * (100 + 10 + 7) + 2u * 7);
}

// The walk caches hold the shadow table's upper levels: page B's walks start below the entry
// they share with A's (the 1 GiB span's), reading 1 entry before the missing one, then 2.
TEST_P(Shadow, WalkCachesShortenShadowWalks) {
  auto p = testutil::build(shadow_config(GetParam()));
  for (uint64_t gva : {kA, kB}) ASSERT_TRUE(p->access(0, GuestVirtAddr(gva), AccessKind::Read).ok);
  EXPECT_EQ(p->scheme(0)->stats().reads(Stage::Stage1), 0u + 4 + 1 + 1 + 2);
}

// A stage-2 change (the hypervisor unmaps a page) drops every vCPU's shadow tables: the next
// access of each vCPU exits again and refills.
TEST_P(Shadow, AStageTwoUnmapDropsEveryVcpusShadow) {
  PlatformConfig c = shadow_config(GetParam());
  c.policy.linear_max_leaf = kPageSize4K;  // a 4 KiB page can be unmapped alone
  auto p = testutil::build(c);
  for (uint16_t v : {0, 1}) ASSERT_TRUE(p->access(v, GuestVirtAddr(kA), AccessKind::Read).ok);
  const uint64_t exits0 = stat(*p, "vcpu0.shadow.exits"), exits1 = stat(*p, "vcpu1.shadow.exits");
  ASSERT_TRUE(p->unmap(0, GuestPhysAddr(48 * kMiB), kPageSize4K).ok());
  for (uint16_t v : {0, 1}) ASSERT_TRUE(p->access(v, GuestVirtAddr(kA), AccessKind::Read).ok);
  EXPECT_EQ(stat(*p, "vcpu0.shadow.zaps"), 1u);
  EXPECT_EQ(stat(*p, "vcpu1.shadow.zaps"), 1u);
  EXPECT_EQ(stat(*p, "vcpu0.shadow.exits"), exits0 + 1);
  EXPECT_EQ(stat(*p, "vcpu1.shadow.exits"), exits1 + 1);
}

// The guest's own page-table writes trap only under shadow paging.
TEST_P(Shadow, NestedPagingDoesNotTrapGuestTableWrites) {
  PlatformConfig c = shadow_config(GetParam());
  c.scheme = "nested";
  auto p = testutil::build(c);
  ASSERT_TRUE(p->access(0, GuestVirtAddr(kA), AccessKind::Read).ok);
  EXPECT_EQ(stat(*p, "hypervisor.exits.guest_table_write"), 0u);
}

INSTANTIATE_TEST_SUITE_P(Formats, Shadow,
                         ::testing::Values(Arch::X86_64, Arch::AArch64, Arch::RiscV64),
                         [](const auto& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace nptsim
