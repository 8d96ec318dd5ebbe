// Tests that pin the timing model (issue 13 item 8) on whole platforms: pointer chases over
// growing footprints show the TLB-reach steps of the configured TLBs and the walk-latency
// plateaus as page-table lines fall out of each cache level; two walkers finish independent
// misses in half the time of one; two vCPUs contend for the shared LLC.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "models/core/platform/functional_platform.h"
#include "platform_test_util.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

PlatformConfig lazy_x86(uint64_t ram) {
  PlatformConfig c;
  c.stage2 = Stage2Config{Arch::X86_64, 4, GeometryMode::Hardware, 0};
  c.layout = default_layout(ram, BackendKind::Lazy);
  c.layout.frame_pool_frames = 1 << 19;
  return c;
}

using testutil::build;

// A pointer chase: one access per page of [base, base + pages x 4 KiB), in one random order
// that every round repeats (a fixed cycle, as a linked list's).
std::vector<uint64_t> chase_order(uint64_t base, uint64_t pages, uint64_t seed) {
  std::vector<uint64_t> order(pages);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  for (uint64_t& p : order) p = base + p * 4096;
  return order;
}

void play(FunctionalPlatform& p, uint16_t vcpu, const std::vector<uint64_t>& order, int rounds) {
  AccessOutcome o;
  for (int r = 0; r < rounds; ++r) {
    for (uint64_t a : order) {
      p.record(vcpu, a, AccessKind::Read, 8, 0, &o);
      ASSERT_TRUE(o.ok);
    }
  }
}

struct TlbCounts {
  uint64_t accesses, l1_misses, l2_hits, walks;
};

// Skylake's TLBs (the defaults): a 64-entry 4-way L1 DTLB (16 sets) and a 1536-entry 12-way STLB
// (128 sets), sets from the page number's low bits. A chase over N consecutive pages puts N/16
// pages in each L1 set and N/128 in each STLB set; a set that holds its pages keeps them, one
// that does not misses on every access (LRU on a fixed cycle evicts the next page needed).
TlbCounts tlb_chase(uint64_t pages) {
  auto p = build(lazy_x86(64 * kMiB));
  const auto order = chase_order(0, pages, 7);
  play(*p, 0, order, 2);  // first touches (lazy faults), then a warm round
  p->reset_stats();
  play(*p, 0, order, 2);
  const TlbFront& t = p->scheme(0)->tlbs();
  return {p->stats().accesses, t.l1d().stats().misses, t.l2().stats().hits,
          p->scheme(0)->stats().walks};
}

TEST(TimingPins, PointerChasesShowTheTlbReachSteps) {
  const TlbCounts in_l1 = tlb_chase(64);  // 4 pages per L1 set: all hit
  EXPECT_EQ(in_l1.l1_misses, 0u);
  EXPECT_EQ(in_l1.walks, 0u);
  const TlbCounts in_l2 = tlb_chase(512);  // 32 per L1 set: all miss; 4 per STLB set: all hit
  EXPECT_EQ(in_l2.l1_misses, in_l2.accesses);
  EXPECT_EQ(in_l2.l2_hits, in_l2.accesses);
  EXPECT_EQ(in_l2.walks, 0u);
  const TlbCounts full_l2 = tlb_chase(1536);  // 12 per STLB set: exactly its reach
  EXPECT_EQ(full_l2.l2_hits, full_l2.accesses);
  EXPECT_EQ(full_l2.walks, 0u);
  const TlbCounts beyond = tlb_chase(4096);  // 32 per STLB set: every access walks
  EXPECT_EQ(beyond.l2_hits, 0u);
  EXPECT_EQ(beyond.walks, beyond.accesses);
}

// TLBs and walk caches off, so every access walks the 4-level tables; only page-table lines in
// the caches (mem.data_caches = off); small caches: L1D 64 lines, L2 512, LLC 4096. The three
// upper entries of a walk stay in the L1D (read on every walk), so a walk costs 3 x 4 cycles
// plus its leaf entry's latency, and the leaf lines (8 entries each) move down the hierarchy as
// the footprint grows.
PlatformConfig every_access_walks_small_caches(uint64_t ram) {
  PlatformConfig c = lazy_x86(ram);
  c.mmu.l1d.enabled = c.mmu.l1i.enabled = c.mmu.l2.enabled = false;
  c.mmu.walk_cache.set_enabled(false);
  c.mem.data_caches = false;
  c.mem.l1d = {4 << 10, 8, 4};
  c.mem.l2 = {32 << 10, 8, 12};
  c.mem.llc = {256 << 10, 16, 44};
  c.mem.dram_latency = 200;
  return c;
}

