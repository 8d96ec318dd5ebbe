#include "traces/trace_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "traces/formats/binary_format.h"
#include "traces/formats/text_format.h"
#include "traces/io/trace_error.h"

namespace nptsim::trace {

namespace {

// A buffered output file descriptor.
class FdSink {
 public:
  explicit FdSink(const std::string& path) : name_(path == "-" ? "<stdout>" : path) {
    if (path == "-") {
      fd_ = 1;
      owned_ = false;
    } else {
      fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd_ < 0) throw TraceError(path + ": cannot create: " + std::strerror(errno));
    }
    buf_.reserve(kCap);
  }
  ~FdSink() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  void append(const void* p, size_t n) {
    if (buf_.size() + n > kCap) flush();
    const auto* b = static_cast<const uint8_t*>(p);
    buf_.insert(buf_.end(), b, b + n);
  }
  void flush() {
    size_t off = 0;
    while (off < buf_.size()) {
      ssize_t w = ::write(fd_, buf_.data() + off, buf_.size() - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        throw TraceError(name_ + ": write error: " + std::strerror(errno));
      }
      off += static_cast<size_t>(w);
    }
    buf_.clear();
  }
  // Overwrites bytes at `offset` of a regular file; false when the output cannot seek.
  bool patch(uint64_t offset, const void* p, size_t n) {
    if (::lseek(fd_, 0, SEEK_CUR) < 0) return false;
    if (::pwrite(fd_, p, n, static_cast<off_t>(offset)) != static_cast<ssize_t>(n)) {
      throw TraceError(name_ + ": write error: " + std::strerror(errno));
    }
    return true;
  }
  void close() {
    if (owned_ && fd_ >= 0 && ::close(fd_) != 0)
      throw TraceError(name_ + ": close error: " + std::strerror(errno));
    fd_ = -1;
  }

 private:
  static constexpr size_t kCap = size_t{1} << 20;
  std::string name_;
  int fd_ = -1;
  bool owned_ = true;
  std::vector<uint8_t> buf_;
};

class TextWriter final : public TraceWriter {
 public:
  TextWriter(const std::string& path, AddrKind kind) : sink_(path) {
    std::string h = std::string(kTextMagic) + " 1 " + to_string(kind) + "\n";
    sink_.append(h.data(), h.size());
  }
  void write(const TraceRecord* r, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      line_.clear();
      format_text_record(r[i], line_);
      sink_.append(line_.data(), line_.size());
    }
    count_ += n;
  }
  void finish() override {
    sink_.flush();
    sink_.close();
  }
  uint64_t written() const override { return count_; }

 private:
  FdSink sink_;
  std::string line_;
  uint64_t count_ = 0;
};

class BinaryWriter final : public TraceWriter {
 public:
  BinaryWriter(const std::string& path, AddrKind kind) : sink_(path), kind_(kind) {
    uint8_t h[kBinaryHeaderBytes];
    encode_binary_header(kind, kUnknownCount, h);
    sink_.append(h, sizeof h);
  }
  void write(const TraceRecord* r, size_t n) override {
    uint8_t rec[kBinaryRecordBytes];
    for (size_t i = 0; i < n; ++i) {
      encode_binary_record(r[i], rec);
      sink_.append(rec, sizeof rec);
    }
    count_ += n;
  }
  void finish() override {
    sink_.flush();
    uint8_t h[kBinaryHeaderBytes];
    encode_binary_header(kind_, count_, h);
    sink_.patch(0, h, sizeof h);  // a pipe keeps the "unknown count" header
    sink_.close();
  }
  uint64_t written() const override { return count_; }

 private:
  FdSink sink_;
  AddrKind kind_;
  uint64_t count_ = 0;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::unique_ptr<TraceWriter> open_trace_writer(TraceFormat format, const std::string& path,
                                               AddrKind kind) {
  switch (format) {
    case TraceFormat::Text:
      return std::make_unique<TextWriter>(path, kind);
    case TraceFormat::Binary:
      return std::make_unique<BinaryWriter>(path, kind);
    case TraceFormat::Lackey:
    case TraceFormat::ChampSim:
      break;
  }
  throw TraceError(path + ": nptsim writes only text (.txt) and binary (.nptb) traces, not " +
                   to_string(format));
}

std::optional<TraceFormat> format_for_extension(const std::string& path) {
  if (ends_with(path, ".txt")) return TraceFormat::Text;
  if (ends_with(path, ".nptb")) return TraceFormat::Binary;
  return std::nullopt;
}

}  // namespace nptsim::trace
