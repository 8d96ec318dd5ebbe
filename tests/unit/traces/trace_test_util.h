// Shared helpers for the trace library tests: reading whole traces, catching TraceError
// messages, building records, temporary files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "traces/io/byte_source.h"
#include "traces/io/input_buffer.h"
#include "traces/io/trace_error.h"
#include "traces/record.h"
#include "traces/trace_reader.h"
#include "traces/trace_writer.h"

namespace nptsim::trace {

// Readable gtest output for records ("W 0x1008 4 gap=3 cpu=1").
inline void PrintTo(const TraceRecord& r, std::ostream* os) {
  *os << type_letter(r.type) << " 0x" << std::hex << r.addr << std::dec << " "
      << static_cast<unsigned>(r.size);
  if (r.gap) *os << " gap=" << r.gap;
  if (r.has_vcpu()) *os << " cpu=" << r.vcpu;
}

namespace testutil {

inline TraceRecord rec(AccessType t, uint64_t addr, uint8_t size, uint32_t gap = 0,
                       uint16_t vcpu = kNoVcpu) {
  TraceRecord r;
  r.type = t;
  r.addr = addr;
  r.size = size;
  r.gap = gap;
  r.vcpu = vcpu;
  return r;
}
inline TraceRecord R(uint64_t a, uint8_t s, uint32_t gap = 0, uint16_t vcpu = kNoVcpu) {
  return rec(AccessType::Read, a, s, gap, vcpu);
}
inline TraceRecord W(uint64_t a, uint8_t s, uint32_t gap = 0, uint16_t vcpu = kNoVcpu) {
  return rec(AccessType::Write, a, s, gap, vcpu);
}
inline TraceRecord F(uint64_t a, uint8_t s, uint32_t gap = 0, uint16_t vcpu = kNoVcpu) {
  return rec(AccessType::Fetch, a, s, gap, vcpu);
}

// Every record of `r`, read `batch` at a time (batch >= 16, the readers' minimum).
inline std::vector<TraceRecord> read_all(TraceReader& r, size_t batch = 64) {
  std::vector<TraceRecord> out;
  std::vector<TraceRecord> buf(batch);
  for (;;) {
    const size_t n = r.read(buf.data(), batch);
    if (n == 0) break;
    EXPECT_LE(n, batch);
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return out;
}

inline const uint8_t* bytes_of(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// Opens `data` (with detection unless `forced`) and reads every record.
inline std::vector<TraceRecord> read_memory(const std::string& data, const std::string& name,
                                            std::optional<TraceFormat> forced = std::nullopt,
                                            size_t batch = 64) {
  auto reader = open_trace_memory(bytes_of(data), data.size(), name, forced);
  return read_all(*reader, batch);
}

// A reader of `format` over `data` with an InputBuffer window of `window` bytes.
inline std::unique_ptr<TraceReader> reader_with_window(const std::string& data, TraceFormat format,
                                                       size_t window, const std::string& name) {
  auto src = decompressing(memory_source(bytes_of(data), data.size()), name);
  return make_reader(format, std::make_unique<InputBuffer>(std::move(src.source), window), name);
}

// The TraceError message thrown by f(); records a failure (and returns "") when f() returns
// normally. Any other exception escapes and fails the test.
template <class Fn>
std::string error_of(Fn&& f) {
  try {
    f();
  } catch (const TraceError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a TraceError, got none";
  return "";
}

// The error of reading all of `data` through open_trace_memory.
inline std::string read_error(const std::string& data, const std::string& name,
                              std::optional<TraceFormat> forced = std::nullopt) {
  return error_of([&] { read_memory(data, name, forced); });
}

inline bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

inline std::string file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  EXPECT_TRUE(f.good()) << "cannot open " << path;
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(f.good()) << "cannot write " << path;
}

// A temporary file name unique to this process and test, removed by the destructor.
class TempFile {
 public:
  explicit TempFile(const std::string& suffix) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::ostringstream os;
    os << ::testing::TempDir() << "nptsim_traces_" << ::getpid() << "_"
       << (info ? std::string(info->test_suite_name()) + "." + info->name() : "x") << "_" << suffix;
    path_ = os.str();
    for (size_t i = ::testing::TempDir().size(); i < path_.size(); ++i) {
      if (path_[i] == '/') path_[i] = '_';  // parameterised test names contain '/'
    }
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string data_path(const std::string& file) {
  return std::string(NPTSIM_TRACE_DATA) + "/" + file;
}

// Writes `records` to `path` in `format` with a real TraceWriter.
inline void write_trace(TraceFormat format, const std::string& path, AddrKind kind,
                        const std::vector<TraceRecord>& records) {
  auto w = open_trace_writer(format, path, kind);
  w->write(records.data(), records.size());
  w->finish();
  EXPECT_EQ(w->written(), records.size());
}

}  // namespace testutil
}  // namespace nptsim::trace
