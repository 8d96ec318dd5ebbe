#include "traces/io/input_buffer.h"

#include <algorithm>
#include <cstring>

namespace nptsim::trace {

InputBuffer::InputBuffer(std::unique_ptr<ByteSource> src, size_t max_window)
    : src_(std::move(src)),
      buf_(std::min<size_t>(max_window, size_t{64} << 10)),
      max_window_(max_window) {}

bool InputBuffer::refill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    consumed_base_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= max_window_) return false;  // window full: the caller asked for too much
    buf_.resize(std::min(buf_.size() * 2, max_window_));
  }
  size_t r = src_->read(buf_.data() + end_, buf_.size() - end_);
  if (r == 0) {
    eof_ = true;
    return false;
  }
  end_ += r;
  return true;
}

size_t InputBuffer::ensure(size_t n) {
  while (size() < n && refill()) {
  }
  return size();
}

}  // namespace nptsim::trace
