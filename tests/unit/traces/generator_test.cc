// Synthetic traces: Generator patterns, Permutation, ZipfSampler, config validation.
#include "traces/gen/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "trace_test_util.h"

namespace nptsim::trace {
namespace {

using namespace testutil;

std::vector<TraceRecord> generate(const GenConfig& c, size_t batch = 64) {
  EXPECT_EQ(validate(c), std::nullopt);
  Generator g(c);
  std::vector<TraceRecord> out;
  std::vector<TraceRecord> buf(batch);
  for (size_t n; (n = g.next(buf.data(), batch)) != 0;) {
    EXPECT_LE(n, batch);
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  }
  EXPECT_EQ(g.next(buf.data(), batch), 0u);
  return out;
}

GenConfig config(Pattern p, uint64_t count, uint64_t footprint, uint64_t seed = 1) {
  GenConfig c;
  c.pattern = p;
  c.count = count;
  c.footprint = footprint;
  c.seed = seed;
  return c;
}

const Pattern kAll[] = {Pattern::Seq,  Pattern::Stride, Pattern::Uniform,
                        Pattern::Zipf, Pattern::Gups,   Pattern::Chase};

TEST(Generator, PatternNames) {
  for (Pattern p : kAll) EXPECT_EQ(parse_pattern(to_string(p)), p);
  EXPECT_STREQ(to_string(Pattern::Gups), "gups");
  EXPECT_EQ(parse_pattern("random"), std::nullopt);
}

TEST(Generator, DeterministicAndSeeded) {
  for (Pattern p : kAll) {
    GenConfig c = config(p, 10000, uint64_t{1} << 24, 7);
    c.write_ratio = 0.5;
    const auto a = generate(c, 64), b = generate(c, 2);  // batch size does not matter
    EXPECT_EQ(a, b) << to_string(p);
    if (p == Pattern::Seq || p == Pattern::Stride) continue;  // no randomness in the addresses
    c.seed = 8;
    EXPECT_NE(generate(c), a) << to_string(p);
  }
  // Seq with a write ratio is seeded through its read/write choice.
  GenConfig s = config(Pattern::Seq, 1000, 4096, 1);
  s.write_ratio = 0.5;
  const auto s1 = generate(s);
  s.seed = 2;
  EXPECT_NE(generate(s), s1);
}

TEST(Generator, CountSizeAndBounds) {
  for (Pattern p : kAll) {
    for (uint8_t size : {uint8_t{1}, uint8_t{8}, uint8_t{64}}) {
      GenConfig c = config(p, 5001, 3 * 4096 + 640, 3);
      c.size = size;
      c.stride = 96;
      c.base = 0x7f0000000000;
      c.kind = AddrKind::GuestVirtual;
      c.write_ratio = 0.3;
      const auto recs = generate(c, 17);
      ASSERT_EQ(recs.size(), c.count) << to_string(p);
      for (const auto& r : recs) {
        ASSERT_EQ(r.size, size) << to_string(p);
        ASSERT_GE(r.addr, c.base) << to_string(p);
        ASSERT_LE(r.addr + r.size, c.base + c.footprint) << to_string(p);
        ASSERT_NE(r.type, AccessType::Fetch);
        ASSERT_EQ(r.gap, 0u);
        ASSERT_FALSE(r.has_vcpu());
      }
    }
  }
}

TEST(Generator, WriteRatioIsHonoured) {
  for (Pattern p : {Pattern::Uniform, Pattern::Seq, Pattern::Zipf, Pattern::Chase}) {
    for (double ratio : {0.0, 0.3, 1.0}) {
      GenConfig c = config(p, 100000, uint64_t{1} << 20, 11);
      c.write_ratio = ratio;
      const auto recs = generate(c, 4096);
      const double writes =
          static_cast<double>(std::count_if(recs.begin(), recs.end(), [](const TraceRecord& r) {
            return r.type == AccessType::Write;
          }));
      EXPECT_NEAR(writes / static_cast<double>(recs.size()), ratio, 0.02) << to_string(p);
    }
  }
}

TEST(Generator, GupsIsReadThenWriteOfTheSameAddress) {
  GenConfig c = config(Pattern::Gups, 20001, uint64_t{1} << 26, 5);
  c.write_ratio = 0.9;  // ignored by gups
  for (size_t batch : {2, 3, 64}) {
    const auto recs = generate(c, batch);
    ASSERT_EQ(recs.size(), 20001u);
    std::set<uint64_t> distinct;
    for (size_t i = 0; i + 1 < recs.size(); i += 2) {
      ASSERT_EQ(recs[i].type, AccessType::Read) << i;
      ASSERT_EQ(recs[i + 1].type, AccessType::Write) << i;
      ASSERT_EQ(recs[i].addr, recs[i + 1].addr) << i;
      ASSERT_EQ(recs[i].addr % 8, 0u);
      distinct.insert(recs[i].addr);
    }
    EXPECT_EQ(recs.back().type, AccessType::Read);  // an odd count ends on the read
    EXPECT_GT(distinct.size(), 9900u);              // random over 8 Mi slots: few repeats
  }
}

TEST(Generator, SeqAndStrideExactSequences) {
  GenConfig s = config(Pattern::Seq, 300, 1024);
  s.base = 0x10000;
  s.size = 8;
  const auto seq = generate(s);
  for (size_t i = 0; i < seq.size(); ++i) {
    ASSERT_EQ(seq[i], R(0x10000 + (i % 128) * 8, 8)) << i;  // 128 slots of 8 bytes, then wrap
  }
  GenConfig t = config(Pattern::Stride, 100, 4096);
  t.base = 0x200000;
  t.stride = 100;
  t.size = 8;
  // Offsets 0, 100, ..., 4000 (41 positions: the last access must fit), then wrap.
  const auto str = generate(t);
  for (size_t i = 0; i < str.size(); ++i) ASSERT_EQ(str[i], R(0x200000 + (i % 41) * 100, 8)) << i;
  // A stride that exactly tiles the footprint: 4096 / 512 = 8 positions.
  t.stride = 512;
  t.size = 4;
  const auto tiled = generate(t);
  for (size_t i = 0; i < tiled.size(); ++i) ASSERT_EQ(tiled[i].addr, 0x200000 + (i % 8) * 512) << i;
}

TEST(Generator, ChaseVisitsEverySlotOncePerLap) {
  constexpr uint64_t kFootprint = 64 * 1024, kSlots = kFootprint / 64;
  GenConfig c = config(Pattern::Chase, 3 * kSlots, kFootprint, 9);
  c.base = 0x40000000;
  const auto recs = generate(c);
  ASSERT_EQ(recs.size(), 3 * kSlots);
  std::vector<uint64_t> first_lap;
  for (uint64_t lap = 0; lap < 3; ++lap) {
    std::vector<uint64_t> slots;
    for (uint64_t i = 0; i < kSlots; ++i) {
      const auto& r = recs[lap * kSlots + i];
      ASSERT_EQ((r.addr - c.base) % 64, 0u);
      slots.push_back((r.addr - c.base) / 64);
    }
    if (lap == 0) first_lap = slots;
    EXPECT_EQ(slots, first_lap) << "lap " << lap << " follows the same chain";
    std::sort(slots.begin(), slots.end());
    for (uint64_t i = 0; i < kSlots; ++i) ASSERT_EQ(slots[i], i) << "lap " << lap;
  }
  // Pseudo-random order: not the sequential walk.
  size_t in_place = 0;
  for (uint64_t i = 0; i < kSlots; ++i) in_place += first_lap[i] == i;
  EXPECT_LT(in_place, kSlots / 16);
}

TEST(Permutation, IsABijection) {
  for (uint64_t n : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{1000}, uint64_t{4096},
                     uint64_t{4097}, uint64_t{65536}}) {
    for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{0xdeadbeef}}) {
      Permutation p(n, seed);
      std::vector<bool> seen(n, false);
      for (uint64_t i = 0; i < n; ++i) {
        const uint64_t v = p(i);
        ASSERT_LT(v, n) << "n " << n;
        ASSERT_FALSE(seen[v]) << "n " << n << " duplicate image " << v;
        seen[v] = true;
      }
    }
  }
  // Different seeds give different permutations; the same seed the same one.
  Permutation a(1000, 1), b(1000, 2), a2(1000, 1);
  size_t same = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    same += a(i) == b(i);
    ASSERT_EQ(a(i), a2(i));
  }
  EXPECT_LT(same, 50u);
  // Huge domains: images stay in range.
  constexpr uint64_t kBig = (uint64_t{1} << 40) | 12345;
  Permutation big(kBig, 3);
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_LT(big(i * 1000003), kBig);
}

