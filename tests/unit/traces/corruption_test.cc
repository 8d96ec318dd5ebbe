// Seeded random corruption of valid inputs, one corpus per reader (text, binary, lackey,
// ChampSim, gzip-compressed lackey): whatever the damage, reading ends cleanly or with a
// TraceError, never a crash, a hang or another exception. Also run under ASan/UBSan in CI.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "trace_test_util.h"
#include "traces/formats/binary_format.h"
#include "traces/formats/text_format.h"

namespace nptsim::trace {
namespace {

using namespace testutil;

constexpr int kMutations = 2000;

uint64_t pick(std::mt19937_64& rng, uint64_t n) { return n == 0 ? 0 : rng() % n; }

// One to four random edits: bit flips, byte sets, truncations, insertions, deletions,
// duplicated chunks. Inserted bytes favour the characters the parsers care about.
std::string mutate(std::string s, std::mt19937_64& rng) {
  static const char kInteresting[] = {'\n', ' ', '\t', '\r',   ',',    '#',   '=', '0',
                                      'x',  'f', '9',  'R',    'W',    'F',   'I', 'L',
                                      'M',  'S', '\0', '\x7f', '\xff', '\x80'};
  auto random_byte = [&rng] {
    return rng() % 2 ? static_cast<char>(rng() & 0xFF) : kInteresting[rng() % sizeof kInteresting];
  };
  const uint64_t edits = 1 + pick(rng, 4);
  for (uint64_t m = 0; m < edits; ++m) {
    switch (pick(rng, 6)) {
      case 0:
        if (!s.empty()) {
          const size_t at = pick(rng, s.size());
          s[at] = static_cast<char>(s[at] ^ static_cast<char>(1u << pick(rng, 8)));
        }
        break;
      case 1:
        if (!s.empty()) s[pick(rng, s.size())] = random_byte();
        break;
      case 2:
        s.resize(pick(rng, s.size() + 1));
        break;
      case 3: {
        const size_t at = pick(rng, s.size() + 1);
        std::string ins;
        for (uint64_t i = 0, n = 1 + pick(rng, 8); i < n; ++i) ins += random_byte();
        s.insert(at, ins);
        break;
      }
      case 4:
        if (!s.empty()) {
          const size_t at = pick(rng, s.size());
          s.erase(at, 1 + pick(rng, 8));
        }
        break;
      default:
        if (!s.empty()) {
          const size_t from = pick(rng, s.size());
          const std::string chunk = s.substr(from, 1 + pick(rng, 64));
          s.insert(pick(rng, s.size() + 1), chunk);
        }
        break;
    }
  }
  return s;
}

struct Corpus {
  const char* name;
  TraceFormat format;  // the reader under test (after decompression)
  std::string data;
  uint64_t seed;
};

struct Tally {
  int clean = 0, errors = 0;
};

// Reads all of `d`; true when clean, false on TraceError. Any other exception fails the test.
bool read_everything(const std::string& d, TraceFormat format, bool detect, size_t batch) {
  try {
    std::unique_ptr<TraceReader> reader;
    if (detect) {
      reader = open_trace_memory(bytes_of(d), d.size(), "fuzz", std::nullopt);
    } else {
      // A small window keeps each iteration cheap (the default is 4 MiB).
      reader = reader_with_window(d, format, size_t{1} << 16, "fuzz");
    }
    std::vector<TraceRecord> buf(batch);
    uint64_t total = 0;
    for (size_t n; (n = reader->read(buf.data(), batch)) != 0;) {
      EXPECT_LE(n, batch);
      for (size_t i = 0; i < n; ++i) {
        if (is_event(buf[i])) {  // only a valid event is delivered
          EXPECT_EQ(check_event(buf[i]), std::nullopt);
        } else {
          EXPECT_NE(buf[i].size, 0) << "an access of size 0 was delivered";
        }
        EXPECT_LE(static_cast<int>(buf[i].type), kLastEvent);
      }
      total += n;
      if (total > 4'000'000) {
        ADD_FAILURE() << "runaway reader: more than 4M records from a small input";
        return true;
      }
    }
    return true;
  } catch (const TraceError& e) {
    EXPECT_NE(std::string(e.what()).rfind("fuzz", 0), std::string::npos)
        << "error without the name: " << e.what();
    return false;
  }
}

Tally run_corpus(const Corpus& c) {
  // The unmutated input reads cleanly, with detection and forced.
  EXPECT_TRUE(read_everything(c.data, c.format, true, 64)) << c.name;
  EXPECT_TRUE(read_everything(c.data, c.format, false, 64)) << c.name;
  std::mt19937_64 rng(c.seed);
  static const size_t kBatches[] = {16, 17, 64, 1000};
  Tally t;
  for (int i = 0; i < kMutations; ++i) {
    const std::string d = mutate(c.data, rng);
    const size_t batch = kBatches[pick(rng, 4)];
    const bool detect = i % 64 == 0;  // detection path (4 MiB window) now and then
    (read_everything(d, c.format, detect, batch) ? t.clean : t.errors)++;
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << c.name << ": mutation " << i << " (seed " << c.seed << ") failed";
      break;
    }
  }
  std::printf("[ corrupt  ] %s: %d clean reads, %d TraceErrors\n", c.name, t.clean, t.errors);
  return t;
}

std::string text_corpus() {
  std::string s = "# fuzz corpus\nnptsim-trace 1 gva # header\n\n";
  for (uint32_t i = 0; i < 60; ++i) {
    TraceRecord r = rec(static_cast<AccessType>(i % 3), 0x7f0000000000ull + 0x1234567ull * i,
                        static_cast<uint8_t>(1 + (i * 37) % 255), i % 4 ? 0 : i * 1000u,
                        static_cast<uint16_t>(i % 5 ? kNoVcpu : i));
    format_text_record(r, s);
    if (i % 10 == 3) s += "   # comment\n";
    if (i % 10 == 7) s += "\t\r\n";
  }
  s += "R 0x10 8 cpu=2 gap=3 # last";
  return s;
}

std::string binary_corpus() {
  uint8_t b[kBinaryHeaderBytes];
  encode_binary_header(AddrKind::GuestPhysical, 48, b);
  std::string s(reinterpret_cast<const char*>(b), sizeof b);
  for (uint32_t i = 0; i < 48; ++i) {
    uint8_t r[kBinaryRecordBytes];
    encode_binary_record(
        rec(static_cast<AccessType>(i % 3), 0x1000ull * i + i, static_cast<uint8_t>(1 + i), i * 3,
            static_cast<uint16_t>(i % 2 ? kNoVcpu : i)),
        r);
    s.append(reinterpret_cast<const char*>(r), sizeof r);
  }
  return s;
}

// Accesses and every event kind, as text.
std::string text_events_corpus() {
  std::string s = "nptsim-trace 1 gpa\n";
  const auto events = sample_events();
  for (uint32_t i = 0; i < 45; ++i) {
    format_text_record(rec(static_cast<AccessType>(i % 3), 0x1000ull * i + i, 8, i % 3, 1), s);
    format_text_record(events[i % events.size()], s);
    if (i % 9 == 4) s += "E tlb-flush 0X7F000 cpu=3   # comment\n";
  }
  return s;
}

// A version-2 binary trace of accesses and every event kind. `version` 1 makes it an old file
// whose event records are errors.
std::string binary_events_corpus(uint16_t version) {
  uint8_t b[kBinaryHeaderBytes];
  const auto events = sample_events();
  encode_binary_header(AddrKind::GuestPhysical, 2 * 30, b, version);
  std::string s(reinterpret_cast<const char*>(b), sizeof b);
  for (uint32_t i = 0; i < 30; ++i) {
    uint8_t r[kBinaryRecordBytes];
    encode_binary_record(rec(static_cast<AccessType>(i % 3), 0x2000ull * i, 4, i, kNoVcpu), r);
    s.append(reinterpret_cast<const char*>(r), sizeof r);
    encode_binary_record(events[i % events.size()], r);
    s.append(reinterpret_cast<const char*>(r), sizeof r);
  }
  return s;
}

std::string champsim_corpus() {
  std::string s;
  for (uint64_t i = 0; i < 24; ++i) {
    std::string r(64, '\0');
    auto put = [&r](size_t off, uint64_t v) {
      for (size_t k = 0; k < 8; ++k) r[off + k] = static_cast<char>(v >> (8 * k));
    };
    put(0, 0x400000 + 4 * i);
    r[8] = static_cast<char>(i % 2);
    for (uint64_t k = 0; k < 2; ++k) put(16 + 8 * k, (i >> k) & 1 ? 0x900000 + 64 * i : 0);
    for (uint64_t k = 0; k < 4; ++k)
      put(32 + 8 * k, (i >> (k + 1)) & 1 ? 0x100000 + 64 * i + k : 0);
    s += r;
  }
  return s;
}

TEST(Corruption, TextReader) {
  const Tally t = run_corpus({"text", TraceFormat::Text, text_corpus(), 0x7e47});
  EXPECT_GT(t.errors, 0);
  EXPECT_GT(t.clean, 0);
}

TEST(Corruption, BinaryReader) {
  const Tally t = run_corpus({"binary", TraceFormat::Binary, binary_corpus(), 0xb1a7});
  EXPECT_GT(t.errors, 0);
  EXPECT_GT(t.clean, 0);
}

TEST(Corruption, TextReaderWithEvents) {
  const Tally t = run_corpus({"text-events", TraceFormat::Text, text_events_corpus(), 0xe7e4});
  EXPECT_GT(t.errors, 0);
  EXPECT_GT(t.clean, 0);
}

TEST(Corruption, BinaryReaderWithEvents) {
  const Tally t =
      run_corpus({"binary-events", TraceFormat::Binary, binary_events_corpus(2), 0xb2e4});
  EXPECT_GT(t.errors, 0);
  EXPECT_GT(t.clean, 0);
}

TEST(Corruption, Version1BinaryWithEventRecordsIsAnError) {
  const std::string v1 = binary_events_corpus(1);
  EXPECT_EQ(read_error(v1, "fuzz"), "fuzz: record 1: bad access type 3");
}

TEST(Corruption, LackeyReader) {
  const Tally t = run_corpus(
      {"lackey", TraceFormat::Lackey, file_bytes(data_path("lackey_small.txt")), 0x1ac4});
  EXPECT_GT(t.errors, 0);
  EXPECT_GT(t.clean, 0);
}

TEST(Corruption, ChampSimReader) {
  const Tally t = run_corpus({"champsim", TraceFormat::ChampSim, champsim_corpus(), 0xc4a3});
  EXPECT_GT(t.errors, 0);
  EXPECT_GT(t.clean, 0);
}

TEST(Corruption, GzipCompressedLackey) {
  const Tally t = run_corpus(
      {"gzip", TraceFormat::Lackey, file_bytes(data_path("lackey_small.txt.gz")), 0x92e9});
  EXPECT_GT(t.errors, 0);
  EXPECT_GT(t.clean, 0);
}

}  // namespace
}  // namespace nptsim::trace
