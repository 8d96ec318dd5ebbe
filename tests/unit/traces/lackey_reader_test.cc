// Valgrind lackey input (traces/FORMAT.md, "Valgrind lackey") and the compressed inputs
// (gzip, xz, zstd, recognised by magic bytes).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trace_test_util.h"

namespace nptsim::trace {
namespace {

using namespace testutil;

TEST(LackeyReader, HandWrittenTraceGivesExactRecords) {
  const std::string text =
      "==4242== Lackey, an example Valgrind tool\n"
      "==4242== Command: ./prog\n"
      "==4242== \n"
      "I  04016ac0,3\n"
      " L 1ffefffd38,8\n"
      "hello from the program\n"
      " S 1ffefffd30,8\n"
      "Interesting: not a record\n"
      "  L two leading spaces: program output\n"
      "\n"
      " M 0421ed8,4\n"
      "I  ffffffffffffffff,15\n"
      " L 0,1\r\n"
      " S ABCDEF,255  \n"
      "==4242== \n"
      "==4242== Counted 1 call to main()\n";
  auto reader = open_trace_memory(bytes_of(text), text.size(), "prog.lackey");
  EXPECT_EQ(reader->format(), TraceFormat::Lackey);
  EXPECT_EQ(reader->addr_kind(), AddrKind::GuestVirtual);
  const std::vector<TraceRecord> expected = {
      F(0x4016ac0, 3),
      R(0x1ffefffd38, 8),
      W(0x1ffefffd30, 8),
      R(0x421ed8, 4),
      W(0x421ed8, 4),  // M: a load, then a store of the same address and size
      F(0xffffffffffffffffull, 15),
      R(0, 1),
      W(0xabcdef, 255),
  };
  EXPECT_EQ(read_all(*reader, 16), expected);
}

TEST(LackeyReader, ModifyPairsAreNotSplitAcrossBatches) {
  std::string text = "==1== Lackey\n";
  std::vector<TraceRecord> expected;
  for (uint64_t i = 0; i < 101; ++i) {
    char line[40];
    std::snprintf(line, sizeof line, " M %llx,8\n",
                  static_cast<unsigned long long>(0x1000 + 8 * i));
    text += line;
    expected.push_back(R(0x1000 + 8 * i, 8));
    expected.push_back(W(0x1000 + 8 * i, 8));
  }
  for (size_t batch : {16, 17, 31}) {
    auto reader = open_trace_memory(bytes_of(text), text.size(), "m.lackey");
    TraceRecord buf[64];
    std::vector<TraceRecord> got;
    for (size_t n; (n = reader->read(buf, batch)) != 0;) {
      EXPECT_LE(n, batch);
      got.insert(got.end(), buf, buf + n);
    }
    EXPECT_EQ(got, expected) << "batch " << batch;
  }
}

struct BadLackey {
  const char* line;
  const char* message;  // after "bad.lackey:5: "
};
void PrintTo(const BadLackey& b, std::ostream* os) { *os << '\'' << b.line << '\''; }

class LackeyBadRecord : public ::testing::TestWithParam<BadLackey> {};

TEST_P(LackeyBadRecord, ErrorNamesFileAndLine) {
  const std::string text =
      "==7== Lackey, an example Valgrind tool\nI  0400,4\nprogram output\n L 10,8\n" +
      std::string(GetParam().line) + "\n S 20,8\n";
  EXPECT_EQ(read_error(text, "bad.lackey"), std::string("bad.lackey:5: ") + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, LackeyBadRecord,
    ::testing::Values(BadLackey{" L zz,8", "bad address in lackey record ' L zz,8'"},
                      BadLackey{"I  0400,", "bad size in lackey record 'I  0400,'"},
                      BadLackey{"I  0400", "bad address in lackey record 'I  0400'"},
                      BadLackey{" S 10;8", "bad address in lackey record ' S 10;8'"},
                      BadLackey{" S 0x10,8", "bad address in lackey record ' S 0x10,8'"},
                      BadLackey{" L 12345678901234567,8",
                                "bad address in lackey record ' L 12345678901234567,8'"},
                      BadLackey{" M 10,0", "bad size in lackey record ' M 10,0'"},
                      BadLackey{" L 10,256", "bad size in lackey record ' L 10,256'"},
                      BadLackey{" L 10,8 x", "bad size in lackey record ' L 10,8 x'"},
                      BadLackey{" L 10,-8", "bad size in lackey record ' L 10,-8'"},
                      BadLackey{"I   0400,4", "bad address in lackey record 'I   0400,4'"}));

// FORMAT.md: "a line that starts like a record (`I  `, ` L `, ` S `, ` M `) but does not parse
// is an error with file and line". Lines shorter than 5 characters are skipped instead.
// DISABLED: fails against traces/formats/lackey_reader.cc (`if (e - b < 5) continue;`), see the
// report; enable when the reader rejects these lines.
TEST(LackeyReader, ShortRecordLikeLineIsAnError) {
  for (const char* line : {" L 1", " S ,", "I  4", " M "}) {
    const std::string text = "==7== Lackey\nI  0400,4\n" + std::string(line) + "\n";
    const std::string msg = read_error(text, "short.lackey");
    EXPECT_TRUE(starts_with(msg, "short.lackey:3: ")) << "line '" << line << "': " << msg;
  }
}

// The small real lackey file (valgrind 3.19, /bin/echo) and its gzip, xz and zstd copies.
std::vector<TraceRecord> read_file(const std::string& file) {
  auto reader = open_trace(data_path(file));
  EXPECT_EQ(reader->format(), TraceFormat::Lackey) << file;
  EXPECT_EQ(reader->addr_kind(), AddrKind::GuestVirtual) << file;
  return read_all(*reader, 100);
}

// An independent count of the records of a lackey text: one per I/L/S line, two per M line.
size_t count_lackey_records(const std::string& text) {
  size_t n = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    if (line.rfind("I  ", 0) == 0 || line.rfind(" L ", 0) == 0 || line.rfind(" S ", 0) == 0) n += 1;
    if (line.rfind(" M ", 0) == 0) n += 2;
    pos = end + 1;
  }
  return n;
}

TEST(LackeyFile, PlainAndCompressedCopiesGiveIdenticalRecords) {
  const auto plain = read_file("lackey_small.txt");
  ASSERT_EQ(plain.size(), count_lackey_records(file_bytes(data_path("lackey_small.txt"))));
  ASSERT_GE(plain.size(), 100u);
  EXPECT_EQ(plain.front(), F(0x401ab70, 3));  // "I  0401ab70,3", the first record line
  EXPECT_EQ(plain[2], W(0x1fff0006f8, 8));    // " S 1fff0006f8,8"
  size_t modifies = 0;
  for (size_t i = 0; i + 1 < plain.size(); ++i) {
    if (plain[i].type == AccessType::Read && plain[i + 1].type == AccessType::Write &&
        plain[i].addr == plain[i + 1].addr && plain[i].size == plain[i + 1].size) {
      ++modifies;
    }
  }
  EXPECT_GE(modifies, 5u);  // the file has 5 M lines
  for (const char* file : {"lackey_small.txt.gz", "lackey_small.txt.xz", "lackey_small.txt.zst"}) {
    EXPECT_EQ(read_file(file), plain) << file;
  }
}

TEST(LackeyFile, CompressionIsRecognisedByContent) {
  EXPECT_EQ(open_byte_source(data_path("lackey_small.txt")).compression, Compression::None);
  EXPECT_EQ(open_byte_source(data_path("lackey_small.txt.gz")).compression, Compression::Gzip);
  EXPECT_EQ(open_byte_source(data_path("lackey_small.txt.xz")).compression, Compression::Xz);
  EXPECT_EQ(open_byte_source(data_path("lackey_small.txt.zst")).compression, Compression::Zstd);
  // Not by the file name: the gzip bytes under a ".txt" name still decompress.
  TempFile renamed("plain.txt");
  write_file(renamed.path(), file_bytes(data_path("lackey_small.txt.gz")));
  auto reader = open_trace(renamed.path());
  EXPECT_EQ(read_all(*reader), read_file("lackey_small.txt"));
}

// Reads `bytes` through decompressing() `chunk` bytes at a time.
std::string decompress_in_chunks(const std::string& bytes, size_t chunk) {
  auto src = decompressing(memory_source(bytes_of(bytes), bytes.size()), "chunks");
  std::string out;
  std::vector<uint8_t> buf(chunk);
  for (size_t n; (n = src.source->read(buf.data(), chunk)) != 0;) {
    EXPECT_LE(n, chunk);
    out.append(reinterpret_cast<const char*>(buf.data()), n);
  }
  return out;
}

TEST(ByteSource, SmallReadsDecompressEverything) {
  const std::string plain = file_bytes(data_path("lackey_small.txt"));
  for (const char* file :
       {"lackey_small.txt", "lackey_small.txt.gz", "lackey_small.txt.xz", "lackey_small.txt.zst"}) {
    const std::string bytes = file_bytes(data_path(file));
    for (size_t chunk : {1, 7, 4096})
      EXPECT_TRUE(decompress_in_chunks(bytes, chunk) == plain) << file << " " << chunk;
  }
}

// A zstd frame without the optional content checksum (`zstd --no-check`, as most library
// encoders write): reads smaller than the data left in the decoder must still deliver all of it
// once the compressed input is used up (no false "truncated zstd data").
TEST(ByteSource, ZstdWithoutChecksumSmallReads) {
  const std::string plain = file_bytes(data_path("lackey_small.txt"));
  const std::string bytes = file_bytes(data_path("lackey_small.nocheck.txt.zst"));
  for (size_t chunk : {1, 7, 100}) {
    std::string got;
    EXPECT_NO_THROW(got = decompress_in_chunks(bytes, chunk)) << chunk;
    EXPECT_TRUE(got == plain) << chunk;
  }
}

TEST(ByteSource, ZstdWithoutChecksumOneRead) {
  // With a window larger than the data (the usual case for small files) it decodes fine.
  EXPECT_EQ(read_file("lackey_small.nocheck.txt.zst"), read_file("lackey_small.txt"));
}

TEST(ByteSource, ConcatenatedStreamsDecodeToConcatenatedData) {
  const auto plain = read_file("lackey_small.txt");
  std::vector<TraceRecord> twice = plain;
  twice.insert(twice.end(), plain.begin(), plain.end());
  for (const char* file : {"lackey_small.txt.gz", "lackey_small.txt.xz", "lackey_small.txt.zst"}) {
    const std::string bytes = file_bytes(data_path(file));
    EXPECT_EQ(read_memory(bytes + bytes, file), twice) << file;
  }
}

TEST(ByteSource, TruncatedCompressedInputIsAnError) {
  for (const char* file : {"lackey_small.txt.gz", "lackey_small.txt.xz", "lackey_small.txt.zst",
                           "lackey_small.nocheck.txt.zst"}) {
    const std::string bytes = file_bytes(data_path(file));
    for (size_t cut : {bytes.size() / 2, bytes.size() - 1, size_t{10}}) {
      const std::string msg = read_error(bytes.substr(0, cut), file);
      EXPECT_TRUE(starts_with(msg, std::string(file) + ": "))
          << file << " cut " << cut << ": " << msg;
      EXPECT_NE(msg.find("truncated"), std::string::npos) << file << " cut " << cut << ": " << msg;
    }
    // Through a file as well.
    TempFile half("half.bin");
    write_file(half.path(), bytes.substr(0, bytes.size() / 2));
    EXPECT_THROW(
        {
          auto r = open_trace(half.path());
          read_all(*r);
        },
        TraceError)
        << file;
  }
}

TEST(ByteSource, CorruptCompressedDataIsAnError) {
  for (const char* file : {"lackey_small.txt.gz", "lackey_small.txt.xz", "lackey_small.txt.zst"}) {
    std::string bytes = file_bytes(data_path(file));
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x55);
    const std::string msg = read_error(bytes, file);
    EXPECT_TRUE(starts_with(msg, std::string(file) + ":")) << msg;
  }
  // Trailing garbage after a complete gzip member.
  const std::string gz = file_bytes(data_path("lackey_small.txt.gz"));
  EXPECT_TRUE(starts_with(read_error(gz + "garbage!", "tail.gz"), "tail.gz: "));
}

}  // namespace
}  // namespace nptsim::trace
