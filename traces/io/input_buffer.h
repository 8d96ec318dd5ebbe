// InputBuffer: a window over a ByteSource for parsers: look at the unread bytes, consume them,
// ask for more. The window starts at 64 KiB and grows (doubling) only when a caller needs more
// contiguous bytes, up to `max_window`, so memory stays flat whatever the input size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "traces/io/byte_source.h"

namespace nptsim::trace {

class InputBuffer {
 public:
  explicit InputBuffer(std::unique_ptr<ByteSource> src, size_t max_window = size_t{4} << 20);

  const uint8_t* data() const { return buf_.data() + pos_; }
  size_t size() const { return end_ - pos_; }
  void consume(size_t n) { pos_ += n; }
  // Makes at least `n` unread bytes available if the input has them (n <= max_window); returns
  // how many are available (fewer only at the end of the input).
  size_t ensure(size_t n);
  // Reads more input into the window (keeping the unread bytes, growing the window when it is
  // full); false at the end of the input or when the window is full at max_window().
  bool refill();
  bool at_end() const { return eof_ && pos_ == end_; }
  // True once the source reported its end (the window may still hold unread bytes).
  bool source_done() const { return eof_; }
  size_t max_window() const { return max_window_; }
  // Total bytes consumed so far.
  uint64_t offset() const { return consumed_base_ + pos_; }

 private:
  std::unique_ptr<ByteSource> src_;
  std::vector<uint8_t> buf_;
  size_t max_window_;
  size_t pos_ = 0, end_ = 0;
  uint64_t consumed_base_ = 0;
  bool eof_ = false;
};

}  // namespace nptsim::trace
