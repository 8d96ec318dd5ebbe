// TraceError: bad or unreadable trace input. what() names the place: "FILE:LINE: problem" for
// text formats, "FILE: record N: problem" for binary ones, "FILE: problem" otherwise.
#pragma once

#include <stdexcept>
#include <string>

namespace nptsim::trace {

class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace nptsim::trace