TEST(ZipfSampler, RanksInRangeAndRankOneMostFrequent) {
  for (double s : {0.5, 0.99, 1.0, 1.5}) {
    constexpr uint64_t kN = 50;
    ZipfSampler z(kN, s);
    std::mt19937_64 rng(123);
    auto u01 = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    std::vector<uint64_t> counts(kN + 1, 0);
    constexpr int kSamples = 200000;
    for (int i = 0; i < kSamples; ++i) {
      const uint64_t k = z.sample(u01);
      ASSERT_GE(k, 1u);
      ASSERT_LE(k, kN);
      ++counts[k];
    }
    double h = 0;
    for (uint64_t k = 1; k <= kN; ++k) h += std::pow(static_cast<double>(k), -s);
    for (uint64_t k = 2; k <= kN; ++k)
      EXPECT_GT(counts[1], counts[k]) << "s " << s << " rank " << k;
    for (uint64_t k : {uint64_t{1}, uint64_t{2}, uint64_t{5}, uint64_t{50}}) {
      const double expected = std::pow(static_cast<double>(k), -s) / h;
      EXPECT_NEAR(static_cast<double>(counts[k]) / kSamples, expected, 0.1 * expected + 0.002)
          << "s " << s << " rank " << k;
    }
  }
  ZipfSampler one(1, 0.99);
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(one.sample([&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }), 1u);
  ZipfSampler huge(uint64_t{1} << 40, 0.8);
  for (int i = 0; i < 10000; ++i) {
    const uint64_t k = huge.sample([&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; });
    ASSERT_GE(k, 1u);
    ASSERT_LE(k, uint64_t{1} << 40);
  }
}

