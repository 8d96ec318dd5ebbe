// The nptsim text trace format (traces/FORMAT.md, "Text"): a header line
// "nptsim-trace 1 gpa|gva", then one access a line: "R 0x1000 8 [gap=N] [cpu=N]".
#pragma once

#include <memory>

#include "traces/trace_reader.h"

namespace nptsim::trace {

constexpr const char* kTextMagic = "nptsim-trace";

std::unique_ptr<TraceReader> make_text_reader(std::unique_ptr<InputBuffer> in,
                                              const std::string& name);
// Appends the canonical text of one record (with newline) to `out`.
void format_text_record(const TraceRecord& r, std::string& out);

}  // namespace nptsim::trace
