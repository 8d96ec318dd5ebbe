// The nptsim text trace format (traces/FORMAT.md, "Text"): reader, canonical writer, errors.
#include "traces/formats/text_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trace_test_util.h"

namespace nptsim::trace {
namespace {

using namespace testutil;

TEST(TextReader, HandWrittenFileGivesExactRecords) {
  const std::string text =
      "# a comment before the header\n"
      "\n"
      "   \t\n"
      "nptsim-trace 1 gva   # the header may carry a comment\n"
      "R 0x1000 8\n"
      "W\t0x1008  4 gap=3\n"
      "# a comment line between records\n"
      "F 0x400000 4 cpu=1\n"
      "\n"
      "  R 0xFFFFFFFFFFFFFFFF 255 cpu=7 gap=4294967295 # trailing comment\n"
      "W 0xabcDEF 1 gap=0 cpu=65534\n"
      "F 0x7f0000001234 2 gap=12\tcpu=0#comment right after a field\n"
      "R 0X0 1\r\n"
      "W 0x10 16";  // the last line has no newline
  auto reader = open_trace_memory(bytes_of(text), text.size(), "hand.txt");
  EXPECT_EQ(reader->format(), TraceFormat::Text);
  EXPECT_EQ(reader->addr_kind(), AddrKind::GuestVirtual);
  EXPECT_EQ(reader->name(), "hand.txt");
  const std::vector<TraceRecord> expected = {
      R(0x1000, 8),
      W(0x1008, 4, 3),
      F(0x400000, 4, 0, 1),
      R(0xFFFFFFFFFFFFFFFFull, 255, 4294967295u, 7),
      W(0xabcdef, 1, 0, 65534),
      F(0x7f0000001234, 2, 12, 0),
      R(0, 1),
      W(0x10, 16),
  };
  EXPECT_EQ(read_all(*reader, 16), expected);
  // At the end, read keeps returning 0.
  TraceRecord buf[16];
  EXPECT_EQ(reader->read(buf, 16), 0u);
}

TEST(TextReader, GpaHeaderAndNoRecords) {
  const std::string text = "nptsim-trace 1 gpa\n# nothing else\n";
  auto reader = open_trace_memory(bytes_of(text), text.size(), "t.txt");
  EXPECT_EQ(reader->addr_kind(), AddrKind::GuestPhysical);
  EXPECT_TRUE(read_all(*reader).empty());
}

TEST(TextReader, ManyRecordsAcrossBatchesAndSmallWindow) {
  std::string text = "nptsim-trace 1 gpa\n";
  std::vector<TraceRecord> expected;
  for (uint32_t i = 0; i < 1000; ++i) {
    TraceRecord r = rec(static_cast<AccessType>(i % 3), 0x1000 + 8 * uint64_t{i}, 8, i % 5,
                        i % 4 ? kNoVcpu : 3);
    format_text_record(r, text);
    expected.push_back(r);
  }
  EXPECT_EQ(read_memory(text, "t.txt", std::nullopt, 16), expected);
  EXPECT_EQ(read_memory(text, "t.txt", std::nullopt, 997), expected);
  // A 64-byte window forces many refills with lines straddling them.
  auto small = reader_with_window(text, TraceFormat::Text, 64, "t.txt");
  EXPECT_EQ(read_all(*small, 17), expected);
}

TEST(TextReader, LineLongerThanWindowIsAnError) {
  const std::string text = "nptsim-trace 1 gpa\nR 0x1 1\n#" + std::string(200, 'x') + "\nR 0x2 2\n";
  auto reader = reader_with_window(text, TraceFormat::Text, 64, "long.txt");
  EXPECT_EQ(error_of([&] { read_all(*reader); }), "long.txt:3: line longer than 64 bytes");
}

// One bad line in an otherwise valid trace: the error names the file and its line.
struct BadLine {
  const char* line;
  const char* message;  // after "bad.txt:LINE: "
};
void PrintTo(const BadLine& b, std::ostream* os) { *os << '\'' << b.line << '\''; }

class TextReaderBadRecord : public ::testing::TestWithParam<BadLine> {};

TEST_P(TextReaderBadRecord, ErrorNamesFileAndLine) {
  const std::string text = "# comment\nnptsim-trace 1 gpa\nR 0x1000 8\n\nW 0x2000 4 gap=1\n" +
                           std::string(GetParam().line) + "\nR 0x3000 8\n";
  const std::string msg = read_error(text, "bad.txt");
  EXPECT_EQ(msg, std::string("bad.txt:6: ") + GetParam().message) << "line: " << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, TextReaderBadRecord,
    ::testing::Values(
        BadLine{"Q 0x1000 8", "bad access type 'Q' (expected R, W, F or E)"},
        BadLine{"r 0x1000 8", "bad access type 'r' (expected R, W, F or E)"},
        BadLine{"RW 0x1000 8", "bad access type 'RW' (expected R, W, F or E)"},
        BadLine{"R", "bad access type 'R' (expected R, W, F or E)"},
        BadLine{"R 1000 8", "bad address '1000' (expected 0x...)"},
        BadLine{"R x1000 8", "bad address 'x1000' (expected 0x...)"},
        BadLine{"R 0x", "bad address '0x' (expected 0x...)"},
        BadLine{"R 0x 8", "bad address '0x' (expected 0x followed by 1-16 hex digits)"},
        BadLine{"R 0x10g0 8", "bad address '0x10g0' (expected 0x followed by 1-16 hex digits)"},
        BadLine{"R 0x10000000000000000 8",
                "bad address '0x10000000000000000' (expected 0x followed by 1-16 hex digits)"},
        BadLine{"R 0x00000000000000001 8",
                "bad address '0x00000000000000001' (expected 0x followed by 1-16 hex digits)"},
        BadLine{"R 0x1000 0", "bad size '0' (expected 1-255 bytes)"},
        BadLine{"R 0x1000 256", "bad size '256' (expected 1-255 bytes)"},
        BadLine{"R 0x1000 99999999999999999999999",
                "bad size '99999999999999999999999' (expected 1-255 bytes)"},
        BadLine{"R 0x1000", "bad size end of line (expected 1-255 bytes)"},
        BadLine{"R 0x1000   # no size", "bad size '#' (expected 1-255 bytes)"},
        BadLine{"R 0x1000 8x", "bad size '8x' (expected 1-255 bytes)"},
        BadLine{"R 0x1000 -8", "bad size '-8' (expected 1-255 bytes)"},
        BadLine{"R 0x1000 8 foo=1", "unknown field 'foo=1' (expected gap=N or cpu=N)"},
        BadLine{"R 0x1000 8 9", "unknown field '9' (expected gap=N or cpu=N)"},
        BadLine{"R 0x1000 8 gap=1 vcpu=2", "unknown field 'vcpu=2' (expected gap=N or cpu=N)"},
        BadLine{"R 0x1000 8 GAP=1", "unknown field 'GAP=1' (expected gap=N or cpu=N)"},
        BadLine{"R 0x1000 8 gap=", "unknown field 'gap=' (expected gap=N or cpu=N)"},
        BadLine{"R 0x1000 8 gap=4294967296", "bad value in 'gap=4294967296' (at most 4294967295)"},
        BadLine{"R 0x1000 8 cpu=65535", "bad value in 'cpu=65535' (at most 65534)"},
        BadLine{"R 0x1000 8 cpu=x", "bad value in 'cpu=x' (at most 65534)"},
        BadLine{"R 0x1000 8 gap=3x", "bad value in 'gap=3x' (at most 4294967295)"},
        BadLine{"nptsim-trace 1 gpa", "bad access type 'nptsim-trace' (expected R, W, F or E)"}));

TEST(TextReader, EveryEventKindGivesItsRecord) {
  const std::string text = std::string("nptsim-trace 1 gpa\n") + kSampleEventsText;
  EXPECT_EQ(read_memory(text, "events.txt"), sample_events());
}

TEST(TextReader, EventsBetweenAccessesWithSpacingCommentsAndUppercaseHex) {
  const std::string text =
      "nptsim-trace 1 gpa\n"
      "R 0x1000 8\n"
      "E\tunmap   0X2000\t3   # a comment\n"
      "W 0x1008 4 gap=2\n"
      "  E map 0xABC000 1 r-- cpu=4#comment\n"
      "E tlb-flush cpu=1\n"
      "E tlb-flush 0x10 cpu=2 cpu=3\n"
      "E dirty-start\r\n"
      "E migrate 0";  // the last line has no newline
  const std::vector<TraceRecord> expected = {
      R(0x1000, 8),
      make_event(EventKind::Unmap, 0x2000, 3),
      W(0x1008, 4, 2),
      make_event(EventKind::Map, 0xabc000, 1, kProtRead, 4),
      make_event(EventKind::TlbFlush, 0, 0, 0, 1),
      make_event(EventKind::TlbFlush, 0x10, 1, 0, 3),  // the last cpu= wins, as on accesses
      make_event(EventKind::DirtyStart),
      make_event(EventKind::Migrate, 0),
  };
  EXPECT_EQ(read_memory(text, "mixed.txt", std::nullopt, 16), expected);
}

class TextReaderBadEvent : public ::testing::TestWithParam<BadLine> {};

TEST_P(TextReaderBadEvent, ErrorNamesFileAndLine) {
  const std::string text = "nptsim-trace 1 gpa\nR 0x1000 8\nE dirty-start\n\n" +
                           std::string(GetParam().line) + "\nE dirty-stop\n";
  const std::string msg = read_error(text, "ev.txt");
  EXPECT_EQ(msg, std::string("ev.txt:5: ") + GetParam().message) << "line: " << GetParam().line;
}

#define NPTSIM_EVENT_NAMES                                                                       \
  "map, unmap, protect, balloon-inflate, balloon-deflate, dirty-start, dirty-sync, dirty-stop, " \
  "ctxsw, tlb-flush, migrate"

INSTANTIATE_TEST_SUITE_P(
    Errors, TextReaderBadEvent,
    ::testing::Values(
        // The name.
        BadLine{"E", "missing event name (expected " NPTSIM_EVENT_NAMES ")"},
        BadLine{"E   # nothing", "missing event name (expected " NPTSIM_EVENT_NAMES ")"},
        BadLine{"E remap 0x1000 1", "unknown event 'remap' (expected " NPTSIM_EVENT_NAMES ")"},
        BadLine{"E MAP 0x1000 1 rw-", "unknown event 'MAP' (expected " NPTSIM_EVENT_NAMES ")"},
        BadLine{"E balloon 0x1000 1", "unknown event 'balloon' (expected " NPTSIM_EVENT_NAMES ")"},
        BadLine{"Emap 0x1000 1 rw-", "bad access type 'Emap' (expected R, W, F or E)"},
        // Addresses, and what check_event says about them.
        BadLine{"E unmap 0x1001 1", "unmap: address 0x1001 is not 4 KiB-aligned"},
        BadLine{"E balloon-inflate 0x800 2", "balloon-inflate: address 0x800 is not 4 KiB-aligned"},
        BadLine{"E unmap 0xfffffffffffff000 2", "unmap: the range passes 2^64"},
        BadLine{"E unmap 1000 1", "unmap: bad address '1000' (expected 0x...)"},
        BadLine{"E unmap 0x10zz 1",
                "unmap: bad address '0x10zz' (expected 0x followed by 1-16 hex digits)"},
        BadLine{"E balloon-deflate", "balloon-deflate: missing address (expected 0x...)"},
        BadLine{"E tlb-flush 0xg",
                "tlb-flush: bad address '0xg' (expected 0x followed by 1-16 hex digits)"},
        // Page counts.
        BadLine{"E unmap 0x1000 0", "unmap: bad page count '0' (expected 1-4294967295)"},
        BadLine{"E unmap 0x1000 4294967296",
                "unmap: bad page count '4294967296' (expected 1-4294967295)"},
        BadLine{"E map 0x1000 rw-", "map: bad page count 'rw-' (expected 1-4294967295)"},
        BadLine{"E unmap 0x1000", "unmap: missing page count (expected 1-4294967295)"},
        BadLine{"E balloon-inflate 0x1000 # pages?",
                "balloon-inflate: missing page count (expected 1-4294967295)"},
        // Protections.
        BadLine{"E map 0x1000 1",
                "map: missing protection (expected r or -, w or -, x or -, e.g. "
                "rw- or r-x)"},
        BadLine{"E map 0x1000 1 rw",
                "map: bad protection 'rw' (expected r or -, w or -, x or -, "
                "e.g. rw- or r-x)"},
        BadLine{"E protect 0x1000 1 wr-",
                "protect: bad protection 'wr-' (expected r or -, w or "
                "-, x or -, e.g. rw- or r-x)"},
        BadLine{"E protect 0x1000 1 RW-",
                "protect: bad protection 'RW-' (expected r or -, w or "
                "-, x or -, e.g. rw- or r-x)"},
        BadLine{"E map 0x1000 1 rwxr",
                "map: bad protection 'rwxr' (expected r or -, w or -, x or "
                "-, e.g. rw- or r-x)"},
        BadLine{"E map 0x1000 1 ---", "map: no access allowed (prot ---)"},
        // ASIDs and physical CPUs.
        BadLine{"E ctxsw 65536", "ctxsw: bad ASID '65536' (expected 0-65535)"},
        BadLine{"E ctxsw 0x10", "ctxsw: bad ASID '0x10' (expected 0-65535)"},
        BadLine{"E ctxsw", "ctxsw: missing ASID (expected 0-65535)"},
        BadLine{"E migrate -1", "migrate: bad physical CPU '-1' (expected 0-65535)"},
        BadLine{"E migrate cpu=1", "migrate: bad physical CPU 'cpu=1' (expected 0-65535)"},
        // Fields after the operands.
        BadLine{"E unmap 0x1000 1 gap=3", "unmap: 'gap=3': an event has no gap= (expected cpu=N)"},
        BadLine{"E dirty-sync gap=0", "dirty-sync: 'gap=0': an event has no gap= (expected cpu=N)"},
        BadLine{"E dirty-sync 0x1000",
                "dirty-sync: unexpected '0x1000' (expected cpu=N or the end of the line)"},
        BadLine{"E ctxsw 1 2", "ctxsw: unexpected '2' (expected cpu=N or the end of the line)"},
        BadLine{"E map 0x1000 1 rw- x",
                "map: unexpected 'x' (expected cpu=N or the end of the line)"},
        BadLine{"E tlb-flush 4096",
                "tlb-flush: unexpected '4096' (expected cpu=N or the end of the line)"},
        BadLine{"E dirty-stop cpu=65535", "bad value in 'cpu=65535' (at most 65534)"},
        BadLine{"E dirty-stop cpu=", "bad value in 'cpu=' (at most 65534)"}));

TEST(TextReader, ErrorLineCountsCrLfAndLastLineWithoutNewline) {
  EXPECT_EQ(read_error("nptsim-trace 1 gpa\r\nR 0x1 8\r\n\r\nQ", "crlf.txt"),
            "crlf.txt:4: bad access type 'Q' (expected R, W, F or E)");
}

TEST(TextReader, ErrorAfterManyRecordsNamesTheRightLine) {
  std::string text = "nptsim-trace 1 gpa\n";
  for (int i = 0; i < 300; ++i) text += "R 0x40 8\n";
  text += "R 0x40 0\n";
  EXPECT_EQ(read_error(text, "long.txt"), "long.txt:302: bad size '0' (expected 1-255 bytes)");
  // Records before the bad line are delivered by earlier batches.
  auto reader = open_trace_memory(bytes_of(text), text.size(), "long.txt");
  TraceRecord buf[100];
  size_t total = 0;
  try {
    for (size_t n; (n = reader->read(buf, 100)) != 0;) total += n;
    ADD_FAILURE() << "no error";
  } catch (const TraceError&) {
  }
  EXPECT_EQ(total, 300u);
}

TEST(TextReader, MissingHeader) {
  // Detection does not call this text; forced, the reader names the first significant line.
  EXPECT_EQ(read_error("R 0x1000 8\n", "nohdr.txt", TraceFormat::Text),
            "nohdr.txt:1: expected the header 'nptsim-trace 1 gpa|gva', got 'R'");
  EXPECT_EQ(read_error("# c\n\n  R 0x1000 8\nnptsim-trace 1 gpa\n", "nohdr.txt", TraceFormat::Text),
            "nohdr.txt:3: expected the header 'nptsim-trace 1 gpa|gva', got 'R'");
  EXPECT_TRUE(starts_with(read_error("R 0x1000 8\n", "nohdr.txt"), "nohdr.txt: cannot recognise"));
}

TEST(TextReader, HeaderWithBadKindOrVersion) {
  for (const char* kind : {"gpq", "GPA", "gpaa", "gva,", "hva"}) {
    EXPECT_EQ(read_error(std::string("nptsim-trace 1 ") + kind + "\nR 0x1 8\n", "hdr.txt"),
              "hdr.txt:1: header: address kind must be gpa or gva")
        << kind;
  }
  EXPECT_EQ(read_error("\n# c\nnptsim-trace 2 gpa\nR 0x1 8\n", "hdr.txt"),
            "hdr.txt:3: text trace version '2' is not supported (this nptsim reads version 1)");
  EXPECT_EQ(read_error("nptsim-trace 1\n", "hdr.txt"),
            "hdr.txt:1: header: address kind must be gpa or gva");
  // Header fields may be separated by spaces or tabs, like record fields.
  EXPECT_EQ(read_error("nptsim-trace\t1   gva # c\nR 0x1 8 q\n", "hdr.txt"),
            "hdr.txt:2: unknown field 'q' (expected gap=N or cpu=N)");
  EXPECT_EQ(read_error("nptsim-trace-x 1 gpa\n", "hdr.txt"),
            "hdr.txt:1: expected the header 'nptsim-trace 1 gpa|gva', got 'nptsim-trace-x'");
}

TEST(TextReader, OnlyCommentsIsAnEmptyTrace) {
  const std::string text = "# just\n\n   # comments\n\t\n";
  EXPECT_EQ(read_error(text, "c.txt", TraceFormat::Text),
            "c.txt: empty trace: no 'nptsim-trace 1 gpa|gva' header line");
  // Undetected without --format.
  EXPECT_TRUE(starts_with(read_error(text, "c.txt"), "c.txt: cannot recognise the trace format"));
}

TEST(TextWriter, CanonicalForm) {
  std::string line;
  format_text_record(R(0xABCDEF, 8), line);
  format_text_record(W(0x1008, 4, 3), line);
  format_text_record(F(0x400000, 4, 0, 1), line);
  format_text_record(R(0xFFFFFFFFFFFFFFFFull, 255, 4294967295u, 65534), line);
  format_text_record(W(0, 1, 0, 0), line);
  EXPECT_EQ(line,
            "R 0xabcdef 8\n"
            "W 0x1008 4 gap=3\n"
            "F 0x400000 4 cpu=1\n"
            "R 0xffffffffffffffff 255 gap=4294967295 cpu=65534\n"
            "W 0x0 1 cpu=0\n");

  TempFile out("canon.txt");
  write_trace(TraceFormat::Text, out.path(), AddrKind::GuestVirtual,
              {R(0xABCDEF, 8), W(0x1008, 4, 3), F(0x400000, 4, 0, 1)});
  EXPECT_EQ(file_bytes(out.path()),
            "nptsim-trace 1 gva\nR 0xabcdef 8\nW 0x1008 4 gap=3\nF 0x400000 4 cpu=1\n");
}

TEST(TextWriter, CanonicalFormOfEvents) {
  std::string text;
  for (const TraceRecord& r : sample_events()) format_text_record(r, text);
  EXPECT_EQ(text, kSampleEventsText);

  TempFile out("events.txt");
  write_trace(TraceFormat::Text, out.path(), AddrKind::GuestPhysical,
              {R(0x1000, 8), make_event(EventKind::BalloonInflate, 0x5000, 2), W(0x1008, 4, 3)});
  EXPECT_EQ(file_bytes(out.path()),
            "nptsim-trace 1 gpa\nR 0x1000 8\nE balloon-inflate 0x5000 2\nW 0x1008 4 gap=3\n")
      << "the header stays version 1";
}

TEST(TextWriter, WrittenFileReadsBack) {
  std::vector<TraceRecord> recs;
  for (uint32_t i = 0; i < 5000; ++i) {
    recs.push_back(rec(static_cast<AccessType>(i % 3), uint64_t{i} * 0x9E3779B97F4A7C15ull,
                       static_cast<uint8_t>(1 + i % 255), i * 7919u,
                       static_cast<uint16_t>(i % 3 ? kNoVcpu : i % 65535)));
  }
  TempFile out("back.txt");
  write_trace(TraceFormat::Text, out.path(), AddrKind::GuestPhysical, recs);
  auto reader = open_trace(out.path());
  EXPECT_EQ(reader->format(), TraceFormat::Text);
  EXPECT_EQ(reader->addr_kind(), AddrKind::GuestPhysical);
  EXPECT_EQ(read_all(*reader, 1000), recs);
}

TEST(TraceWriter, FormatsAndExtensions) {
  EXPECT_EQ(format_for_extension("a/b.txt"), TraceFormat::Text);
  EXPECT_EQ(format_for_extension("x.nptb"), TraceFormat::Binary);
  EXPECT_EQ(format_for_extension("x.txt.gz"), std::nullopt);
  EXPECT_EQ(format_for_extension("txt"), std::nullopt);
  TempFile out("nope.lackey");
  EXPECT_NE(error_of([&] {
              open_trace_writer(TraceFormat::Lackey, out.path(), AddrKind::GuestVirtual);
            }).find("writes only text (.txt) and binary (.nptb)"),
            std::string::npos);
  EXPECT_TRUE(starts_with(error_of([&] {
                            open_trace_writer(TraceFormat::Text, "/nonexistent-dir/x.txt",
                                              AddrKind::GuestPhysical);
                          }),
                          "/nonexistent-dir/x.txt: cannot create: "));
}

}  // namespace
}  // namespace nptsim::trace
