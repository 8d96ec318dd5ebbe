// The nptsim text trace format (traces/FORMAT.md, "Text"): a header line
// "nptsim-trace 1 gpa|gva", then one record a line: an access "R 0x1000 8 [gap=N] [cpu=N]" or
// an event "E NAME [OPERANDS] [cpu=N]" ("E unmap 0x200000 16", "E map 0x0 4 rw-", "E ctxsw 3",
// "E tlb-flush [0xGVA]"; FORMAT.md, "Events"). Events are a record kind of version 1 text: the
// header does not change, and a reader without events stops at the first E line (FILE:LINE).
#pragma once

#include <memory>

#include "traces/trace_reader.h"

namespace nptsim::trace {

constexpr const char* kTextMagic = "nptsim-trace";

std::unique_ptr<TraceReader> make_text_reader(std::unique_ptr<InputBuffer> in,
                                              const std::string& name);
// Appends the canonical text of one record (with newline) to `out`: lowercase hex, gap= only
// when not 0, cpu= only when present; an event (which must pass check_event) as
// "E NAME OPERANDS [cpu=N]" with its protection as prot_text.
void format_text_record(const TraceRecord& r, std::string& out);

}  // namespace nptsim::trace
