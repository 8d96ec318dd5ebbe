// LineSplitter: the lines of an InputBuffer, without copying, numbered from 1.
#pragma once

#include <cstring>
#include <memory>
#include <string>

#include "traces/io/input_buffer.h"
#include "traces/io/trace_error.h"

namespace nptsim::trace {

class LineSplitter {
 public:
  LineSplitter(std::unique_ptr<InputBuffer> in, std::string name)
      : in_(std::move(in)), name_(std::move(name)) {}

  // The next line as [b, e) (no newline); valid until the next call. False at the end.
  bool next(const char*& b, const char*& e) {
    in_->consume(pending_);
    pending_ = 0;
    for (;;) {
      const char* p = reinterpret_cast<const char*>(in_->data());
      const size_t n = in_->size();
      const void* nl = n ? std::memchr(p, '\n', n) : nullptr;
      if (nl) {
        b = p;
        e = static_cast<const char*>(nl);
        pending_ = static_cast<size_t>(e - p) + 1;
        ++line_;
        return true;
      }
      if (!in_->refill()) {
        if (in_->size() == in_->max_window()) {
          throw TraceError(where(line_ + 1) + "line longer than " +
                           std::to_string(in_->max_window()) + " bytes");
        }
        if (in_->size() == 0) return false;
        b = reinterpret_cast<const char*>(in_->data());  // a last line without newline
        e = b + in_->size();
        pending_ = in_->size();
        ++line_;
        return true;
      }
    }
  }
  long line() const { return line_; }
  std::string where(long line) const { return name_ + ":" + std::to_string(line) + ": "; }
  std::string where() const { return where(line_); }

 private:
  std::unique_ptr<InputBuffer> in_;
  std::string name_;
  size_t pending_ = 0;
  long line_ = 0;
};

}  // namespace nptsim::trace
