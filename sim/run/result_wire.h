// RunResult between the processes of one run (`nptsim run/compare --jobs N`): a child simulates
// some of the runs and sends their results to the parent through a pipe. A binary image in this
// build's layout, for the same binary on the same machine; not a file format.
#pragma once

#include <string>
#include <vector>

#include "models/core/platform/run_result.h"

namespace nptsim {

// Appends `r` to `out`.
void write_result(std::string& out, const RunResult& r);
// Reads one result at `pos` (advanced past it); false when `in` is too short (truncated).
bool read_result(const std::string& in, size_t& pos, RunResult& r);

}  // namespace nptsim
