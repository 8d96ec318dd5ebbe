// Conformance runner: replays golden vector scripts recorded from axaddrspace v0.3.0
// (format: ../shared/conformance/axaddrspace/README.md) against AddrSpace with the contract's
// bump allocator, and reports the first mismatch of each script.
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace nptsim::conformance {

// A vector file that is not well-formed: `what()` is "FILE:LINE: message".
class MalformedVector : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ScriptOutcome {
  std::string id;
  bool passed = true;
  size_t op_index = 0;  // of the first mismatch
  std::string op;       // its name
  std::string expected;
  std::string got;
};

struct FileSummary {
  size_t passed = 0;
  size_t failed = 0;
};

// Replays every script of `path` (plain or gzip .jsonl), writing one line per failing script to
// `out`. Throws MalformedVector for bad JSON, an unknown op or a missing/ill-typed field, and
// std::runtime_error when the file cannot be read.
FileSummary run_file(const std::string& path, std::ostream& out);

// Replays one script given as a JSON line; `where` ("FILE:LINE") prefixes MalformedVector.
ScriptOutcome run_script(const std::string& json_line, const std::string& where);

}  // namespace nptsim::conformance
