#include "sim/util/line_reader.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace nptsim {

LineReader::LineReader(const std::string& path) : path_(path) {
  gzFile f = gzopen(path.c_str(), "rb");  // reads plain files transparently
  if (!f) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  gzbuffer(f, 1 << 17);
  gz_ = f;
}

LineReader::~LineReader() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
}

bool LineReader::fill() {
  if (eof_) return false;
  char chunk[1 << 16];
  int n = gzread(static_cast<gzFile>(gz_), chunk, sizeof chunk);
  if (n < 0) {
    int err = 0;
    const char* msg = gzerror(static_cast<gzFile>(gz_), &err);
    throw std::runtime_error(path_ + ": read error: " + msg);
  }
  if (n == 0) {
    int err = 0;
    const char* msg = gzerror(static_cast<gzFile>(gz_), &err);
    if (err != Z_OK && err != Z_STREAM_END) {
      throw std::runtime_error(path_ + ": truncated or corrupt compressed data: " + msg);
    }
    eof_ = true;
    return false;
  }
  buf_.erase(0, pos_);
  pos_ = 0;
  buf_.append(chunk, static_cast<size_t>(n));
  return true;
}

bool LineReader::next(std::string& line) {
  for (;;) {
    size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      line.assign(buf_, pos_, nl - pos_);
      pos_ = nl + 1;
      ++line_no_;
      return true;
    }
    if (!fill()) {
      if (pos_ >= buf_.size()) return false;
      line.assign(buf_, pos_, std::string::npos);
      pos_ = buf_.size();
      ++line_no_;
      return true;
    }
  }
}

}  // namespace nptsim
