// The calibration chase pattern: one cycle over every page (line), deterministic per seed,
// offsets inside the footprint, one line per page spread over the cache sets.
#include "sim/calibrate/chase_pattern.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace nptsim::calibrate {
namespace {

ChaseSpec spec(ChaseMode mode, uint64_t page_bytes, uint64_t footprint, uint64_t seed = 7) {
  ChaseSpec s;
  s.mode = mode;
  s.page_bytes = page_bytes;
  s.footprint_bytes = footprint;
  s.seed = seed;
  return s;
}

TEST(ChasePattern, VisitsEveryPageOnceInsideTheFootprint) {
  for (uint64_t page : {uint64_t{4096}, uint64_t{2} << 20}) {
    const ChaseSpec s = spec(ChaseMode::LinePerPage, page, 1000 * page);
    const std::vector<uint64_t> lap = chase_lap(s);
    ASSERT_EQ(lap.size(), 1000u);
    std::set<uint64_t> pages;
    for (uint64_t off : lap) {
      EXPECT_LT(off, s.footprint_bytes);
      EXPECT_EQ(off % 64, 0u);
      pages.insert(off / page);
    }
    EXPECT_EQ(pages.size(), 1000u) << "every page exactly once";
  }
}

TEST(ChasePattern, EveryLineVisitsEachLineOnce) {
  const ChaseSpec s = spec(ChaseMode::EveryLine, 2 << 20, 64 * 1024);
  std::vector<uint64_t> lap = chase_lap(s);
  ASSERT_EQ(lap.size(), 1024u);
  const std::vector<uint64_t> in_order = lap;
  std::sort(lap.begin(), lap.end());
  for (uint64_t i = 0; i < lap.size(); ++i) EXPECT_EQ(lap[i], i * 64);
  EXPECT_NE(in_order, lap) << "a random order, not sequential";
}

TEST(ChasePattern, DeterministicPerSeed) {
  const auto a = chase_lap(spec(ChaseMode::LinePerPage, 4096, 4096 * 5000, 1));
  EXPECT_EQ(a, chase_lap(spec(ChaseMode::LinePerPage, 4096, 4096 * 5000, 1)));
  EXPECT_NE(a, chase_lap(spec(ChaseMode::LinePerPage, 4096, 4096 * 5000, 2)));
  // Pinned: the order must not change between machines or standard libraries (computed
  // independently with a Python std::mt19937_64 and the same Fisher-Yates).
  const auto small = chase_lap(spec(ChaseMode::EveryLine, 4096, 8 * 64, 1));
  std::vector<uint64_t> lines;
  for (uint64_t off : small) lines.push_back(off / 64);
  EXPECT_EQ(lines, (std::vector<uint64_t>{4, 6, 3, 5, 1, 7, 2, 0}));
}

TEST(ChasePattern, OneLinePerPageSpreadsOverTheSets) {
  // 4 KiB pages, 64-byte lines: the line slot in the page is the set of a VIPT L1 with 64 sets.
  const ChaseSpec s = spec(ChaseMode::LinePerPage, 4096, 4096 * 640);
  std::vector<int> per_slot(64, 0);
  for (uint64_t off : chase_lap(s)) ++per_slot[(off % 4096) / 64];
  for (int n : per_slot) EXPECT_EQ(n, 10);
  // Any 64 consecutive pages use 64 distinct slots.
  std::set<uint64_t> slots;
  for (uint64_t p = 100; p < 164; ++p) slots.insert((p * kLineMultiplier) % 64);
  EXPECT_EQ(slots.size(), 64u);
}

TEST(ChasePattern, RejectsBadSpecs) {
  EXPECT_TRUE(validate(spec(ChaseMode::LinePerPage, 4096, 4096 * 3 + 64)));
  EXPECT_TRUE(validate(spec(ChaseMode::LinePerPage, 3000, 6000)));
  EXPECT_TRUE(validate(spec(ChaseMode::EveryLine, 4096, 0)));
  EXPECT_TRUE(chase_lap(spec(ChaseMode::EveryLine, 4096, 100)).empty());
  EXPECT_FALSE(validate(spec(ChaseMode::EveryLine, 2 << 20, 8192)));
}

}  // namespace
}  // namespace nptsim::calibrate
