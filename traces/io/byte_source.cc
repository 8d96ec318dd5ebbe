#include "traces/io/byte_source.h"

#include <fcntl.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "traces/io/trace_error.h"

namespace nptsim::trace {

namespace {

constexpr size_t kChunk = size_t{1} << 17;

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, bool owned, std::string name)
      : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FileSource() override {
    if (owned_) ::close(fd_);
  }
  size_t read(uint8_t* buf, size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno != EINTR) throw TraceError(name_ + ": read error: " + std::strerror(errno));
    }
  }

 private:
  int fd_;
  bool owned_;
  std::string name_;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  size_t read(uint8_t* buf, size_t n) override {
    size_t k = std::min(n, n_ - pos_);
    if (k) std::memcpy(buf, d_ + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  const uint8_t* d_;
  size_t n_;
  size_t pos_ = 0;
};

// Returns the already-read prefix first, then the rest of `inner`.
class PrefixSource final : public ByteSource {
 public:
  PrefixSource(std::vector<uint8_t> prefix, std::unique_ptr<ByteSource> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}
  size_t read(uint8_t* buf, size_t n) override {
    if (pos_ < prefix_.size()) {
      size_t k = std::min(n, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    return inner_->read(buf, n);
  }

 private:
  std::vector<uint8_t> prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> inner_;
};

// Common shape of the three decoders: compressed input buffered from `in_`, decoded into the
// caller's buffer; `finished_` once the stream ended properly and the input is exhausted.
class Decoder : public ByteSource {
 protected:
  Decoder(std::unique_ptr<ByteSource> in, std::string name)
      : in_(std::move(in)), name_(std::move(name)), buf_(kChunk) {}
  // Refills the input buffer when empty; returns false at end of input.
  bool fill_input() {
    if (in_pos_ < in_len_) return true;
    in_len_ = in_->read(buf_.data(), buf_.size());
    in_pos_ = 0;
    return in_len_ > 0;
  }
  [[noreturn]] void corrupt(const std::string& what) const {
    throw TraceError(name_ + ": " + what);
  }

  std::unique_ptr<ByteSource> in_;
  std::string name_;
  std::vector<uint8_t> buf_;
  size_t in_pos_ = 0, in_len_ = 0;
};

class GzipSource final : public Decoder {
 public:
  GzipSource(std::unique_ptr<ByteSource> in, std::string name)
      : Decoder(std::move(in), std::move(name)) {
    std::memset(&z_, 0, sizeof z_);
    if (inflateInit2(&z_, 15 + 32) != Z_OK) corrupt("cannot initialise zlib");
  }
  ~GzipSource() override { inflateEnd(&z_); }
  size_t read(uint8_t* out, size_t n) override {
    z_.next_out = out;
    z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    while (z_.next_out == out) {
      if (!fill_input()) {
        if (in_member_) corrupt("truncated gzip data (the stream ends before its end marker)");
        return 0;
      }
      z_.next_in = buf_.data() + in_pos_;
      z_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
      int r = inflate(&z_, Z_NO_FLUSH);
      in_pos_ = in_len_ - z_.avail_in;
      in_member_ = true;
      if (r == Z_STREAM_END) {
        in_member_ = false;  // a further gzip member may follow
        if (inflateReset(&z_) != Z_OK) corrupt("zlib reset failed");
      } else if (r != Z_OK && r != Z_BUF_ERROR) {
        corrupt(std::string("corrupt gzip data: ") + (z_.msg ? z_.msg : "inflate error"));
      }
    }
    return static_cast<size_t>(z_.next_out - out);
  }

 private:
  z_stream z_;
  bool in_member_ = false;
};

class XzSource final : public Decoder {
 public:
  XzSource(std::unique_ptr<ByteSource> in, std::string name)
      : Decoder(std::move(in), std::move(name)) {
    if (lzma_stream_decoder(&s_, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
      corrupt("cannot initialise liblzma");
  }
  ~XzSource() override { lzma_end(&s_); }
  size_t read(uint8_t* out, size_t n) override {
    if (done_) return 0;
    s_.next_out = out;
    s_.avail_out = n;
    while (s_.next_out == out) {
      lzma_action action = LZMA_RUN;
      if (!fill_input()) action = LZMA_FINISH;
      s_.next_in = buf_.data() + in_pos_;
      s_.avail_in = in_len_ - in_pos_;
      lzma_ret r = lzma_code(&s_, action);
      in_pos_ = in_len_ - s_.avail_in;
      if (r == LZMA_STREAM_END) {
        done_ = true;
        break;
      }
      if (r == LZMA_BUF_ERROR && action == LZMA_FINISH) corrupt("truncated xz data");
      if (r != LZMA_OK) corrupt("corrupt xz data (liblzma error " + std::to_string(r) + ")");
    }
    return static_cast<size_t>(s_.next_out - out);
  }

 private:
  lzma_stream s_ = LZMA_STREAM_INIT;
  bool done_ = false;
};

class ZstdSource final : public Decoder {
 public:
  ZstdSource(std::unique_ptr<ByteSource> in, std::string name)
      : Decoder(std::move(in), std::move(name)), d_(ZSTD_createDStream()) {
    if (!d_) corrupt("cannot initialise libzstd");
    ZSTD_initDStream(d_);
  }
  ~ZstdSource() override { ZSTD_freeDStream(d_); }
  size_t read(uint8_t* out, size_t n) override {
    ZSTD_outBuffer ob{out, n, 0};
    while (ob.pos == 0) {
      if (!fill_input()) {
        if (pending_ != 0) corrupt("truncated zstd data");
        return 0;
      }
      ZSTD_inBuffer ib{buf_.data(), in_len_, in_pos_};
      size_t r = ZSTD_decompressStream(d_, &ob, &ib);
      in_pos_ = ib.pos;
      if (ZSTD_isError(r)) corrupt(std::string("corrupt zstd data: ") + ZSTD_getErrorName(r));
      pending_ = r;
    }
    return ob.pos;
  }

 private:
  ZSTD_DStream* d_;
  size_t pending_ = 0;
};

}  // namespace

const char* to_string(Compression c) {
  switch (c) {
    case Compression::None:
      return "none";
    case Compression::Gzip:
      return "gzip";
    case Compression::Xz:
      return "xz";
    case Compression::Zstd:
      return "zstd";
  }
  return "?";
}

std::unique_ptr<ByteSource> fd_source(int fd, bool owned, const std::string& name) {
  return std::make_unique<FileSource>(fd, owned, name);
}

std::unique_ptr<ByteSource> memory_source(const uint8_t* data, size_t len) {
  return std::make_unique<MemorySource>(data, len);
}

OpenedSource decompressing(std::unique_ptr<ByteSource> raw, const std::string& name) {
  std::vector<uint8_t> magic(6);
  size_t got = 0;
  while (got < magic.size()) {
    size_t r = raw->read(magic.data() + got, magic.size() - got);
    if (r == 0) break;
    got += r;
  }
  magic.resize(got);
  auto starts = [&](std::initializer_list<uint8_t> m) {
    return magic.size() >= m.size() && std::equal(m.begin(), m.end(), magic.begin());
  };
  Compression c = Compression::None;
  if (starts({0x1f, 0x8b}))
    c = Compression::Gzip;
  else if (starts({0xfd, '7', 'z', 'X', 'Z', 0x00}))
    c = Compression::Xz;
  else if (starts({0x28, 0xb5, 0x2f, 0xfd}))
    c = Compression::Zstd;
  auto whole = std::make_unique<PrefixSource>(std::move(magic), std::move(raw));
  switch (c) {
    case Compression::Gzip:
      return {std::make_unique<GzipSource>(std::move(whole), name), c};
    case Compression::Xz:
      return {std::make_unique<XzSource>(std::move(whole), name), c};
    case Compression::Zstd:
      return {std::make_unique<ZstdSource>(std::move(whole), name), c};
    case Compression::None:
      break;
  }
  return {std::move(whole), c};
}

OpenedSource open_byte_source(const std::string& path) {
  if (path == "-")
    return decompressing(std::make_unique<FileSource>(0, false, "<stdin>"), "<stdin>");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw TraceError(path + ": cannot open: " + std::strerror(errno));
  return decompressing(std::make_unique<FileSource>(fd, true, path), path);
}

}  // namespace nptsim::trace
