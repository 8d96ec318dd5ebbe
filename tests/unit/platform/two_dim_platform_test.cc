// The two-dimensional platform: guest page tables in guest memory over stage 2, demand paging,
// stage-2 faults on guest table pages in lazy areas, and the caches of both dimensions.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "models/core/platform/functional_platform.h"
#include "platform_test_util.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kBase = 0x7f00'0000'0000;

PlatformConfig config2d(Arch arch, BackendKind backend, bool caches) {
  PlatformConfig c;
  c.stage2 = Stage2Config{arch, arch == Arch::X86_64 ? 4 : 3, GeometryMode::Hardware, 0};
  c.layout = default_layout(64 * kMiB, backend);
  c.layout.frame_pool_frames = 1 << 16;
  c.scheme = "nested";
  c.guest.levels = 4;
  if (!caches) {
    c.mmu.l1d.enabled = c.mmu.l1i.enabled = c.mmu.l2.enabled = c.nested_tlb.enabled = false;
    c.mmu.walk_cache.set_enabled(false);
    c.s1_walk_cache.set_enabled(false);
  }
  return c;
}

using testutil::build;

// A first touch is a guest page fault; on a lazy guest the new guest table pages then fault at
// stage 2 when the walker first reads them, and the walk completes.
TEST(TwoDimPlatform, DemandPagingAndLazyGuestTables) {
  for (Arch a : kAllArchs) {
    auto p = build(config2d(a, BackendKind::Lazy, false));
    AccessOutcome o = p->access(0, GuestVirtAddr(kBase + 0x1234), AccessKind::Write);
    ASSERT_TRUE(o.ok) << to_string(a);
    EXPECT_EQ(p->stats().guest_faults, 1u);
    EXPECT_GT(p->stats().stage2_faults_on_tables, 0u) << to_string(a);
    EXPECT_EQ(p->stats().faults_unhandled, 0u);
    // Again: no fault at all, and a full (n+1)(m+1)-1 walk with the caches off.
    const uint64_t reads =
        (p->scheme(0)->stats().reads(Stage::Stage1) + p->scheme(0)->stats().reads(Stage::Stage2));
    AccessOutcome again = p->access(0, GuestVirtAddr(kBase + 0x1238), AccessKind::Read);
    ASSERT_TRUE(again.ok);
    EXPECT_FALSE(again.fault_handled);
    const uint64_t m = static_cast<uint64_t>(p->config().stage2.levels);
    EXPECT_EQ(
        (p->scheme(0)->stats().reads(Stage::Stage1) + p->scheme(0)->stats().reads(Stage::Stage2)) -
            reads,
        5 * (m + 1) - 1);
  }
}

// The nested TLB and the walk caches cut references; the TLB absorbs repeats.
TEST(TwoDimPlatform, CachesCutReferences) {
  std::mt19937_64 rng(4);
  std::vector<uint64_t> gvas;
  for (int i = 0; i < 3000; ++i) gvas.push_back(kBase + (rng() % (8 * kMiB)));
  auto run = [&](bool caches, bool tlb_only_off) {
    PlatformConfig c = config2d(Arch::X86_64, BackendKind::Alloc, caches);
    if (tlb_only_off) c.mmu.l1d.enabled = c.mmu.l1i.enabled = c.mmu.l2.enabled = false;
    auto p = build(c);
    for (uint64_t g : gvas) EXPECT_TRUE(p->access(0, GuestVirtAddr(g), AccessKind::Read).ok);
    return (p->scheme(0)->stats().reads(Stage::Stage1) +
            p->scheme(0)->stats().reads(Stage::Stage2));
  };
  const uint64_t none = run(false, false);
  const uint64_t walk_caches = run(true, true);  // nested TLB + walk caches, no TLBs
  const uint64_t all = run(true, false);
  EXPECT_LT(walk_caches, none / 3);
  EXPECT_LT(all, walk_caches);
}

// Guest 2 MiB pages over 4 KiB stage-2 pages splinter the TLB entries.
TEST(TwoDimPlatform, GuestHugePagesSplinterOverSmallStage2Pages) {
  PlatformConfig c = config2d(Arch::RiscV64, BackendKind::Alloc, true);
  c.guest.huge_pages = true;
  auto p = build(c);
  ASSERT_TRUE(p->access(0, GuestVirtAddr(kBase), AccessKind::Read).ok);
  EXPECT_EQ(p->guest_os()->stats().pages_2m, 1u);
  EXPECT_EQ(p->scheme(0)->stats().splintered, 1u);
  ASSERT_TRUE(p->access(0, GuestVirtAddr(kBase + 0x1F'F000), AccessKind::Read).ok);
  EXPECT_EQ(p->stats().guest_faults, 1u);  // one guest fault mapped the whole 2 MiB
}

TEST(TwoDimPlatform, NonCanonicalGvaIsUnhandled) {
  auto p = build(config2d(Arch::X86_64, BackendKind::Linear, true));
  AccessOutcome o = p->access(0, GuestVirtAddr(0x8000'0000'0000), AccessKind::Read);
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.fault.kind, FaultKind::NonCanonical);
  EXPECT_EQ(p->stats().faults_unhandled, 1u);
}

}  // namespace
}  // namespace nptsim
