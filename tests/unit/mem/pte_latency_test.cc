// PteLatency: the PTE cache hierarchy (L1, L2, LLC, DRAM with LRU) and its statistics.
#include "models/core/mem/pte_latency.h"

#include <gtest/gtest.h>

namespace nptsim {
namespace {

// One set per level, so which lines evict which is known: L1 2 lines, L2 4, LLC 8.
MemLatencyConfig tiny() {
  MemLatencyConfig c;
  c.line_bytes = 64;
  c.l1 = {128, 2, 4};
  c.l2 = {256, 4, 12};
  c.llc = {512, 8, 44};
  c.dram_latency = 200;
  return c;
}

HostPhysAddr line(uint64_t n) { return HostPhysAddr(0x10'0000 + n * 64 + 8); }

TEST(PteLatency, LevelsFillAndEvictInLruOrder) {
  PteLatency lat(tiny(), 1);
  ASSERT_FALSE(validate(tiny()));
  EXPECT_EQ(lat.access(line(0)), 200u);  // A from DRAM
  EXPECT_EQ(lat.access(line(0)), 4u);    // A in L1
  EXPECT_EQ(lat.access(line(1)), 200u);  // B
  EXPECT_EQ(lat.access(line(2)), 200u);  // C: L1 now {B, C}
  EXPECT_EQ(lat.access(line(0)), 12u);   // A from L2, back into L1
  for (uint64_t n = 3; n <= 6; ++n)
    EXPECT_EQ(lat.access(line(n)), 200u);  // D..G push B, C, A out of L2
  EXPECT_EQ(lat.access(line(1)), 44u);     // B from the LLC
  const PteLatencyStats s = lat.stats();
  EXPECT_EQ(s.l1_hits, 1u);
  EXPECT_EQ(s.l2_hits, 1u);
  EXPECT_EQ(s.llc_hits, 1u);
  EXPECT_EQ(s.dram, 7u);
  EXPECT_EQ(s.accesses, 10u);
  EXPECT_EQ(s.cycles, 4u + 12u + 44u + 7u * 200u);
  lat.reset_stats();
  EXPECT_EQ(lat.stats().accesses, 0u);
  EXPECT_EQ(lat.stats().cycles, 0u);
}

TEST(PteLatency, FixedLatencyCountsEveryAccess) {
  MemLatencyConfig c;
  c.fixed = true;
  c.fixed_latency = 90;
  PteLatency lat(c, 1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(lat.access(line(0)), 90u);
  EXPECT_EQ(lat.stats().accesses, 3u);
  EXPECT_EQ(lat.stats().cycles, 270u);
  EXPECT_EQ(lat.stats().l1_hits, 0u);
}

}  // namespace
}  // namespace nptsim