TEST(Generator, ZipfPagesFollowZipfPopularity) {
  constexpr uint64_t kPages = 64;
  GenConfig c = config(Pattern::Zipf, 200000, kPages * 4096, 21);
  c.zipf_s = 0.99;
  c.base = 0x100000000;
  std::map<uint64_t, uint64_t> per_page;
  for (const auto& r : generate(c, 4096)) ++per_page[(r.addr - c.base) / 4096];
  ASSERT_LE(per_page.size(), kPages);
  std::vector<uint64_t> counts;
  for (const auto& kv : per_page) counts.push_back(kv.second);
  std::sort(counts.rbegin(), counts.rend());
  double h = 0;
  for (uint64_t k = 1; k <= kPages; ++k) h += std::pow(static_cast<double>(k), -c.zipf_s);
  // The most popular page gets the rank-1 share, the second the rank-2 share, ...
  for (uint64_t k : {uint64_t{1}, uint64_t{2}, uint64_t{3}}) {
    const double expected = std::pow(static_cast<double>(k), -c.zipf_s) / h;
    EXPECT_NEAR(static_cast<double>(counts[k - 1]) / 200000.0, expected, 0.1 * expected)
        << "rank " << k;
  }
  // Hot pages are scattered, not the first pages of the footprint.
  const auto hottest =
      std::max_element(per_page.begin(), per_page.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  const auto second =
      std::max_element(per_page.begin(), per_page.end(), [&](const auto& a, const auto& b) {
        return (a.first == hottest->first ? 0 : a.second) <
               (b.first == hottest->first ? 0 : b.second);
      });
  EXPECT_FALSE(hottest->first == 0 && second->first == 1) << "hot pages not scattered";
}

// The events of `recs` as "AFTER: TEXT" (AFTER = accesses before the event, TEXT its canonical
// text), in order; `accesses` receives the number of accesses.
std::vector<std::string> events_of(const std::vector<TraceRecord>& recs, uint64_t* accesses) {
  std::vector<std::string> out;
  uint64_t n = 0;
  for (const TraceRecord& r : recs) {
    if (!is_event(r)) {
      ++n;
      continue;
    }
    std::string text;
    format_text_record(r, text);
    text.pop_back();
    out.push_back(std::to_string(n) + ": " + text);
  }
  *accesses = n;
  return out;
}

// A small gpa seq stream: `count` 8-byte accesses over `pages` pages from 0x10000.
GenConfig small(uint64_t count, uint64_t pages) {
  GenConfig c = config(Pattern::Seq, count, pages * 4096);
  c.base = 0x10000;
  return c;
}

TEST(GeneratorEvents, BalloonInflateEveryNAndDeflateHalfwayToTheNext) {
  GenConfig c = small(10, 1);
  c.balloon_every = 4;
  c.balloon_pages = 1;  // one page in a one-page footprint: the place is fixed
  uint64_t accesses = 0;
  EXPECT_EQ(events_of(generate(c), &accesses),
            (std::vector<std::string>{
                "4: E balloon-inflate 0x10000 1", "6: E balloon-deflate 0x10000 1",
                "8: E balloon-inflate 0x10000 1", "10: E balloon-deflate 0x10000 1"}));
  EXPECT_EQ(accesses, 10u) << "events do not count towards --count";
  // Odd N: the deflate comes N/2 (rounded down) accesses later; N = 1: right after the inflate.
  c.balloon_every = 5;
  EXPECT_EQ(
      events_of(generate(c), &accesses),
      (std::vector<std::string>{"5: E balloon-inflate 0x10000 1", "7: E balloon-deflate 0x10000 1",
                                "10: E balloon-inflate 0x10000 1"}));
  c.count = 2;
  c.balloon_every = 1;
  EXPECT_EQ(events_of(generate(c), &accesses),
            (std::vector<std::string>{
                "1: E balloon-inflate 0x10000 1", "1: E balloon-deflate 0x10000 1",
                "2: E balloon-inflate 0x10000 1", "2: E balloon-deflate 0x10000 1"}));
}

TEST(GeneratorEvents, BalloonPlacesAreSeededAlignedAndInsideTheFootprint) {
  GenConfig c = config(Pattern::Uniform, 20000, 64 * 4096 + 100, 3);
  c.base = 0x40000123;  // unaligned: ranges start at the first whole page
  c.balloon_every = 10;
  c.balloon_pages = 16;
  const auto recs = generate(c);
  std::set<uint64_t> places;
  uint64_t inflated = 0;
  for (const TraceRecord& r : recs) {
    if (!is_event(r)) continue;
    ASSERT_EQ(check_event(r), std::nullopt);
    ASSERT_EQ(r.gap, 16u);
    ASSERT_EQ(r.addr % 4096, 0u);
    ASSERT_GE(r.addr, 0x40001000u);
    ASSERT_LE(r.addr + 16 * 4096, c.base + c.footprint);
    if (event_kind(r) == EventKind::BalloonInflate) {
      ASSERT_EQ(inflated, 0u) << "one range inflated at a time";
      inflated = r.addr;
      places.insert(r.addr);
    } else {
      ASSERT_EQ(event_kind(r), EventKind::BalloonDeflate);
      ASSERT_EQ(r.addr, inflated) << "the deflate gives back the inflated range";
      inflated = 0;
    }
  }
  EXPECT_EQ(places.size(), 64u - 16u) << "every place (64 whole pages, 16 a range) is used";
  c.seed = 4;
  EXPECT_NE(generate(c), recs);
}

TEST(GeneratorEvents, DirtyLoggingRounds) {
  GenConfig c = small(12, 1);
  c.dirty_rounds = 3;
  c.dirty_every = 3;
  uint64_t accesses = 0;
  EXPECT_EQ(events_of(generate(c), &accesses),
            (std::vector<std::string>{"3: E dirty-start", "6: E dirty-sync", "9: E dirty-sync",
                                      "12: E dirty-stop"}));
  EXPECT_EQ(accesses, 12u);
  c.count = 100;
  c.dirty_rounds = 1;
  c.dirty_every = 10;
  EXPECT_EQ(events_of(generate(c), &accesses),
            (std::vector<std::string>{"10: E dirty-start", "20: E dirty-stop"}));
}

TEST(GeneratorEvents, ContextSwitchesCycleAsids) {
  GenConfig c = small(9, 1);
  c.ctxsw_every = 2;
  c.asids = 3;
  uint64_t accesses = 0;
  EXPECT_EQ(
      events_of(generate(c), &accesses),
      (std::vector<std::string>{"2: E ctxsw 1", "4: E ctxsw 2", "6: E ctxsw 3", "8: E ctxsw 1"}));
  c.asids = 2;  // the default
  EXPECT_EQ(
      events_of(generate(c), &accesses),
      (std::vector<std::string>{"2: E ctxsw 1", "4: E ctxsw 2", "6: E ctxsw 1", "8: E ctxsw 2"}));
}

TEST(GeneratorEvents, TlbFlushesAndMigrations) {
  GenConfig c = small(10, 1);
  c.tlb_flush_every = 5;
  uint64_t accesses = 0;
  EXPECT_EQ(events_of(generate(c), &accesses),
            (std::vector<std::string>{"5: E tlb-flush", "10: E tlb-flush"}));
  c.tlb_flush_every = 0;
  c.migrate_every = 3;
  c.pcpus = 3;
  EXPECT_EQ(events_of(generate(c), &accesses),
            (std::vector<std::string>{"3: E migrate 1", "6: E migrate 2", "9: E migrate 0"}));
}

TEST(GeneratorEvents, SeveralAfterTheSameAccessComeInAFixedOrder) {
  GenConfig c = small(2, 1);
  c.balloon_every = 1;
  c.balloon_pages = 1;
  c.dirty_rounds = 1;
  c.dirty_every = 1;
  c.ctxsw_every = 1;
  c.tlb_flush_every = 1;
  c.migrate_every = 1;
  for (size_t batch : {1, 2, 3, 64}) {
    const auto recs = generate(c, batch);
    std::string text;
    for (const TraceRecord& r : recs) format_text_record(r, text);
    EXPECT_EQ(text,
              "R 0x10000 8\n"
              "E balloon-inflate 0x10000 1\n"
              "E balloon-deflate 0x10000 1\n"
              "E dirty-start\n"
              "E ctxsw 1\n"
              "E tlb-flush\n"
              "E migrate 1\n"
              "R 0x10008 8\n"
              "E balloon-inflate 0x10000 1\n"
              "E balloon-deflate 0x10000 1\n"
              "E dirty-stop\n"
              "E ctxsw 2\n"
              "E tlb-flush\n"
              "E migrate 0\n")
        << "batch " << batch;
  }
}

TEST(GeneratorEvents, DeterministicAndAccessesUnchanged) {
  for (Pattern p : kAll) {
    GenConfig plain = config(p, 5001, uint64_t{1} << 22, 13);
    plain.write_ratio = 0.4;
    GenConfig c = plain;
    c.balloon_every = 97;
    c.balloon_pages = 3;
    c.dirty_rounds = 5;
    c.dirty_every = 400;
    c.ctxsw_every = 50;
    c.tlb_flush_every = 333;
    c.migrate_every = 120;
    c.pcpus = 5;
    const auto a = generate(c, 64), b = generate(c, 1);  // batch size does not matter
    EXPECT_EQ(a, b) << to_string(p);
    std::vector<TraceRecord> accesses;
    for (const TraceRecord& r : a)
      if (!is_event(r)) accesses.push_back(r);
    EXPECT_EQ(accesses, generate(plain)) << to_string(p) << ": events leave the accesses alone";
    EXPECT_GT(a.size(), accesses.size());
  }
}

TEST(GenConfigValidate, EventOptionErrorsNameTheOption) {
  auto error = [](auto change) {
    GenConfig c = small(1000, 16);
    change(c);
    return validate(c).value_or("");
  };
  EXPECT_EQ(error([](GenConfig&) {}), "");
  EXPECT_EQ(error([](GenConfig& c) {
              c.kind = AddrKind::GuestVirtual;
              c.balloon_every = 10;
              c.balloon_pages = 1;
            }),
            "option '--balloon-every': balloon events carry guest-physical addresses: needs "
            "--addr gpa");
  EXPECT_EQ(error([](GenConfig& c) { c.balloon_every = 10; }),
            "option '--balloon-pages': must be 1..4294967295 pages");
  EXPECT_EQ(error([](GenConfig& c) {
              c.balloon_every = 10;
              c.balloon_pages = 17;
            }),
            "option '--balloon-pages': 17 pages of 4 KiB do not fit in the footprint");
  EXPECT_EQ(error([](GenConfig& c) {
              c.balloon_every = 10;
              c.balloon_pages = 16;
            }),
            "");
  EXPECT_EQ(error([](GenConfig& c) {
              c.base = 0x10001;  // 15 whole pages from the first aligned one
              c.balloon_every = 10;
              c.balloon_pages = 16;
            }),
            "option '--balloon-pages': 16 pages of 4 KiB do not fit in the footprint");
  EXPECT_EQ(error([](GenConfig& c) { c.dirty_rounds = 2; }),
            "option '--dirty-rounds': --dirty-rounds and --dirty-every go together");
  // The dirty-stop after access (9 + 1) * 100 = 1000: within a count of 1000, not of 999.
  EXPECT_EQ(error([](GenConfig& c) {
              c.dirty_rounds = 9;
              c.dirty_every = 100;
            }),
            "");
  EXPECT_EQ(error([](GenConfig& c) {
              c.dirty_rounds = 9;
              c.dirty_every = 100;
              c.count = 999;
            }),
            "option '--dirty-rounds': the dirty-stop would follow access 1000, beyond --count "
            "999 (a dirty-start after --dirty-every accesses, then the rounds of --dirty-every "
            "accesses)");
  EXPECT_EQ(error([](GenConfig& c) {
              c.dirty_rounds = UINT64_MAX;
              c.dirty_every = 1;
            }).substr(0, 73),
            "option '--dirty-rounds': the dirty-stop would follow access 2^64 or later");
  EXPECT_EQ(error([](GenConfig& c) {
              c.ctxsw_every = 1;
              c.asids = 65536;
            }),
            "option '--asids': must be 1..65535 (ASIDs 1..K are 16-bit)");
  EXPECT_EQ(error([](GenConfig& c) {
              c.ctxsw_every = 1;
              c.asids = 0;
            }),
            "option '--asids': must be 1..65535 (ASIDs 1..K are 16-bit)");
  EXPECT_EQ(error([](GenConfig& c) {
              c.migrate_every = 1;
              c.pcpus = 65537;
            }),
            "option '--pcpus': must be 1..65536 (physical CPUs 0..K-1 are 16-bit)");
  EXPECT_EQ(error([](GenConfig& c) {
              c.migrate_every = 1;
              c.pcpus = 65536;
            }),
            "");
}

TEST(GenConfigValidate, RejectsImpossibleConfigs) {
  EXPECT_EQ(validate(GenConfig{}), std::nullopt);
  auto bad = [](auto change) {
    GenConfig c;
    change(c);
    return validate(c).has_value();
  };
  EXPECT_TRUE(bad([](GenConfig& c) { c.size = 0; }));
  EXPECT_TRUE(bad([](GenConfig& c) { c.footprint = 4; }));  // smaller than one 8-byte access
  EXPECT_TRUE(bad([](GenConfig& c) { c.footprint = 0; }));
  EXPECT_TRUE(bad([](GenConfig& c) { c.write_ratio = 1.5; }));
  EXPECT_TRUE(bad([](GenConfig& c) { c.write_ratio = -0.1; }));
  EXPECT_TRUE(bad([](GenConfig& c) { c.write_ratio = std::numeric_limits<double>::quiet_NaN(); }));
  EXPECT_TRUE(bad([](GenConfig& c) {
    c.pattern = Pattern::Zipf;
    c.footprint = 4095;
  }));
  EXPECT_TRUE(bad([](GenConfig& c) {
    c.pattern = Pattern::Zipf;
    c.zipf_s = 0;
  }));
  EXPECT_TRUE(bad([](GenConfig& c) {
    c.pattern = Pattern::Chase;
    c.footprint = 32;
  }));
  EXPECT_TRUE(bad([](GenConfig& c) {
    c.pattern = Pattern::Chase;
    c.size = 128;
  }));
  EXPECT_TRUE(bad([](GenConfig& c) {
    c.pattern = Pattern::Stride;
    c.stride = 0;
  }));
  EXPECT_TRUE(bad([](GenConfig& c) { c.base = ~uint64_t{0} - 100; }));
  // Boundaries that are fine.
  EXPECT_FALSE(bad([](GenConfig& c) {
    c.pattern = Pattern::Zipf;
    c.footprint = 4096;
  }));
  EXPECT_FALSE(bad([](GenConfig& c) {
    c.footprint = 8;
    c.write_ratio = 1.0;
  }));
  EXPECT_FALSE(bad([](GenConfig& c) {
    c.pattern = Pattern::Chase;
    c.footprint = 64;
    c.size = 64;
  }));
  EXPECT_NE(validate([] {
              GenConfig c;
              c.size = 0;
              return c;
            }())
                .value_or("")
                .find("size"),
            std::string::npos);
}

}  // namespace
}  // namespace nptsim::trace
