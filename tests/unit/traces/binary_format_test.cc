// The nptsim binary trace format (traces/FORMAT.md, "Binary"): layout, writer/reader round
// trip, header count, truncation and bad records.
#include "traces/formats/binary_format.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "trace_test_util.h"

namespace nptsim::trace {
namespace {

using namespace testutil;

uint64_t le64(const std::string& s, size_t off) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v |= uint64_t{static_cast<uint8_t>(s[off + i])} << (8 * i);
  return v;
}

std::string header(AddrKind kind, uint64_t count, uint16_t version = kBinaryVersion) {
  uint8_t h[kBinaryHeaderBytes];
  encode_binary_header(kind, count, h, version);
  return std::string(reinterpret_cast<const char*>(h), sizeof h);
}

std::string record_bytes(const TraceRecord& r) {
  uint8_t b[kBinaryRecordBytes];
  encode_binary_record(r, b);
  return std::string(reinterpret_cast<const char*>(b), sizeof b);
}

std::vector<TraceRecord> sample_records(size_t n) {
  std::vector<TraceRecord> v;
  for (size_t i = 0; i < n; ++i) {
    const auto k = static_cast<uint32_t>(i);
    v.push_back(rec(static_cast<AccessType>(i % 3), 0x7f0000000000ull + 64 * uint64_t{k},
                    static_cast<uint8_t>(1 + i % 255), k % 4 ? 0 : k * 1000003u,
                    static_cast<uint16_t>(i % 5 ? kNoVcpu : i % 7)));
  }
  v.push_back(W(0xFFFFFFFFFFFFFFFFull, 255, 0xFFFFFFFFu, 65534));
  return v;
}

TEST(BinaryFormat, HeaderAndRecordLayout) {
  const std::string h = header(AddrKind::GuestVirtual, 0x0102030405060708ull);
  ASSERT_EQ(h.size(), 32u);
  EXPECT_EQ(h.substr(0, 8), "NPTTRACE");
  EXPECT_EQ(h[8], 2);  // version 2, little-endian
  EXPECT_EQ(h[9], 0);
  EXPECT_EQ(h[10], 1);  // gva
  EXPECT_EQ(h[11], 16);
  EXPECT_EQ(h.substr(12, 4), std::string(4, '\0'));
  EXPECT_EQ(le64(h, 16), 0x0102030405060708ull);
  EXPECT_EQ(h.substr(24, 8), std::string(8, '\0'));
  EXPECT_EQ(header(AddrKind::GuestPhysical, 0)[10], 0);

  const std::string r = record_bytes(F(0x1122334455667788ull, 0x42, 0xA1B2C3D4u, 0x0305));
  const unsigned char expected[16] = {0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
                                      0xD4, 0xC3, 0xB2, 0xA1, 0x05, 0x03, 0x42, 0x02};
  EXPECT_EQ(r, std::string(reinterpret_cast<const char*>(expected), 16));
  // Absent vcpu is 0xffff; read 0, write 1.
  const std::string a = record_bytes(R(1, 1));
  EXPECT_EQ(static_cast<uint8_t>(a[12]), 0xFF);
  EXPECT_EQ(static_cast<uint8_t>(a[13]), 0xFF);
  EXPECT_EQ(a[15], 0);
  EXPECT_EQ(record_bytes(W(1, 1))[15], 1);
}

TEST(BinaryFormat, WriterReaderRoundTripThroughFile) {
  const auto recs = sample_records(3000);
  TempFile f("rt.nptb");
  write_trace(TraceFormat::Binary, f.path(), AddrKind::GuestVirtual, recs);
  const std::string bytes = file_bytes(f.path());
  ASSERT_EQ(bytes.size(), 32 + 16 * recs.size());
  EXPECT_EQ(bytes.substr(0, 32), header(AddrKind::GuestVirtual, recs.size()))
      << "the count is patched into the header of a regular file";
  EXPECT_EQ(bytes.substr(32 + 16 * 5, 16), record_bytes(recs[5]));

  for (size_t batch : {16, 100, 4096}) {
    auto reader = open_trace(f.path());
    EXPECT_EQ(reader->format(), TraceFormat::Binary);
    EXPECT_EQ(reader->addr_kind(), AddrKind::GuestVirtual);
    EXPECT_EQ(reader->name(), f.path());
    EXPECT_EQ(read_all(*reader, batch), recs) << "batch " << batch;
  }
  // The same bytes through a 40-byte window (two records at a time at most).
  auto small = reader_with_window(bytes, TraceFormat::Binary, 40, "small.nptb");
  EXPECT_EQ(read_all(*small, 16), recs);
}

TEST(BinaryFormat, EmptyTraceAndUnknownCount) {
  TempFile f("empty.nptb");
  write_trace(TraceFormat::Binary, f.path(), AddrKind::GuestPhysical, {});
  EXPECT_EQ(file_bytes(f.path()), header(AddrKind::GuestPhysical, 0));
  auto reader = open_trace(f.path());
  EXPECT_EQ(reader->addr_kind(), AddrKind::GuestPhysical);
  EXPECT_TRUE(read_all(*reader).empty());

  // A stream written to a pipe keeps the "unknown" count: any number of records is fine.
  const auto recs = sample_records(10);
  std::string piped = header(AddrKind::GuestVirtual, kUnknownCount);
  for (const auto& r : recs) piped += record_bytes(r);
  EXPECT_EQ(read_memory(piped, "pipe.nptb"), recs);
  EXPECT_TRUE(read_memory(header(AddrKind::GuestVirtual, kUnknownCount), "pipe.nptb").empty());
}

TEST(BinaryFormat, CutMidRecordIsTruncated) {
  const auto recs = sample_records(7);
  TempFile f("cut.nptb");
  write_trace(TraceFormat::Binary, f.path(), AddrKind::GuestPhysical, recs);
  const std::string whole = file_bytes(f.path());
  // The example of FORMAT.md: 4 whole records, then 4 bytes of the fifth.
  write_file(f.path(), whole.substr(0, 32 + 16 * 4 + 4));
  EXPECT_EQ(error_of([&] {
              auto r = open_trace(f.path());
              read_all(*r);
            }),
            f.path() + ": record 4: truncated (4 of 16 bytes)");
  // The records before the cut are delivered first.
  auto reader = open_trace(f.path());
  TraceRecord buf[16];
  ASSERT_EQ(reader->read(buf, 16), 4u);
  EXPECT_EQ(std::vector<TraceRecord>(buf, buf + 4),
            std::vector<TraceRecord>(recs.begin(), recs.begin() + 4));
  EXPECT_THROW(reader->read(buf, 16), TraceError);

  for (size_t cut : {size_t{1}, size_t{15}}) {
    EXPECT_EQ(read_error(whole.substr(0, 32 + cut), "c.nptb"),
              "c.nptb: record 0: truncated (" + std::to_string(cut) + " of 16 bytes)");
  }
  EXPECT_EQ(read_error(whole.substr(0, whole.size() - 1), "c.nptb"),
            "c.nptb: record 7: truncated (15 of 16 bytes)");
}

TEST(BinaryFormat, FewerRecordsThanTheHeaderCountIsTruncated) {
  const auto recs = sample_records(5);
  std::string bytes = header(AddrKind::GuestPhysical, 9);
  for (const auto& r : recs) bytes += record_bytes(r);
  EXPECT_EQ(read_error(bytes, "few.nptb"),
            "few.nptb: record 6: truncated: the header says 9 records");
  // Cut at a record boundary of a file written (and counted) by the writer.
  TempFile f("few.nptb");
  write_trace(TraceFormat::Binary, f.path(), AddrKind::GuestPhysical, recs);
  write_file(f.path(), file_bytes(f.path()).substr(0, 32 + 16 * 2));
  EXPECT_EQ(error_of([&] {
              auto r = open_trace(f.path());
              read_all(*r);
            }),
            f.path() + ": record 2: truncated: the header says 6 records");
  // A header alone that promises records.
  EXPECT_EQ(read_error(header(AddrKind::GuestPhysical, 1), "h.nptb"),
            "h.nptb: record 0: truncated: the header says 1 records");
}

TEST(BinaryFormat, BadHeader) {
  const std::string rec0 = record_bytes(R(0x1000, 8));
  std::string bad_magic = header(AddrKind::GuestPhysical, 1) + rec0;
  bad_magic[0] = 'X';
  EXPECT_EQ(read_error(bad_magic, "m.nptb", TraceFormat::Binary),
            "m.nptb: not an nptsim binary trace (bad magic)");
  // Unforced, "XPTTRACE..." is not recognised as binary (its NUL bytes make it ChampSim).
  EXPECT_EQ(read_error(bad_magic.substr(0, 32), "m.nptb"),
            "m.nptb: record 0: truncated (32 of 64 bytes)");

  std::string v3 = header(AddrKind::GuestPhysical, 1) + rec0;
  v3[8] = 3;
  EXPECT_EQ(read_error(v3, "v.nptb"),
            "v.nptb: binary trace version 3 is not supported (this nptsim reads versions 1 and 2)");
  v3[8] = 0;
  EXPECT_EQ(read_error(v3, "v.nptb"),
            "v.nptb: binary trace version 0 is not supported (this nptsim reads versions 1 and 2)");
  v3[8] = 1;
  v3[9] = 1;  // version 257
  EXPECT_EQ(
      read_error(v3, "v.nptb"),
      "v.nptb: binary trace version 257 is not supported (this nptsim reads versions 1 and 2)");

  std::string kind = header(AddrKind::GuestPhysical, 1) + rec0;
  kind[10] = 2;
  EXPECT_EQ(read_error(kind, "k.nptb"), "k.nptb: header: bad address kind 2");
  std::string rsize = header(AddrKind::GuestPhysical, 1) + rec0;
  rsize[11] = 8;
  EXPECT_EQ(read_error(rsize, "s.nptb"), "s.nptb: header: record size 8, expected 16");

  EXPECT_EQ(read_error(header(AddrKind::GuestPhysical, 0).substr(0, 20), "t.nptb"),
            "t.nptb: truncated header (20 of 32 bytes)");
  EXPECT_EQ(read_error("NPTTRACE", "t.nptb"), "t.nptb: truncated header (8 of 32 bytes)");
}

// The records of `recs` after a header of `version`, with byte `byte` of record `index` set to
// `value`.
std::string with_byte(const std::vector<TraceRecord>& recs, uint16_t version, size_t index,
                      size_t byte, uint8_t value) {
  std::string b = header(AddrKind::GuestPhysical, recs.size(), version);
  for (const auto& r : recs) b += record_bytes(r);
  b[32 + 16 * index + byte] = static_cast<char>(value);
  return b;
}

TEST(BinaryFormat, BadTypeAndSizeNameTheRecord) {
  const auto recs = sample_records(40);
  for (uint16_t v : {uint16_t{1}, uint16_t{2}}) {
    EXPECT_EQ(read_error(with_byte(recs, v, 0, 14, 0), "b.nptb"), "b.nptb: record 0: size 0");
    EXPECT_EQ(read_error(with_byte(recs, v, 33, 14, 0), "b.nptb"), "b.nptb: record 33: size 0");
  }
  // Version 1 has accesses only: any type above 2 is a bad access type.
  EXPECT_EQ(read_error(with_byte(recs, 1, 2, 15, 3), "b.nptb"),
            "b.nptb: record 2: bad access type 3");
  EXPECT_EQ(read_error(with_byte(recs, 1, 37, 15, 0xFF), "b.nptb"),
            "b.nptb: record 37: bad access type 255");
  // Version 2: above the last event kind is a bad record type.
  EXPECT_EQ(read_error(with_byte(recs, 2, 2, 15, 14), "b.nptb"),
            "b.nptb: record 2: bad record type 14");
  EXPECT_EQ(read_error(with_byte(recs, 2, 37, 15, 0xFF), "b.nptb"),
            "b.nptb: record 37: bad record type 255");
  // The record index counts across read batches.
  const std::string b = with_byte(recs, 1, 30, 15, 7);
  EXPECT_EQ(error_of([&] { read_memory(b, "b.nptb", std::nullopt, 16); }),
            "b.nptb: record 30: bad access type 7");
}

TEST(BinaryFormat, EventRecordLayout) {
  const std::string r = record_bytes(
      make_event(EventKind::Protect, 0x1122334455667000ull, 0xA1B2C3D4u, kProtRead | kProtExec, 2));
  const unsigned char expected[16] = {0x00, 0x70, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
                                      0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00, 0x05, 0x05};
  EXPECT_EQ(r, std::string(reinterpret_cast<const char*>(expected), 16));
  const std::string d = record_bytes(make_event(EventKind::DirtyStart));
  EXPECT_EQ(d.substr(0, 12), std::string(12, '\0'));
  EXPECT_EQ(static_cast<uint8_t>(d[12]), 0xFF);  // no vCPU
  EXPECT_EQ(d[14], 0);                           // size 0 is fine on an event
  EXPECT_EQ(d[15], 8);
}

TEST(BinaryFormat, EveryEventKindRoundTripsThroughAVersion2File) {
  std::vector<TraceRecord> recs = {R(0x1000, 8)};
  for (const TraceRecord& e : sample_events()) {
    recs.push_back(e);
    recs.push_back(W(e.addr | 8, 4, 1));
  }
  TempFile f("events.nptb");
  write_trace(TraceFormat::Binary, f.path(), AddrKind::GuestPhysical, recs);
  const std::string bytes = file_bytes(f.path());
  EXPECT_EQ(bytes[8], 2) << "the writer writes version 2";
  for (size_t batch : {16, 4096}) {
    auto reader = open_trace(f.path());
    EXPECT_EQ(read_all(*reader, batch), recs) << "batch " << batch;
  }
}

TEST(BinaryFormat, Version1FileIsStillRead) {
  const auto recs = sample_records(100);
  std::string v1 = header(AddrKind::GuestVirtual, recs.size(), 1);
  EXPECT_EQ(v1[8], 1);
  for (const auto& r : recs) v1 += record_bytes(r);
  auto reader = open_trace_memory(bytes_of(v1), v1.size(), "v1.nptb");
  EXPECT_EQ(reader->addr_kind(), AddrKind::GuestVirtual);
  EXPECT_EQ(read_all(*reader, 16), recs);
}

TEST(BinaryFormat, Version1FileWithAnEventIsRejected) {
  // Each event kind's record, valid in version 2, is a bad access type in version 1.
  for (const TraceRecord& e : sample_events()) {
    const std::vector<TraceRecord> recs = {R(0x1000, 8), W(0x2000, 8), e};
    std::string v1 = header(AddrKind::GuestPhysical, recs.size(), 1);
    for (const auto& r : recs) v1 += record_bytes(r);
    EXPECT_EQ(read_error(v1, "old.nptb"),
              "old.nptb: record 2: bad access type " + std::to_string(static_cast<int>(e.type)));
    std::string v2 = v1;
    v2[8] = 2;
    EXPECT_EQ(read_memory(v2, "new.nptb"), recs);
  }
}

TEST(BinaryFormat, BadEventNamesTheRecordAndTheProblem) {
  struct Case {
    TraceRecord event;
    const char* message;  // after "e.nptb: record 3: "
  };
  const Case cases[] = {
      {make_event(EventKind::Unmap, 0x1001, 1), "unmap: address 0x1001 is not 4 KiB-aligned"},
      {make_event(EventKind::BalloonInflate, 0x1000, 0), "balloon-inflate: a range of 0 pages"},
      {make_event(EventKind::Map, 0xfffffffffffff000ull, 2, kProtRead),
       "map: the range passes 2^64"},
      {make_event(EventKind::Map, 0x1000, 1, 0), "map: no access allowed (prot ---)"},
      {make_event(EventKind::Protect, 0x1000, 1, 8), "protect: bad protection bits 8"},
      {make_event(EventKind::Unmap, 0x1000, 1, 1), "unmap: unexpected size byte 1"},
      {make_event(EventKind::ContextSwitch, 65536), "ctxsw: 65536 is above 65535"},
      {make_event(EventKind::Migrate, 3, 1), "migrate: unexpected page count 1"},
      {make_event(EventKind::TlbFlush, 0x1000, 2), "tlb-flush: page count 2 (0: all, 1: one)"},
      {make_event(EventKind::TlbFlush, 0x1000, 0),
       "tlb-flush: an address with a flush of everything"},
      {make_event(EventKind::DirtySync, 0x1000), "dirty-sync: takes no address or page count"},
      {make_event(EventKind::DirtyStop, 0, 1), "dirty-stop: takes no address or page count"},
  };
  for (const Case& c : cases) {
    const std::vector<TraceRecord> recs = {R(0x1000, 8), make_event(EventKind::DirtyStart),
                                           W(0x2000, 8), c.event, R(0x3000, 8)};
    std::string b = header(AddrKind::GuestPhysical, recs.size());
    for (const auto& r : recs) b += record_bytes(r);
    EXPECT_EQ(read_error(b, "e.nptb"), std::string("e.nptb: record 3: ") + c.message);
  }
}

}  // namespace
}  // namespace nptsim::trace
