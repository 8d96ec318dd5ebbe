// The functional (timing-off) platform: TLBs, walk caches and walks over the real tables,
// backends and nested-fault handling (issue 4's acceptance behaviours, without SystemC time).
#include "models/core/platform/functional_platform.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "platform_test_util.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

PlatformConfig config(Arch arch, int levels, BackendKind backend, uint64_t ram = 64 * kMiB) {
  PlatformConfig c;
  c.stage2 = Stage2Config{arch, levels, GeometryMode::Hardware, 0};
  c.layout = default_layout(ram, backend);
  c.layout.frame_pool_frames = 1 << 16;
  return c;
}

using testutil::build;

struct Shape {
  Arch arch;
  int levels;
  unsigned cold_reads;
};
void PrintTo(const Shape& s, std::ostream* os) { *os << s.arch << " " << s.levels << "-level"; }

class PlatformShapes : public ::testing::TestWithParam<Shape> {};

// With TLBs and walk caches off, a cold 4 KiB walk reads one PTE per level; the walk latency is
// the sum of its steps' latencies (fixed latency here).
TEST_P(PlatformShapes, ColdWalkReadsAndLatency) {
  const Shape s = GetParam();
  PlatformConfig c = config(s.arch, s.levels, BackendKind::Alloc);
  c.mmu.l1d.enabled = c.mmu.l1i.enabled = c.mmu.l2.enabled = false;
  c.mmu.walk_cache.set_enabled(false);
  c.mem.fixed = true;
  c.mem.fixed_latency = 37;
  auto p = build(c);
  AccessOutcome o = p->access(0, GuestPhysAddr(0x12345), AccessKind::Read);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(p->scheme(0)->stats().reads(Stage::Stage2), s.cold_reads);
  EXPECT_EQ(o.cycles, 37u * s.cold_reads);
  EXPECT_EQ(p->scheme(0)->stats().walk_cycles.max(), 37u * s.cold_reads);
}

INSTANTIATE_TEST_SUITE_P(Formats, PlatformShapes,
                         ::testing::Values(Shape{Arch::X86_64, 4, 4}, Shape{Arch::AArch64, 3, 3},
                                           Shape{Arch::RiscV64, 3, 3}, Shape{Arch::X86_64, 5, 5},
                                           Shape{Arch::AArch64, 4, 4}, Shape{Arch::RiscV64, 4, 4}),
                         [](const auto& p) {
                           return std::string(to_string(p.param.arch)) + "_l" +
                                  std::to_string(p.param.levels);
                         });

