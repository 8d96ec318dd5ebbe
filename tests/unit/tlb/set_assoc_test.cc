// SetAssoc: hits, LRU and FIFO replacement, and insert_absent() making the same replacement
// decisions as insert() for a tag that is not present.
#include "models/core/tlb/set_assoc.h"

#include <gtest/gtest.h>

#include <random>

namespace nptsim {
namespace {

TEST(SetAssoc, LruEvictsTheLeastRecentlyUsedWay) {
  SetAssoc<int> a(4, 4, Replacement::Lru);  // one set of four ways
  for (int t = 0; t < 4; ++t) EXPECT_FALSE(a.insert(static_cast<uint64_t>(t), t * 10));
  ASSERT_NE(a.lookup(0), nullptr);  // 0 is now the most recent; 1 the least
  EXPECT_TRUE(a.insert(4, 40));
  EXPECT_EQ(a.lookup(1), nullptr);
  ASSERT_NE(a.lookup(0), nullptr);
  EXPECT_EQ(*a.lookup(4), 40);
  EXPECT_FALSE(a.insert(4, 41));  // present: replaced in place, nothing evicted
  EXPECT_EQ(*a.lookup(4), 41);
}

TEST(SetAssoc, FifoIgnoresHits) {
  SetAssoc<int> a(2, 2, Replacement::Fifo);
  a.insert(7, 1);
  a.insert(8, 2);
  ASSERT_NE(a.lookup(7), nullptr);
  EXPECT_TRUE(a.insert(9, 3));  // 7 was inserted first
  EXPECT_EQ(a.lookup(7), nullptr);
  EXPECT_NE(a.lookup(8), nullptr);
}

// A lookup followed, on a miss, by an insert: the same hits, values and evictions with
// insert_absent() as with insert(), for every policy.
TEST(SetAssoc, InsertAbsentDecidesLikeInsert) {
  for (Replacement p : {Replacement::Lru, Replacement::Fifo, Replacement::Random}) {
    SetAssoc<uint64_t> a(64, 8, p, 3), b(64, 8, p, 3);
    std::mt19937_64 rng(11);
    for (int i = 0; i < 20000; ++i) {
      const uint64_t tag = rng() % 300;
      if (i % 97 == 0) {
        a.invalidate(tag);
        b.invalidate(tag);
        continue;
      }
      uint64_t* ha = a.lookup(tag);
      uint64_t* hb = b.lookup(tag);
      ASSERT_EQ(ha == nullptr, hb == nullptr) << i;
      if (ha) {
        ASSERT_EQ(*ha, *hb) << i;
        continue;
      }
      ASSERT_EQ(a.insert(tag, tag * 3 + static_cast<uint64_t>(i)),
                b.insert_absent(tag, tag * 3 + static_cast<uint64_t>(i)))
          << i;
    }
  }
}

}  // namespace
}  // namespace nptsim
