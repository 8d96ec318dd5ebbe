// Walk caches are sized by what an entry maps, so one setting is the same structure on 3-, 4- and
// 5-level tables (issue 17, case 2).
#include <gtest/gtest.h>

#include <random>

#include "models/core/platform/functional_platform.h"

namespace nptsim {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

struct Shape {
  Arch arch;
  int levels;
};

// Stage-2 PTE reads and 2M-cache hits of a uniform stream over 1 GiB of guest RAM (alloc: 4 KiB
// pages on every format), TLBs on, after one warm-up access that fills the caches of every span
// above 1 GiB. With equal capacity per span the 2M and 1G caches see the same lookups and make
// the same decisions on every format, and the caches above 1 GiB always hit (one entry covers
// the whole footprint), so a walk that misses the 2M and 1G caches reads the 1G-level entry,
// the 2M-level entry and the leaf on every format: equal reads.
struct Reads {
  uint64_t pte_reads, hits_2m, hits_1g;
};
Reads uniform_stream(Shape s) {
  PlatformConfig c;
  c.stage2 = Stage2Config{s.arch, s.levels, GeometryMode::Hardware,
                          s.arch == Arch::AArch64 && s.levels == 4 ? 48u : 0u};
  c.layout = default_layout(kGiB, BackendKind::Alloc);
  c.layout.frame_pool_frames = 1 << 19;
  std::string err;
  auto p = FunctionalPlatform::create(c, err);
  EXPECT_TRUE(p) << err;
  if (!p) return {};
  EXPECT_TRUE(p->access(0, GuestPhysAddr(0), AccessKind::Read).ok);
  p->reset_stats();
  std::mt19937_64 rng(5);
  for (int i = 0; i < 60000; ++i)
    EXPECT_TRUE(p->access(0, GuestPhysAddr((rng() % kGiB) & ~uint64_t{7}), AccessKind::Read).ok);
  const WalkCacheStats& wc = p->scheme(0)->walk_cache(Stage::Stage2)->stats();
  return {p->scheme(0)->stats().reads(Stage::Stage2), wc.hits_per_span[0], wc.hits_per_span[1]};
}

TEST(WalkCacheSpans, EqualCapacityPerSpanGivesEqualReadsAcrossLevelCounts) {
  const Reads x86 = uniform_stream({Arch::X86_64, 4});
  EXPECT_GT(x86.hits_2m, 0u);
  EXPECT_GT(x86.hits_1g, 0u);
  for (Shape s : {Shape{Arch::X86_64, 5}, Shape{Arch::AArch64, 3}, Shape{Arch::AArch64, 4},
                  Shape{Arch::RiscV64, 3}, Shape{Arch::RiscV64, 4}}) {
    const Reads r = uniform_stream(s);
    const std::string name =
        std::string(to_string(s.arch)) + " " + std::to_string(s.levels) + "-level";
    EXPECT_EQ(r.pte_reads, x86.pte_reads) << name;
    EXPECT_EQ(r.hits_2m, x86.hits_2m) << name;
    EXPECT_EQ(r.hits_1g, x86.hits_1g) << name;
  }
}

// Each non-leaf level takes the configuration of its span: a 3-level table has no 512G cache, so
// switching it off changes nothing there, while the 4-level table then reads its root again on
// every walk that misses below.
TEST(WalkCacheSpans, LevelsTakeTheirSpansConfiguration) {
  const Geometry g3 = make_geometry(3, 9, false);
  const Geometry g4 = make_geometry(4, 9, false);
  WalkCacheConfig c;
  WalkCache w3(g3, c, 1), w4(g4, c, 1);
  EXPECT_EQ(w3.depths(), 2);
  EXPECT_EQ(w4.depths(), 3);
  c.by_span[2].hit_latency = 7;  // 512G
  c.by_span[0].hit_latency = 3;  // 2M
  WalkCache v4(g4, c, 1), v3(g3, c, 1);
  EXPECT_EQ(v4.hit_latency(0), 7u);
  EXPECT_EQ(v4.hit_latency(2), 3u);
  EXPECT_EQ(v3.hit_latency(0), 1u);  // the 1G level
  EXPECT_EQ(v3.hit_latency(1), 3u);
}

TEST(WalkCacheSpans, NamesAndValidation) {
  EXPECT_STREQ(walk_cache_span_name(0), "2M");
  EXPECT_STREQ(walk_cache_span_name(3), "256T");
  EXPECT_EQ(walk_cache_span_of_shift(30), 1);
  EXPECT_FALSE(walk_cache_span_of_shift(12));
  WalkCacheConfig c;
  c.by_span[1].entries = 6;  // not a multiple of 4 ways
  auto e = validate(c, "walk_cache.s2");
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("walk_cache.s2.1G"), std::string::npos) << *e;
}

}  // namespace
}  // namespace nptsim
