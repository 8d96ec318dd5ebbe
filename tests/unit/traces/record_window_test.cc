// RecordWindow: the --skip / --max-records window of nptsim record (and of the QEMU plugin).
#include "traces/record/record_window.h"

#include <gtest/gtest.h>

#include <vector>

namespace nptsim::trace {
namespace {

// The stream indices a window keeps when records are offered in runs of `run` (of `total`).
std::vector<uint64_t> kept_indices(RecordWindow w, uint64_t total, uint64_t run) {
  std::vector<uint64_t> out;
  for (uint64_t base = 0; base < total; base += run) {
    const uint64_t n = total - base < run ? total - base : run;
    const RecordWindow::Slice s = w.offer(n);
    EXPECT_LE(s.first + s.count, n);
    for (uint64_t i = 0; i < s.count; ++i) out.push_back(base + s.first + i);
  }
  return out;
}

std::vector<uint64_t> range(uint64_t from, uint64_t to) {
  std::vector<uint64_t> v;
  for (uint64_t i = from; i < to; ++i) v.push_back(i);
  return v;
}

TEST(RecordWindow, KeepsEverythingByDefault) {
  EXPECT_EQ(kept_indices(RecordWindow{}, 100, 7), range(0, 100));
  EXPECT_EQ(RecordWindow{}.wanted(), RecordWindow::kNoLimit);
}

TEST(RecordWindow, SkipsTheFirstRecordsWhateverTheRunLength) {
  for (uint64_t run : {1, 3, 10, 64, 1000}) {
    EXPECT_EQ(kept_indices(RecordWindow{10, RecordWindow::kNoLimit}, 100, run), range(10, 100))
        << run;
  }
}

TEST(RecordWindow, StopsAtTheMaximum) {
  for (uint64_t run : {1, 3, 10, 64, 1000}) {
    EXPECT_EQ(kept_indices(RecordWindow{0, 25}, 100, run), range(0, 25)) << run;
    EXPECT_EQ(kept_indices(RecordWindow{30, 25}, 100, run), range(30, 55)) << run;
  }
}

TEST(RecordWindow, FullAndWanted) {
  RecordWindow w{5, 3};
  EXPECT_EQ(w.wanted(), 8u);
  EXPECT_FALSE(w.full());
  RecordWindow::Slice s = w.offer(6);  // 5 skipped, 1 kept
  EXPECT_EQ(s.first, 5u);
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(w.wanted(), 2u);
  s = w.offer(4);  // 2 kept, 2 beyond the window
  EXPECT_EQ(s.first, 0u);
  EXPECT_EQ(s.count, 2u);
  EXPECT_TRUE(w.full());
  EXPECT_EQ(w.wanted(), 0u);
  s = w.offer(100);
  EXPECT_EQ(s.count, 0u);
}

TEST(RecordWindow, AStreamShorterThanTheSkipKeepsNothing) {
  EXPECT_TRUE(kept_indices(RecordWindow{200, 10}, 100, 16).empty());
}

TEST(RecordWindow, HugeSkipDoesNotOverflowWanted) {
  RecordWindow w{RecordWindow::kNoLimit - 1, 10};
  EXPECT_EQ(w.wanted(), RecordWindow::kNoLimit);
}

}  // namespace
}  // namespace nptsim::trace
