// TLB organisation as real cores have it: an array per large page size, large pages shared with
// 4 KiB ones or splintered, sets from page-number bits; walk caches per stage or stage-tagged.
#include <gtest/gtest.h>

#include "models/core/pt/geometry.h"
#include "models/core/tlb/tlb.h"
#include "models/core/tlb/walk_cache.h"

namespace nptsim {
namespace {

constexpr uint64_t k2M = uint64_t{1} << 21, k1G = uint64_t{1} << 30;
const AccessMask kAll = access_bit(AccessKind::Read) | access_bit(AccessKind::Write);

bool hits(Tlb& t, uint64_t addr) { return t.lookup(1, addr, AccessKind::Read).has_value(); }
void put(Tlb& t, uint64_t addr, uint8_t shift, uint64_t hpa_base) {
  t.insert(1, addr, shift, HostPhysAddr(hpa_base), kAll, kAll);
}

TEST(TlbArrays, LargePagesInTheirOwnArrayDoNotEvict4KEntries) {
  TlbLargePages own;
  own.mode[0] = TlbLargePages::Own;
  own.entries[0] = own.ways[0] = 2;  // two 2 MiB entries, fully associative
  Tlb tlb(CacheConfig{true, 4, 4, Replacement::Lru, 1}, 1, own);
  for (uint64_t p = 0; p < 4; ++p) put(tlb, p << 12, 12, 0x100000 + (p << 12));
  for (uint64_t p = 1; p <= 3; ++p) put(tlb, p * k2M + k1G, 21, p * k2M);
  for (uint64_t p = 0; p < 4; ++p) EXPECT_TRUE(hits(tlb, p << 12)) << "4 KiB page " << p;
  EXPECT_FALSE(hits(tlb, 1 * k2M + k1G));  // the third 2 MiB entry evicted the first
  EXPECT_TRUE(hits(tlb, 3 * k2M + k1G + 0x1234));
  StatTree t;
  tlb.report(t, "tlb");
  EXPECT_EQ(t.at("tlb.2M.hits"), 1u);
  EXPECT_EQ(t.at("tlb.hits"), 5u);

  // Shared: the same inserts into one 4-entry array push 4 KiB entries out.
  Tlb shared(CacheConfig{true, 4, 4, Replacement::Lru, 1}, 1, TlbLargePages{});
  for (uint64_t p = 0; p < 4; ++p) put(shared, p << 12, 12, 0x100000 + (p << 12));
  for (uint64_t p = 1; p <= 3; ++p) put(shared, p * k2M + k1G, 21, p * k2M);
  EXPECT_FALSE(hits(shared, 0));
  EXPECT_TRUE(hits(shared, 3 << 12));
}

TEST(TlbArrays, ASplinteredPageIsHeldAsThePieceAccessed) {
  TlbLargePages l;
  l.mode[0] = TlbLargePages::Own;       // 2 MiB array
  l.mode[1] = TlbLargePages::Splinter;  // no 1 GiB entries
  l.entries[0] = l.ways[0] = 4;
  Tlb tlb(CacheConfig{true, 4, 4, Replacement::Lru, 1}, 1, l);
  const uint64_t gva = 5 * k1G + 3 * k2M + 0x5000, base = 64 * k1G;
  put(tlb, gva, 30, base);
  const auto hit = tlb.lookup(1, gva + 0x10, AccessKind::Read);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->shift, 21);
  EXPECT_EQ(hit->hpa.value(), base + 3 * k2M + 0x5010);
  EXPECT_TRUE(hits(tlb, 5 * k1G + 3 * k2M + k2M - 1));  // the same 2 MiB piece
  EXPECT_FALSE(hits(tlb, 5 * k1G + 4 * k2M));           // the next piece: not cached
}

TEST(TlbArrays, PageNumberBitsPickTheSet) {
  // 8 entries, 2 ways: 4 sets. Pages 0, 4 and 8 share set 0: the third evicts the first.
  Tlb tlb(CacheConfig{true, 8, 2, Replacement::Lru, 1}, 1, TlbLargePages{}, SetIndex::LowBits);
  for (uint64_t p : {0, 4, 8}) put(tlb, p << 12, 12, p << 12);
  EXPECT_FALSE(hits(tlb, 0));
  // Eight consecutive pages fill the four sets exactly: all stay.
  Tlb seq(CacheConfig{true, 8, 2, Replacement::Lru, 1}, 1, TlbLargePages{}, SetIndex::LowBits);
  for (uint64_t p = 16; p < 24; ++p) put(seq, p << 12, 12, p << 12);
  for (uint64_t p = 16; p < 24; ++p) EXPECT_TRUE(hits(seq, p << 12)) << p;
}

// A successful walk of `addr` through tables at depths 0..levels-1 with a 4 KiB leaf.
WalkResult walk_of(int levels) {
  WalkResult r;
  r.ok = true;
  r.leaf_depth = static_cast<int8_t>(levels - 1);
  for (int d = 0; d < levels - 1; ++d) r.next_table[d] = 0x1000u * (d + 1);
  return r;
}

TEST(TlbArrays, AStageTaggedWalkCacheSharesItsEntriesBetweenStages) {
  const Geometry g = make_geometry(4, 9, false);
  WalkCacheConfig one;  // one entry per span
  for (CacheConfig& c : one.by_span) c = CacheConfig{true, 1, 1, Replacement::Lru, 1};
  WalkCache s2(g, one, 1);
  WalkCache s1(g, one, 2, s2, 1);  // stage 1 tagged into stage 2's arrays
  s2.fill(1, 0x4000'0000, walk_of(4), 0);
  EXPECT_TRUE(s2.lookup<HostPhysAddr>(1, 0x4000'0000));
  EXPECT_FALSE(s1.lookup<GuestPhysAddr>(1, 0x4000'0000));  // another stage's entry: no hit
  s1.fill(1, 0x4000'0000, walk_of(4), 0);                  // takes the one entry per span
  EXPECT_TRUE(s1.lookup<GuestPhysAddr>(1, 0x4000'0000));
  EXPECT_FALSE(s2.lookup<HostPhysAddr>(1, 0x4000'0000));
  // Per stage: both keep their entry.
  WalkCache a(g, one, 1), b(g, one, 2);
  a.fill(1, 0x4000'0000, walk_of(4), 0);
  b.fill(1, 0x4000'0000, walk_of(4), 0);
  EXPECT_TRUE(a.lookup<HostPhysAddr>(1, 0x4000'0000));
  EXPECT_TRUE(b.lookup<GuestPhysAddr>(1, 0x4000'0000));
}

}  // namespace
}  // namespace nptsim
