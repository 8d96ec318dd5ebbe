// Agile paging (engine/agile_upper.h, the "agile" scheme) worked out by hand against nested and
// shadow paging on all three formats: shadow upper levels walked one-dimensionally, the leaf
// level two-dimensionally, exits only for upper-level misses and the guest's writes above the
// leaf level.
#include <gtest/gtest.h>

#include "platform_test_util.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kA = 0x7f00'0040'0000;  // two guest pages under one guest leaf table
constexpr uint64_t kB = 0x7f00'0040'1000;

// No walk cache and no nested TLB: every walk reads every entry it needs.
PlatformConfig config(Arch arch, const char* scheme) {
  PlatformConfig c;
  c.stage2 = Stage2Config{arch, arch == Arch::X86_64 ? 4 : 3, GeometryMode::Hardware, 0};
  c.layout = default_layout(64 * kMiB, BackendKind::Linear);
  c.layout.frame_pool_frames = 1 << 16;
  c.scheme = scheme;
  c.guest.levels = 4;
  c.costs = FaultCosts{1000, 500, 100, 10, 2500, 200, 3000, 7};
  c.mmu.walk_cache.set_enabled(false);
  c.s1_walk_cache.set_enabled(false);
  c.nested_tlb.enabled = false;
  return c;
}

uint64_t stat(const FunctionalPlatform& p, const std::string& path) {
  StatTree t;
  p.report(t);
  return t.at(path);
}

struct Reads {
  uint64_t s1 = 0, s2 = 0;
};
Reads reads(const FunctionalPlatform& p) {
  return {p.scheme(0)->stats().reads(Stage::Stage1), p.scheme(0)->stats().reads(Stage::Stage2)};
}

class Agile : public ::testing::TestWithParam<Arch> {};

// Page A: the upper shadow is empty: an exit whose software walk finds the guest's tables
// missing (a guest fault: the guest writes 3 table links, which trap, and a leaf, which does
// not); the retry exits again and writes the shadow root, 2 upper tables and 3 entries (the last
// one the switch to the guest's leaf table).
TEST_P(Agile, UpperLevelMissesExitAndFillTheShadowDownToTheLeafLevel) {
  auto p = testutil::build(config(GetParam(), "agile"));
  ASSERT_TRUE(p->access(0, GuestVirtAddr(kA), AccessKind::Read).ok);
  EXPECT_EQ(stat(*p, "vcpu0.agile.exits"), 2u);
  EXPECT_EQ(stat(*p, "vcpu0.agile.table_frames"), 3u);
  EXPECT_EQ(stat(*p, "vcpu0.agile.entries_written"), 3u);
  EXPECT_EQ(stat(*p, "hypervisor.exits.guest_table_write"), 3u);
}

// Page B shares A's leaf table: its leaf is missing, a guest fault the hardware walk finds in the
// two-dimensional part, with no exit and no trapped write (the leaf level is not shadowed). Its
// two walks (the faulting one and the retry) read the same stage-1 entries as nested paging's
// (3 upper from the shadow, the leaf from the guest's table: 4 each), but stage 2 translates only
// the leaf table and the data page, not the 3 upper tables: a third of nested paging's stage-2
// reads (2 + 1 translations against 5 + 4). Shadow paging exits and traps the leaf write.
TEST_P(Agile, LeafLevelUpdatesNeitherExitNorTrap) {
  Reads delta[2];
  int i = 0;
  for (const char* scheme : {"agile", "nested"}) {
    auto p = testutil::build(config(GetParam(), scheme));
    ASSERT_TRUE(p->access(0, GuestVirtAddr(kA), AccessKind::Read).ok);
    const Reads before = reads(*p);
    const uint64_t trapped = stat(*p, "hypervisor.exits.guest_table_write");
    const uint64_t exits = std::string(scheme) == "agile" ? stat(*p, "vcpu0.agile.exits") : 0;
    ASSERT_TRUE(p->access(0, GuestVirtAddr(kB), AccessKind::Read).ok);
    EXPECT_EQ(stat(*p, "hypervisor.exits.guest_table_write"), trapped) << scheme;
    if (std::string(scheme) == "agile") {
      EXPECT_EQ(stat(*p, "vcpu0.agile.exits"), exits);
    }
    delta[i++] = Reads{reads(*p).s1 - before.s1, reads(*p).s2 - before.s2};
  }
  EXPECT_EQ(delta[0].s1, 8u);
  EXPECT_EQ(delta[1].s1, 8u);
  EXPECT_EQ(delta[0].s2 * 3, delta[1].s2);
  auto shadow = testutil::build(config(GetParam(), "shadow"));
  ASSERT_TRUE(shadow->access(0, GuestVirtAddr(kA), AccessKind::Read).ok);
  const uint64_t trapped = stat(*shadow, "hypervisor.exits.guest_table_write");
  ASSERT_TRUE(shadow->access(0, GuestVirtAddr(kB), AccessKind::Read).ok);
  EXPECT_EQ(stat(*shadow, "hypervisor.exits.guest_table_write"), trapped + 1);
}

// A stage-2 change keeps the upper shadow (its entries are the hypervisor's tables and the
// guest's table addresses, not translations): the next walk exits no more.
TEST_P(Agile, AStageTwoChangeKeepsTheUpperShadow) {
  PlatformConfig c = config(GetParam(), "agile");
  c.policy.linear_max_leaf = kPageSize4K;
  auto p = testutil::build(c);
  ASSERT_TRUE(p->access(0, GuestVirtAddr(kA), AccessKind::Read).ok);
  const uint64_t exits = stat(*p, "vcpu0.agile.exits");
  ASSERT_TRUE(p->unmap(0, GuestPhysAddr(60 * kMiB), kPageSize4K).ok());
  ASSERT_TRUE(p->access(0, GuestVirtAddr(kA), AccessKind::Read).ok);
  EXPECT_EQ(stat(*p, "vcpu0.agile.exits"), exits);
}

// The guest's 2 MiB pages would put leaves above the switch level: refused with a reason.
TEST(AgileConfig, GuestHugePagesAreRefused) {
  PlatformConfig c = config(Arch::X86_64, "agile");
  c.guest.huge_pages = true;
  std::string error;
  EXPECT_EQ(FunctionalPlatform::create(c, error), nullptr);
  EXPECT_NE(error.find("guest.huge_pages"), std::string::npos) << error;
}

// Context switches trap under agile paging (the shadow root follows the guest's), TLB flushes do
// not (no shadow leaves to keep coherent).
TEST(AgileEvents, ContextSwitchesTrapTlbFlushesDoNot) {
  auto p = testutil::build(config(Arch::X86_64, "agile"));
  std::string error;
  p->event(0, GuestEvent{GuestEventKind::ContextSwitch, 2, 0, MappingFlags()}, error);
  EXPECT_EQ(p->event_stats().cycles, 1000u + 500);
  p->event(0, GuestEvent{GuestEventKind::TlbFlush, 0, 0, MappingFlags()}, error);
  EXPECT_EQ(p->event_stats().cycles, 1000u + 500 + 200);
}

INSTANTIATE_TEST_SUITE_P(Formats, Agile,
                         ::testing::Values(Arch::X86_64, Arch::AArch64, Arch::RiscV64),
                         [](const auto& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace nptsim
