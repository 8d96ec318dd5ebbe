// ChampSim input_instr traces (traces/FORMAT.md, "ChampSim"), format recognition and
// open_trace (traces/FORMAT.md, "Recognising a format").
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "trace_test_util.h"
#include "traces/formats/champsim_reader.h"
#include "traces/formats/text_format.h"

namespace nptsim::trace {
namespace {

using namespace testutil;

void put64(std::string& s, size_t off, uint64_t v) {
  for (size_t i = 0; i < 8; ++i) s[off + i] = static_cast<char>(v >> (8 * i));
}

// One 64-byte input_instr: ip (8), is_branch, branch_taken, destination_registers[2],
// source_registers[4], destination_memory[2] (16), source_memory[4] (32).
std::string instr(uint64_t ip, std::array<uint64_t, 2> dst, std::array<uint64_t, 4> src) {
  std::string s(64, '\0');
  put64(s, 0, ip);
  // Branch flags and register numbers: not memory accesses, must be ignored.
  const char regs[8] = {1, 1, 3, 4, 5, 6, 7, 8};
  for (size_t i = 0; i < 8; ++i) s[8 + i] = regs[i];
  for (size_t i = 0; i < 2; ++i) put64(s, 16 + 8 * i, dst[i]);
  for (size_t i = 0; i < 4; ++i) put64(s, 32 + 8 * i, src[i]);
  return s;
}

TEST(ChampSimReader, RecordsInOrderWithFixedSizes) {
  std::string data = instr(0x401000, {0, 0}, {0, 0, 0, 0});
  data += instr(0x401004, {0, 0x3000}, {0x1000, 0, 0x2000, 0});
  data += instr(0x7fffffffe000, {0xd1, 0xd2}, {0x51, 0x52, 0x53, 0x54});
  data += instr(0, {0xFFFFFFFFFFFFFFFFull, 0}, {0, 0, 0, 0x8877665544332211ull});
  const std::vector<TraceRecord> expected = {
      F(0x401000, 4),
      F(0x401004, 4),
      R(0x1000, 8),
      R(0x2000, 8),
      W(0x3000, 8),
      F(0x7fffffffe000, 4),
      R(0x51, 8),
      R(0x52, 8),
      R(0x53, 8),
      R(0x54, 8),
      W(0xd1, 8),
      W(0xd2, 8),
      F(0, 4),
      R(0x8877665544332211ull, 8),
      W(0xFFFFFFFFFFFFFFFFull, 8),
  };
  ASSERT_EQ(kChampSimFetchSize, 4);
  ASSERT_EQ(kChampSimDataSize, 8);
  for (size_t batch : {16, 64}) {
    auto reader = open_trace_memory(bytes_of(data), data.size(), "cs.trace");
    EXPECT_EQ(reader->format(), TraceFormat::ChampSim);
    EXPECT_EQ(reader->addr_kind(), AddrKind::GuestVirtual);
    EXPECT_EQ(read_all(*reader, batch), expected) << "batch " << batch;
  }
}

TEST(ChampSimReader, ManyInstructionsAcrossBatchesAndWindows) {
  std::string data;
  std::vector<TraceRecord> expected;
  for (uint64_t i = 0; i < 500; ++i) {
    const uint64_t ip = 0x400000 + 4 * i;
    std::array<uint64_t, 4> src{};
    std::array<uint64_t, 2> dst{};
    expected.push_back(F(ip, 4));
    for (uint64_t k = 0; k < 4; ++k) {
      if ((i >> k) & 1) {
        src[k] = 0x10000 + 64 * i + k;
        expected.push_back(R(src[k], 8));
      }
    }
    for (uint64_t k = 0; k < 2; ++k) {
      if ((i >> (k + 4)) & 1) {
        dst[k] = 0x90000 + 64 * i + k;
        expected.push_back(W(dst[k], 8));
      }
    }
    data += instr(ip, dst, src);
  }
  for (size_t batch : {16, 23, 1000}) {
    EXPECT_EQ(read_memory(data, "cs", std::nullopt, batch), expected) << "batch " << batch;
  }
  auto small = reader_with_window(data, TraceFormat::ChampSim, 100, "cs");
  EXPECT_EQ(read_all(*small, 16), expected);
}

TEST(ChampSimReader, PartialRecordIsTruncated) {
  std::string data;
  for (uint64_t i = 0; i < 6; ++i) data += instr(0x1000 + i, {0, 0}, {0x2000 + i, 0, 0, 0});
  for (size_t k : {0, 3, 5}) {
    const std::string cut = data.substr(0, 64 * k + 10);
    EXPECT_EQ(read_error(cut, "cut.champsim"),
              "cut.champsim: record " + std::to_string(k) + ": truncated (10 of 64 bytes)");
  }
  EXPECT_EQ(read_error(data.substr(0, 64 * 2 + 63), "cut.champsim"),
            "cut.champsim: record 2: truncated (63 of 64 bytes)");
  // Through a file, after batches of records have been delivered.
  TempFile f("cut.champsimtrace");
  write_file(f.path(), data.substr(0, 64 * 4 + 1));
  auto reader = open_trace(f.path());
  TraceRecord buf[16];
  size_t total = 0;
  EXPECT_EQ(error_of([&] {
              for (size_t n; (n = reader->read(buf, 16)) != 0;) total += n;
            }),
            f.path() + ": record 4: truncated (1 of 64 bytes)");
  EXPECT_LE(total, 8u);
}

TEST(DetectFormat, Signatures) {
  auto detect = [](const std::string& s) { return detect_format(bytes_of(s), s.size()); };
  EXPECT_EQ(detect(std::string("NPTTRACE\x01\x00", 10)), TraceFormat::Binary);
  EXPECT_EQ(detect(instr(0x401000, {0, 0}, {0, 0, 0, 0})), TraceFormat::ChampSim);
  EXPECT_EQ(detect(std::string("abc\0def", 7)), TraceFormat::ChampSim);
  // A NUL byte anywhere in the head wins over a text header.
  EXPECT_EQ(detect(std::string("nptsim-trace 1 gpa\nR 0x1 8\0", 27)), TraceFormat::ChampSim);
  EXPECT_EQ(detect("nptsim-trace 1 gpa\n"), TraceFormat::Text);
  EXPECT_EQ(detect("# comment\n\n  \t# more\n  nptsim-trace 1 gva\n"), TraceFormat::Text);
  EXPECT_EQ(detect("==123== Lackey, an example Valgrind tool\n"), TraceFormat::Lackey);
  EXPECT_EQ(detect("program output first\nI  0400,4\n"), TraceFormat::Lackey);
  EXPECT_EQ(detect(" L 1ffefffd38,8\n"), TraceFormat::Lackey);
  EXPECT_EQ(detect("hello world\n"), std::nullopt);
  EXPECT_EQ(detect("R 0x1000 8\n"), std::nullopt);
  EXPECT_EQ(detect("# only a comment\n"), std::nullopt);
  const std::string none = "x";
  EXPECT_EQ(detect_format(bytes_of(none), 0), std::nullopt);
}

TEST(OpenTrace, EmptyInputIsAnError) {
  EXPECT_EQ(error_of([] { open_trace_memory(nullptr, 0, "empty.trace"); }),
            "empty.trace: empty trace (no data)");
  EXPECT_EQ(error_of([] { open_trace_memory(nullptr, 0, "empty.trace", TraceFormat::Binary); }),
            "empty.trace: empty trace (no data)");
  // An empty gzip member decompresses to nothing: still an empty trace.
  const unsigned char empty_gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
                                    0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(error_of([&] { open_trace_memory(empty_gz, sizeof empty_gz, "empty.gz"); }),
            "empty.gz: empty trace (no data)");
  TempFile f("empty.txt");
  write_file(f.path(), "");
  EXPECT_EQ(error_of([&] { open_trace(f.path()); }), f.path() + ": empty trace (no data)");
}

TEST(OpenTrace, UnrecognisableInputAsksForFormat) {
  const std::string msg = read_error("hello world\nthis is not a trace\n", "what.dat");
  EXPECT_EQ(msg,
            "what.dat: cannot recognise the trace format (give --format text, binary, lackey or "
            "champsim)");
  EXPECT_NE(msg.find("--format"), std::string::npos);
}

TEST(OpenTrace, MissingFile) {
  EXPECT_EQ(error_of([] { open_trace("/nonexistent/nptsim/trace.txt"); }),
            "/nonexistent/nptsim/trace.txt: cannot open: No such file or directory");
  // A directory opens but cannot be read: still a TraceError, not a crash.
  const std::string dir = ::testing::TempDir();
  const std::string msg = error_of([&] {
    auto r = open_trace(dir);
    read_all(*r);
  });
  EXPECT_TRUE(starts_with(msg, dir + ": ")) << msg;
}

TEST(OpenTrace, ForcedFormatIsUsed) {
  // --format text reads a text trace whatever detection would say.
  const std::string text = "# c\nnptsim-trace 1 gva\nR 0x10 8\n";
  auto reader = open_trace_memory(bytes_of(text), text.size(), "t.txt", TraceFormat::Text);
  EXPECT_EQ(reader->format(), TraceFormat::Text);
  EXPECT_EQ(reader->addr_kind(), AddrKind::GuestVirtual);
  EXPECT_EQ(read_all(*reader), std::vector<TraceRecord>{R(0x10, 8)});

  // Input that detection rejects is read as lackey when forced (no record lines: no records).
  EXPECT_TRUE(starts_with(read_error("just output\n", "out"), "out: cannot recognise"));
  EXPECT_EQ(read_memory("just output\n", "out", TraceFormat::Lackey), std::vector<TraceRecord>{});
  // Text bytes forced as ChampSim: 64 bytes make one instruction (ip = the first 8 bytes).
  const std::string text64 = "nptsim-trace 1 gpa\n" + std::string(45, '#');
  auto cs = read_memory(text64, "t", TraceFormat::ChampSim);
  ASSERT_EQ(cs.size(), 7u);  // every field is non-zero text
  EXPECT_EQ(cs[0].type, AccessType::Fetch);
  EXPECT_EQ(cs[0].addr, 0x742d6d697374706eull);  // "nptsim-t", little-endian
  // A forced format that does not match is that reader's error, not a recognition error.
  EXPECT_EQ(read_error("==1== Lackey\n", "l.txt", TraceFormat::Text),
            "l.txt:1: expected the header 'nptsim-trace 1 gpa|gva', got '==1=='");
  EXPECT_EQ(
      read_error("nptsim-trace 1 gpa\nR 0x1 8\n" + std::string(40, ' '), "b", TraceFormat::Binary),
      "b: not an nptsim binary trace (bad magic)");
}

// FORMAT.md: "Without --format, nptsim looks at the first 4 KiB of decompressed data". Bytes
// beyond 4 KiB must not change the outcome.
// DISABLED: fails against traces/trace_reader.cc (open_buffer): `in->ensure(4096)` returns
// everything the first read brought in (up to the 4 MiB window) and detect_format() is given all
// of it, so detection depends on bytes far past 4 KiB (and, for pipes, on read chunking). See
// the report.
TEST(DetectFormat, OpenTraceLooksAtTheFirst4KiBOnly) {
  // A valid text trace with a NUL byte in a comment after 8 KiB: text, read cleanly.
  std::string text = "nptsim-trace 1 gpa\n";
  std::vector<TraceRecord> expected;
  for (uint64_t i = 0; i < 1000; ++i) {
    expected.push_back(R(0x100000 + 8 * i, 8));
    format_text_record(expected.back(), text);
  }
  text += std::string("# a stray \0 byte\n", 17);
  ASSERT_GT(text.size(), 8192u);
  auto reader = open_trace_memory(bytes_of(text), text.size(), "nul.txt");
  EXPECT_EQ(reader->format(), TraceFormat::Text);
  if (reader->format() == TraceFormat::Text) {
    EXPECT_EQ(read_all(*reader), expected);
  }
  // A header after more than 4 KiB of comments is not recognised without --format.
  std::string hidden;
  while (hidden.size() < 5000) hidden += "# padding\n";
  hidden += "nptsim-trace 1 gva\nR 0x10 8\n";
  EXPECT_TRUE(starts_with(read_error(hidden, "hidden.txt"), "hidden.txt: cannot recognise"));
}

TEST(RecordModel, NamesAndParsers) {
  EXPECT_EQ(type_letter(AccessType::Read), 'R');
  EXPECT_EQ(type_letter(AccessType::Write), 'W');
  EXPECT_EQ(type_letter(AccessType::Fetch), 'F');
  EXPECT_EQ(type_from_letter('W'), AccessType::Write);
  EXPECT_EQ(type_from_letter('w'), std::nullopt);
  EXPECT_EQ(parse_addr_kind("gva"), AddrKind::GuestVirtual);
  EXPECT_EQ(parse_addr_kind("gpa"), AddrKind::GuestPhysical);
  EXPECT_EQ(parse_addr_kind("hpa"), std::nullopt);
  EXPECT_STREQ(to_string(AddrKind::GuestVirtual), "gva");
  for (TraceFormat f :
       {TraceFormat::Text, TraceFormat::Binary, TraceFormat::Lackey, TraceFormat::ChampSim}) {
    EXPECT_EQ(parse_trace_format(to_string(f)), f);
  }
  EXPECT_EQ(parse_trace_format("nptb"), std::nullopt);
  EXPECT_STREQ(to_string(Compression::Zstd), "zstd");
  EXPECT_FALSE(TraceRecord{}.has_vcpu());
  EXPECT_NE(R(1, 1), W(1, 1));
  EXPECT_NE(R(1, 1), R(1, 1, 1));
  EXPECT_NE(R(1, 1), R(1, 1, 0, 0));
}

}  // namespace
}  // namespace nptsim::trace
