// The memory hierarchy: private L1D/L1I/L2 per vCPU, a shared LLC, DRAM (LRU, inclusive fills),
// per-class counts, set indexing by address bits, the DRAM queueing model.
#include "models/core/mem/cache_hierarchy.h"

#include <gtest/gtest.h>

namespace nptsim {
namespace {

// One set per level, so which lines evict which is known: L1D 2 lines, L2 4, LLC 8.
MemLatencyConfig tiny() {
  MemLatencyConfig c;
  c.line_bytes = 64;
  c.l1d = {128, 2, 4};
  c.l1i = {128, 2, 3};
  c.l2 = {256, 4, 12};
  c.llc = {512, 8, 44};
  c.dram_latency = 200;
  return c;
}

HostPhysAddr line(uint64_t n) { return HostPhysAddr(0x10'0000 + n * 64 + 8); }

TEST(CacheHierarchy, LevelsFillAndEvictInLruOrder) {
  SharedMemory shared(tiny(), 1.0, 1);
  CoreCaches caches(tiny(), shared, 1);
  ASSERT_FALSE(validate(tiny()));
  const MemClass d = MemClass::Data;
  EXPECT_EQ(caches.access(line(0), d), 200u);  // A from DRAM
  EXPECT_EQ(caches.access(line(0), d), 4u);    // A in L1
  EXPECT_EQ(caches.access(line(1), d), 200u);  // B
  EXPECT_EQ(caches.access(line(2), d), 200u);  // C: L1 now {B, C}
  EXPECT_EQ(caches.access(line(0), d), 12u);   // A from L2, back into L1
  for (uint64_t n = 3; n <= 6; ++n)
    EXPECT_EQ(caches.access(line(n), d), 200u);  // D..G push B, C, A out of L2
  EXPECT_EQ(caches.access(line(1), d), 44u);     // B from the LLC
  const CacheStats& s = caches.stats();
  EXPECT_EQ(s.served[0][0], 1u);
  EXPECT_EQ(s.served[1][0], 1u);
  EXPECT_EQ(s.served[2][0], 1u);
  EXPECT_EQ(s.served[3][0], 7u);
  EXPECT_EQ(s.accesses(d), 10u);
  EXPECT_EQ(s.cycles[0], 4u + 12u + 44u + 7u * 200u);
  EXPECT_EQ(shared.dram_accesses(), 7u);
  caches.reset_stats();
  EXPECT_EQ(caches.stats().accesses(d), 0u);
}

TEST(CacheHierarchy, ClassesAreCountedApartAndShareTheL1D) {
  SharedMemory shared(tiny(), 1.0, 1);
  CoreCaches caches(tiny(), shared, 1);
  caches.access(line(0), MemClass::PteS2);
  caches.access(line(1), MemClass::PteS1);
  EXPECT_EQ(caches.access(line(0), MemClass::PteS2), 4u);  // both PTE lines in the L1D
  caches.access(line(2), MemClass::Data);                  // data evicts the LRU PTE line (1)
  // Line 1 comes from the L2 now, evicting line 0 (L1D: {2, 1}).
  EXPECT_EQ(caches.access(line(1), MemClass::PteS1), 12u);
  EXPECT_EQ(caches.access(line(3), MemClass::Fetch), 200u);
  EXPECT_EQ(caches.access(line(3), MemClass::Fetch), 3u);  // the L1I, apart from the L1D
  EXPECT_EQ(caches.access(line(1), MemClass::PteS1), 4u);  // fetches did not evict it
  const CacheStats& s = caches.stats();
  EXPECT_EQ(s.accesses(MemClass::PteS2), 2u);
  EXPECT_EQ(s.accesses(MemClass::PteS1), 3u);
  EXPECT_EQ(s.accesses(MemClass::Data), 1u);
  EXPECT_EQ(s.accesses(MemClass::Fetch), 2u);
  EXPECT_EQ(s.served[0][static_cast<int>(MemClass::PteS2)], 1u);
  EXPECT_EQ(s.served[1][static_cast<int>(MemClass::PteS1)], 1u);
  StatTree t;
  caches.report(t, "c");
  EXPECT_EQ(t.at("c.l1d.pte_s2"), 1u);
  EXPECT_EQ(t.at("c.l1d.pte_s1"), 1u);
  EXPECT_EQ(t.at("c.l2.pte_s1"), 1u);
  EXPECT_EQ(t.at("c.l1i.fetch"), 1u);
  EXPECT_EQ(t.at("c.dram.fetch"), 1u);
}

TEST(CacheHierarchy, TheLlcIsSharedByEveryVcpu) {
  SharedMemory shared(tiny(), 1.0, 1);
  CoreCaches a(tiny(), shared, 1), b(tiny(), shared, 2);
  EXPECT_EQ(a.access(line(5), MemClass::PteS2), 200u);
  EXPECT_EQ(b.access(line(5), MemClass::PteS2), 44u);  // vCPU b finds vCPU a's line in the LLC
  // Eight lines of b's fill the 8-line LLC: a's line is gone (a's L2 still holds it).
  for (uint64_t n = 10; n < 18; ++n) b.access(line(n), MemClass::Data);
  EXPECT_EQ(b.access(line(5), MemClass::PteS2), 200u);
}

TEST(CacheHierarchy, AddressBitsIndexingMakesStridesConflict) {
  MemLatencyConfig c = tiny();
  c.l1d = {64 * 8, 2, 4};  // 4 sets of 2 ways
  c.l2 = {64 * 64, 4, 12};
  c.llc = {64 * 256, 8, 44};
  SharedMemory shared(c, 1.0, 1);
  CoreCaches bits(c, shared, 1);
  // Three lines 4 lines apart share set 0 of the 2-way L1D: the third evicts the first.
  for (uint64_t n : {0, 4, 8}) bits.access(line(n), MemClass::Data);
  EXPECT_EQ(bits.access(line(0), MemClass::Data), 12u);
  // Four consecutive lines use four sets: all stay.
  for (uint64_t n : {100, 101, 102, 103}) bits.access(line(n), MemClass::Data);
  for (uint64_t n : {100, 101, 102, 103}) EXPECT_EQ(bits.access(line(n), MemClass::Data), 4u);
}

TEST(CacheHierarchy, DramQueueingGrowsWithTheAccessRate) {
  MemLatencyConfig c = tiny();
  c.dram_bandwidth_gbs = 6.4;  // 64-byte lines at 6.4 GB/s, 1 GHz: 10 cycles per line
  SharedMemory shared(c, 1.0, 1);
  uint32_t cycles = 0;
  uint64_t queued = 0;
  // Misses 100 cycles apart: utilisation 2 x 10 / 100 = 0.2 for the second, wait
  // 10 x 0.2 / (2 x 0.8) = 1.25, rounded to 1.
  shared.access(1000, 0, cycles, queued);
  EXPECT_EQ(cycles, 200u);
  shared.access(1001, 100, cycles, queued);
  EXPECT_EQ(cycles, 201u);
  // Back to back (1 cycle apart): the utilisation saturates at 0.95, wait 10 x 0.95 / 0.1 = 95.
  SharedMemory busy(c, 1.0, 1);
  for (uint64_t n = 0; n < 64; ++n) busy.access(2000 + n, n, cycles, queued);
  EXPECT_EQ(cycles, 295u);
  MemLatencyConfig unlimited = tiny();
  SharedMemory free_flow(unlimited, 1.0, 1);
  for (uint64_t n = 0; n < 64; ++n) free_flow.access(2000 + n, n, cycles, queued);
  EXPECT_EQ(cycles, 200u);
}

TEST(CacheHierarchy, FixedLatencyCountsEveryAccess) {
  MemLatencyConfig c;
  c.fixed = true;
  c.fixed_latency = 90;
  SharedMemory shared(c, 1.0, 1);
  CoreCaches caches(c, shared, 1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(caches.access(line(0), MemClass::PteS1), 90u);
  EXPECT_EQ(caches.stats().accesses(MemClass::PteS1), 3u);
  EXPECT_EQ(caches.stats().cycles[static_cast<int>(MemClass::PteS1)], 270u);
  EXPECT_EQ(caches.stats().served[0][static_cast<int>(MemClass::PteS1)], 0u);
}

TEST(CacheHierarchy, ValidateNamesTheLevel) {
  MemLatencyConfig c = tiny();
  c.l1i = {100, 8, 4};
  const auto e = validate(c);
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("mem.l1i"), std::string::npos);
}

}  // namespace
}  // namespace nptsim