struct Plateau {
  double mean_walk;
  uint64_t dram_pte;
};
Plateau walk_chase(uint64_t pages) {
  auto p = build(every_access_walks_small_caches(1024 * kMiB));
  const auto order = chase_order(0, pages, 11);
  play(*p, 0, order, 2);
  p->reset_stats();
  play(*p, 0, order, 1);
  StatTree t;
  p->report(t);
  return {p->scheme(0)->stats().walk_cycles.mean(), t.at("vcpu0.caches.dram.pte_s2")};
}

TEST(TimingPins, WalkLatencyPlateausAsEntriesFallOutOfEachCacheLevel) {
  const Plateau l1 = walk_chase(128);       // 16 leaf lines: in the L1D
  const Plateau l2 = walk_chase(1024);      // 128 leaf lines: beyond the L1D, in the L2
  const Plateau llc = walk_chase(8192);     // 1024 leaf lines: beyond the L2, in the LLC
  const Plateau dram = walk_chase(131072);  // 16384 leaf lines: beyond the LLC
  EXPECT_DOUBLE_EQ(l1.mean_walk, 16.0);     // 4 + 4 + 4 + 4
  EXPECT_GT(l2.mean_walk, 16.0);            // leaves mostly from the L2 (12)
  EXPECT_LE(l2.mean_walk, 24.0);
  EXPECT_GT(llc.mean_walk, 24.0);  // leaves mostly from the LLC (44)
  EXPECT_LE(llc.mean_walk, 56.0);
  EXPECT_GT(dram.mean_walk, 56.0);  // leaves mostly from DRAM (200)
  EXPECT_LE(dram.mean_walk, 212.0);
  EXPECT_EQ(l1.dram_pte, 0u);
  EXPECT_EQ(llc.dram_pte, 0u);
  EXPECT_GT(dram.dram_pte, 131072u / 2);
}

// Every access walks (TLBs off), each walk 4 reads at a fixed 100 cycles: 400 cycles. Records
// without gaps are independent, so a window core overlaps as many walks as it has walkers.
uint64_t independent_walks(CoreModel model, uint32_t walkers) {
  PlatformConfig c = lazy_x86(64 * kMiB);
  c.layout = default_layout(64 * kMiB, BackendKind::Alloc);  // no faults
  c.mmu.l1d.enabled = c.mmu.l1i.enabled = c.mmu.l2.enabled = false;
  c.mmu.walk_cache.set_enabled(false);
  c.mem.fixed = true;
  c.mem.fixed_latency = 100;
  c.core.model = model;
  c.mmu.walkers = walkers;
  auto p = build(c);
  play(*p, 0, chase_order(0, 1000, 3), 1);
  return p->total_cycles();
}

TEST(TimingPins, TwoWalkersFinishIndependentMissesInHalfTheTime) {
  EXPECT_EQ(independent_walks(CoreModel::InOrder, 2), 1000u * 400u);
  EXPECT_EQ(independent_walks(CoreModel::Window, 1), 1000u * 400u);
  EXPECT_EQ(independent_walks(CoreModel::Window, 2), 1000u * 400u / 2);
  EXPECT_EQ(independent_walks(CoreModel::Window, 4), 1000u * 400u / 4);
}

// Two vCPUs chase their own 24,576 pages (3,072 leaf lines each) through a 4,096-line shared
// LLC: one alone keeps its leaf lines there; together they do not fit and go to DRAM.
uint64_t dram_pte_reads(bool both) {
  auto p = build(every_access_walks_small_caches(256 * kMiB));
  const uint64_t pages = 24576;
  const auto mine = chase_order(0, pages, 5), theirs = chase_order(pages * 4096, pages, 6);
  AccessOutcome o;
  for (int round = 0; round < 3; ++round) {
    if (round == 2) p->reset_stats();
    for (uint64_t i = 0; i < pages; ++i) {
      p->record(0, mine[i], AccessKind::Read, 8, 0, &o);
      EXPECT_TRUE(o.ok);
      if (both) {
        p->record(1, theirs[i], AccessKind::Read, 8, 0, &o);
        EXPECT_TRUE(o.ok);
      }
    }
  }
  StatTree t;
  p->report(t);
  return t.at("vcpu0.caches.dram.pte_s2");
}

TEST(TimingPins, TwoVcpusContendForTheSharedLlc) {
  const uint64_t alone = dram_pte_reads(false), together = dram_pte_reads(true);
  EXPECT_LT(alone, 24576u / 100);   // under 1% of vCPU 0's walks
  EXPECT_GT(together, 24576u / 5);  // over 20% of them
}

}  // namespace
}  // namespace nptsim
