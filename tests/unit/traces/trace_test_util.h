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

#include "traces/formats/text_format.h"
#include "traces/io/byte_source.h"
#include "traces/io/input_buffer.h"
#include "traces/io/trace_error.h"
#include "traces/record.h"
#include "traces/trace_reader.h"
#include "traces/trace_writer.h"

namespace nptsim::trace {

// Readable gtest output for records ("W 0x1008 4 gap=3 cpu=1", "E unmap 0x1000 2"; an invalid
// event shows its raw fields).
inline void PrintTo(const TraceRecord& r, std::ostream* os) {
  if (is_event(r) && !check_event(r)) {
    std::string line;
    format_text_record(r, line);
    *os << line.substr(0, line.size() - 1);
    return;
  }
  *os << (is_event(r) ? 'E' : type_letter(r.type)) << " 0x" << std::hex << r.addr << std::dec << " "
      << static_cast<unsigned>(r.size);
  if (is_event(r)) *os << " type=" << static_cast<unsigned>(r.type);
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

// One event of every kind (with and without a vCPU), and their canonical text lines, in order.
inline std::vector<TraceRecord> sample_events() {
  return {
      make_event(EventKind::Map, 0x200000, 512, kProtRead | kProtWrite),
      make_event(EventKind::Map, 0xfffffffffffff000ull, 1, kProtRead | kProtExec, 3),
      make_event(EventKind::Unmap, 0x1000, 4294967295u),
      make_event(EventKind::Protect, 0x40000000, 16, 0, 65534),
      make_event(EventKind::Protect, 0xabc000, 2, kProtRead | kProtWrite | kProtExec),
      make_event(EventKind::BalloonInflate, 0x0, 1, 0, 0),
      make_event(EventKind::BalloonDeflate, 0x7ff000, 8),
      make_event(EventKind::DirtyStart),
      make_event(EventKind::DirtySync, 0, 0, 0, 1),
      make_event(EventKind::DirtyStop),
      make_event(EventKind::ContextSwitch, 0),
      make_event(EventKind::ContextSwitch, 65535, 0, 0, 2),
      make_event(EventKind::TlbFlush),
      make_event(EventKind::TlbFlush, 0x7f0000001234, 1, 0, 5),
      make_event(EventKind::Migrate, 7),
  };
}
inline const char* const kSampleEventsText =
    "E map 0x200000 512 rw-\n"
    "E map 0xfffffffffffff000 1 r-x cpu=3\n"
    "E unmap 0x1000 4294967295\n"
    "E protect 0x40000000 16 --- cpu=65534\n"
    "E protect 0xabc000 2 rwx\n"
    "E balloon-inflate 0x0 1 cpu=0\n"
    "E balloon-deflate 0x7ff000 8\n"
    "E dirty-start\n"
    "E dirty-sync cpu=1\n"
    "E dirty-stop\n"
    "E ctxsw 0\n"
    "E ctxsw 65535 cpu=2\n"
    "E tlb-flush\n"
    "E tlb-flush 0x7f0000001234 cpu=5\n"
    "E migrate 7\n";

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
