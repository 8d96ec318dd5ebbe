// A sweep file (docs/SWEEP.md): an INI file naming the traces, presets, architectures, backends
// and configuration axes of a study; every combination is one `nptsim run` job.
//
//   [sweep]                      run settings; trace, preset, arch and backend take lists
//   name = l2tlb
//   trace = ../traces/samples/sort.nptb.xz     (relative to the sweep file's directory)
//   arch = x86_64, aarch64, riscv64
//   backend = linear, lazy
//   [axes]                       configuration keys (nptsim params), each a list or a range
//   tlb.l2.entries = 512, 1536, 4096           (ranges: 1..4, 0..96 +32, 512..4096 *2)
//   [fixed]                      configuration keys set in every job
//   core.window = 32
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nptsim::sweep {

// A bad sweep file: the message starts with "FILE:LINE: " (or "FILE: " for the whole file).
struct SweepError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct SweepAxis {
  std::string key;  // a configuration key
  std::vector<std::string> values;
};

struct SweepSpec {
  std::string file;      // as given
  std::string name;      // the [sweep] name, else the file's stem
  std::string base_dir;  // the sweep file's directory, absolute: relative traces are from it
  std::vector<std::string> traces;   // as written; one empty entry: the built-in workload
  std::vector<std::string> presets;  // one empty entry: no preset (the built-in defaults)
  std::vector<std::string> archs, backends;
  std::vector<SweepAxis> axes;  // in file order
  KeyValues fixed;              // configuration key = value for every job
  KeyValues run_options;        // nptsim run options for every job: ("timing", "on"), ...
};

// Reads and checks `path`: every key known, every value valid for its key, no empty list, every
// trace and preset present. Throws SweepError naming FILE:LINE.
SweepSpec read_sweep_file(const std::string& path);

// The values of a comma-separated list into `out`; with `ranges`, an item starting with a digit
// and holding ".." is a range ("1..4", "0..96 +32", "512..4096 *2"). An error text (for
// "FILE:LINE: KEY: ...") when the list is empty or an item malformed, else "".
std::string expand_values(const std::string& text, std::vector<std::string>& out, bool ranges);

}  // namespace nptsim::sweep
