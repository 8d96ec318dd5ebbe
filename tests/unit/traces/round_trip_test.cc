// Issue acceptance: generator -> binary file -> text file -> binary file gives byte-identical
// binary files, for every pattern, with records that carry gap and vcpu too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trace_test_util.h"
#include "traces/gen/generator.h"

namespace nptsim::trace {

// Test names and messages print the pattern's name (ADL finds it beside the enum).
static void PrintTo(Pattern p, std::ostream* os) { *os << to_string(p); }

namespace {

using namespace testutil;

std::vector<TraceRecord> generate(const GenConfig& c) {
  EXPECT_EQ(validate(c), std::nullopt);
  Generator g(c);
  std::vector<TraceRecord> out;
  TraceRecord buf[64];
  for (size_t n; (n = g.next(buf, 64)) != 0;) out.insert(out.end(), buf, buf + n);
  EXPECT_EQ(out.size(), c.count);
  return out;
}

// Copies `in` to `out` in `format` through a reader and a writer (what `nptsim convert` does).
void convert(const std::string& in, TraceFormat format, const std::string& out) {
  auto reader = open_trace(in);
  auto writer = open_trace_writer(format, out, reader->addr_kind());
  TraceRecord buf[256];
  for (size_t n; (n = reader->read(buf, 256)) != 0;) writer->write(buf, n);
  writer->finish();
}

class BinaryTextBinary : public ::testing::TestWithParam<Pattern> {};

TEST_P(BinaryTextBinary, ByteIdentical) {
  GenConfig c;
  c.pattern = GetParam();
  c.count = 3001;  // odd: gups ends on a lone read
  c.footprint = uint64_t{1} << 20;
  c.stride = 192;
  c.write_ratio = 0.25;
  c.seed = 42 + static_cast<uint64_t>(GetParam());
  c.kind = static_cast<int>(GetParam()) % 2 ? AddrKind::GuestVirtual : AddrKind::GuestPhysical;
  c.base = c.kind == AddrKind::GuestVirtual ? kDefaultGvaBase : 0x40000000;
  c.size = c.pattern == Pattern::Chase ? 64 : 8;
  auto recs = generate(c);
  // Give records gaps and vCPUs, including the extreme values, as other sources would.
  for (size_t i = 0; i < recs.size(); ++i) {
    if (i % 3 == 0) recs[i].gap = static_cast<uint32_t>(i * 2654435761u);
    if (i % 4 == 1) recs[i].vcpu = static_cast<uint16_t>(i % 64);
    if (i % 100 == 7) recs[i].type = AccessType::Fetch;
  }
  recs[1].gap = 0xFFFFFFFFu;
  recs[2].vcpu = 65534;
  recs[3].vcpu = 0;
  recs[4].type = AccessType::Fetch;

  TempFile a("a.nptb"), t("t.txt"), b("b.nptb"), t2("t2.txt");
  write_trace(TraceFormat::Binary, a.path(), c.kind, recs);
  convert(a.path(), TraceFormat::Text, t.path());
  convert(t.path(), TraceFormat::Binary, b.path());
  const std::string bytes_a = file_bytes(a.path());
  const std::string bytes_b = file_bytes(b.path());
  ASSERT_EQ(bytes_a.size(), 32 + 16 * recs.size());
  EXPECT_TRUE(bytes_a == bytes_b) << "binary files differ after binary -> text -> binary";

  // The text in between is canonical and stable: text -> text is byte-identical too.
  convert(t.path(), TraceFormat::Text, t2.path());
  EXPECT_TRUE(file_bytes(t.path()) == file_bytes(t2.path()));
  // And every step kept the records and the address kind.
  auto reader = open_trace(b.path());
  EXPECT_EQ(reader->addr_kind(), c.kind);
  EXPECT_EQ(read_all(*reader, 1024), recs);
  auto text_reader = open_trace(t.path());
  EXPECT_EQ(text_reader->format(), TraceFormat::Text);
  EXPECT_EQ(read_all(*text_reader, 1024), recs);
}

// Every event kind, between accesses, through text -> binary -> text and binary -> text ->
// binary: byte-identical files, the same records.
TEST(EventRoundTrip, TextBinaryTextAndBinaryTextBinaryAreByteIdentical) {
  const std::string text = std::string("nptsim-trace 1 gpa\nR 0x1000 8\n") + kSampleEventsText +
                           "W 0x2000 4 gap=7 cpu=1\n" + kSampleEventsText;
  TempFile t("t.txt"), b("b.nptb"), t2("t2.txt"), b2("b2.nptb");
  write_file(t.path(), text);
  convert(t.path(), TraceFormat::Binary, b.path());
  convert(b.path(), TraceFormat::Text, t2.path());
  EXPECT_EQ(file_bytes(t2.path()), text);
  convert(t2.path(), TraceFormat::Binary, b2.path());
  EXPECT_TRUE(file_bytes(b.path()) == file_bytes(b2.path()));
  auto reader = open_trace(b2.path());
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 2 + 2 * sample_events().size());
  EXPECT_EQ(
      std::vector<TraceRecord>(
          recs.begin() + 1, recs.begin() + 1 + static_cast<std::ptrdiff_t>(sample_events().size())),
      sample_events());
}

// A generated trace with every event option, binary -> text -> binary.
TEST(EventRoundTrip, GeneratedEventsAreByteIdenticalThroughText) {
  GenConfig c;
  c.pattern = Pattern::Uniform;
  c.count = 5000;
  c.footprint = uint64_t{1} << 24;
  c.write_ratio = 0.5;
  c.balloon_every = 300;
  c.balloon_pages = 5;
  c.dirty_rounds = 4;
  c.dirty_every = 700;
  c.ctxsw_every = 250;
  c.asids = 3;
  c.tlb_flush_every = 1000;
  c.migrate_every = 450;
  c.pcpus = 4;
  Generator g(c);
  std::vector<TraceRecord> recs;
  TraceRecord buf[64];
  for (size_t n; (n = g.next(buf, 64)) != 0;) recs.insert(recs.end(), buf, buf + n);
  TempFile a("a.nptb"), t("t.txt"), b("b.nptb");
  write_trace(TraceFormat::Binary, a.path(), c.kind, recs);
  convert(a.path(), TraceFormat::Text, t.path());
  convert(t.path(), TraceFormat::Binary, b.path());
  EXPECT_TRUE(file_bytes(a.path()) == file_bytes(b.path()));
  auto reader = open_trace(t.path());
  EXPECT_EQ(read_all(*reader, 1024), recs);
}

INSTANTIATE_TEST_SUITE_P(Patterns, BinaryTextBinary,
                         ::testing::Values(Pattern::Seq, Pattern::Stride, Pattern::Uniform,
                                           Pattern::Zipf, Pattern::Gups, Pattern::Chase),
                         [](const ::testing::TestParamInfo<Pattern>& pi) {
                           return std::string(to_string(pi.param));
                         });

}  // namespace
}  // namespace nptsim::trace