// A linear guest maps 2 MiB blocks: one PTE fewer; and with walk caches on, a second access in
// the same 2 MiB region (TLBs off) reads only the last entry.
TEST(Platform, BlocksAndWalkCaches) {
  for (Arch a : kAllArchs) {
    PlatformConfig c = config(a, a == Arch::X86_64 ? 4 : 3, BackendKind::Linear, 64 * kMiB);
    c.mmu.l1d.enabled = c.mmu.l1i.enabled = c.mmu.l2.enabled = false;
    auto p = build(c);
    p->access(0, GuestPhysAddr(0x20'0000), AccessKind::Read);
    const uint64_t first = p->scheme(0)->stats().reads(Stage::Stage2);
    EXPECT_EQ(first, static_cast<uint64_t>(c.stage2.levels - 1)) << to_string(a);
    p->access(0, GuestPhysAddr(0x20'0000 + 0x5000), AccessKind::Read);
    EXPECT_EQ(p->scheme(0)->stats().reads(Stage::Stage2) - first, 1u) << to_string(a);
  }
  PlatformConfig c = config(Arch::X86_64, 4, BackendKind::Alloc);
  c.mmu.l1d.enabled = c.mmu.l1i.enabled = c.mmu.l2.enabled = false;
  auto p = build(c);
  p->access(0, GuestPhysAddr(0x1000), AccessKind::Read);
  const uint64_t first = p->scheme(0)->stats().reads(Stage::Stage2);
  p->access(0, GuestPhysAddr(0x1FF000), AccessKind::Read);  // same 2 MiB region, other 4K page
  EXPECT_EQ(p->scheme(0)->stats().reads(Stage::Stage2) - first, 1u);
}

TEST(Platform, BackendsAndFaults) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> gpas;
  for (int i = 0; i < 2000; ++i) gpas.push_back((rng() % (16 * kMiB)) & ~uint64_t{7});
  std::set<uint64_t> pages;
  for (uint64_t g : gpas) pages.insert(g >> 12);

  for (Arch a : kAllArchs) {
    const int levels = a == Arch::X86_64 ? 4 : 3;
    auto lin = build(config(a, levels, BackendKind::Linear, 16 * kMiB));
    auto eager = build(config(a, levels, BackendKind::Alloc, 16 * kMiB));
    auto lazy = build(config(a, levels, BackendKind::Lazy, 16 * kMiB));
    for (uint64_t g : gpas) {
      for (auto* p : {lin.get(), eager.get(), lazy.get()}) {
        EXPECT_TRUE(p->access(0, GuestPhysAddr(g), AccessKind::Write).ok);
      }
    }
    EXPECT_EQ(lin->stats().faults_handled + lin->stats().faults_unhandled, 0u);
    EXPECT_EQ(eager->stats().faults_handled + eager->stats().faults_unhandled, 0u);
    // Eager: one frame per 4 KiB page of RAM (plus the tables), all at build time.
    EXPECT_GE(eager->frames().stats().allocs, 16 * kMiB / 4096);
    EXPECT_EQ(eager->frames().stats().allocs, eager->frames_after_build());
    // Lazy: one handled fault and one frame per distinct page touched.
    EXPECT_EQ(lazy->stats().faults_handled, pages.size()) << to_string(a);
    EXPECT_EQ(lazy->frames().stats().allocs - lazy->frames_after_build(), pages.size());
    // Linear maps 2 MiB blocks: fewer TLB misses than 4 KiB pages.
    EXPECT_LT(lin->scheme(0)->tlbs().l2().stats().misses,
              eager->scheme(0)->tlbs().l2().stats().misses)
        << to_string(a);
    // Outside every area (the device window): unhandled, counted, no crash.
    AccessOutcome mmio = lin->access(0, GuestPhysAddr(16 * kMiB + 0x100), AccessKind::Read);
    EXPECT_FALSE(mmio.ok);
    EXPECT_EQ(lin->stats().faults_unhandled, 1u);
    EXPECT_EQ(mmio.fault.kind, FaultKind::Translation);
  }
}

TEST(Platform, WriteToReadOnlyAreaIsAPermissionFault) {
  for (Arch a : kAllArchs) {
    PlatformConfig c = config(a, a == Arch::X86_64 ? 4 : 3, BackendKind::Linear, 4 * kMiB);
    c.layout.areas[0].flags = MappingFlags(MappingFlags::READ | MappingFlags::USER);
    auto p = build(c);
    EXPECT_TRUE(p->access(0, GuestPhysAddr(0x3000), AccessKind::Read).ok);
    AccessOutcome w = p->access(0, GuestPhysAddr(0x3000), AccessKind::Write);
    EXPECT_FALSE(w.ok);
    EXPECT_EQ(w.fault.kind, FaultKind::Permission) << to_string(a);
    EXPECT_EQ(p->stats().unhandled_by_kind[static_cast<int>(FaultKind::Permission)], 1u);
  }
}

TEST(Platform, BadConfigurationsAreReported) {
  std::string err;
  PlatformConfig c = config(Arch::X86_64, 3, BackendKind::Linear);
  EXPECT_FALSE(FunctionalPlatform::create(c, err));
  EXPECT_NE(err.find("no 3-level"), std::string::npos);
  c = config(Arch::X86_64, 4, BackendKind::Linear);
  c.mmu.l2.ways = 0;
  EXPECT_FALSE(FunctionalPlatform::create(c, err));
  EXPECT_NE(err.find("tlb.l2: ways"), std::string::npos);
  c = config(Arch::X86_64, 4, BackendKind::Linear);
  c.layout.areas.push_back(AreaSpec{0x10'0000, 0x1000, BackendKind::Lazy});
  EXPECT_FALSE(FunctionalPlatform::create(c, err));
  EXPECT_NE(err.find("overlaps"), std::string::npos);
}

TEST(Platform, DeterministicForTheSameSeed) {
  auto run = [] {
    PlatformConfig c = config(Arch::AArch64, 3, BackendKind::Lazy, 32 * kMiB);
    c.mmu.l2.policy = Replacement::Random;
    auto p = build(c);
    std::mt19937_64 rng(9);
    for (int i = 0; i < 20000; ++i)
      p->access(0, GuestPhysAddr(rng() % (32 * kMiB)), AccessKind::Read);
    return std::make_pair(p->stats().cycles, p->scheme(0)->stats().reads(Stage::Stage2));
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace nptsim
