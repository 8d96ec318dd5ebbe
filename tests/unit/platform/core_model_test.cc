// The core model around translation: instructions retired from fetch records and record gaps,
// their cycles at core.base_cpi, and the L1 TLB hit latency hidden behind the cache access.
#include <gtest/gtest.h>

#include "models/core/platform/functional_platform.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

std::unique_ptr<FunctionalPlatform> build(double cpi, bool l1_hidden = true) {
  PlatformConfig c;
  c.stage2 = Stage2Config{Arch::X86_64, 4, GeometryMode::Hardware, 0};
  c.layout = default_layout(64 * kMiB, BackendKind::Linear);
  c.layout.frame_pool_frames = 1 << 16;
  c.core.base_cpi = cpi;
  c.mmu.l1_latency_hidden = l1_hidden;
  std::string err;
  auto p = FunctionalPlatform::create(c, err);
  EXPECT_TRUE(p) << err;
  return p;
}

// CPI 0.5: a record with gap 3 retires 3 instructions (1.5 cycles: 1 now), a fetch record one
// more (2.0 in all: 1 now); the rounding never loses a cycle over a vCPU's records.
TEST(CoreModel, InstructionsAndCyclesAtBaseCpi) {
  auto p = build(0.5);
  EXPECT_EQ(p->retire(0, 3, false), 1u);
  EXPECT_EQ(p->retire(0, 0, true), 1u);
  EXPECT_EQ(p->retire(0, 0, false), 0u);  // a data record without a gap retires nothing
  uint64_t sum = 2, instructions = 4;
  for (uint64_t i = 0; i < 1000; ++i) {
    sum += p->retire(0, i % 7, i % 3 == 0);
    instructions += i % 7 + (i % 3 == 0 ? 1 : 0);
  }
  EXPECT_EQ(p->stats().gap_instructions + p->stats().fetch_instructions, instructions);
  EXPECT_EQ(p->stats().core_cycles, sum);
  EXPECT_EQ(sum, instructions / 2);  // floor(instructions x 0.5)
  // Each vCPU keeps its own count; a reset starts over.
  EXPECT_EQ(p->retire(1, 1, false), 0u);
  EXPECT_EQ(p->retire(1, 1, false), 1u);
  p->reset_stats();
  EXPECT_EQ(p->stats().core_cycles, 0u);
  EXPECT_EQ(p->retire(0, 1, false), 0u);
}

// An L1 DTLB hit costs nothing when hidden behind the L1 cache access, its latency otherwise;
// an L2 TLB hit costs the L2 latency either way (12 cycles, hidden L1 or not: 12 or 13).
TEST(CoreModel, L1TlbHitLatencyHidden) {
  for (bool hidden : {true, false}) {
    auto p = build(1.0, hidden);
    ASSERT_TRUE(p->access(0, GuestPhysAddr(0x5000), AccessKind::Read).ok);  // walk, fills L1 and L2
    const AccessOutcome hit = p->access(0, GuestPhysAddr(0x5008), AccessKind::Read);
    ASSERT_TRUE(hit.ok);
    EXPECT_EQ(hit.cycles, hidden ? 0u : 1u);
  }
}

// An access that crosses into the next page translates both pages: an 8-byte read at 0x1FFFFC
// walks the last page of the first 2 MiB block and the first of the next (linear RAM: 2 MiB
// stage-2 blocks; two cold walks, one access, one crossing); the same read again hits the TLB
// twice; a read that ends at a page's last byte crosses nothing. A read crossing out of the
// RAM's last page faults on the second page.
TEST(CoreModel, PageCrossingAccessTranslatesBothPages) {
  auto p = build(1.0);
  ASSERT_TRUE(p->access(0, 0x1FFFFC, AccessKind::Read, 8).ok);
  EXPECT_EQ(p->scheme(0)->stats().walks, 2u);
  EXPECT_EQ(p->stats().accesses, 1u);
  EXPECT_EQ(p->stats().page_crossings, 1u);
  ASSERT_TRUE(p->access(0, 0x1FFFFC, AccessKind::Read, 8).ok);
  EXPECT_EQ(p->scheme(0)->stats().walks, 2u);
  EXPECT_EQ(p->scheme(0)->tlbs().l1d().stats().hits, 2u);
  ASSERT_TRUE(p->access(0, 0x1FFFF8, AccessKind::Read, 8).ok);  // ends at the page's last byte
  EXPECT_EQ(p->stats().page_crossings, 2u);                     // the two crossing reads
  const AccessOutcome out = p->access(0, 64 * kMiB - 4, AccessKind::Read, 8);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.fault.gpa.value(), 64 * kMiB);
}

}  // namespace
}  // namespace nptsim
