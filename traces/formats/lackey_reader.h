// Valgrind lackey output (`valgrind --tool=lackey --trace-mem=yes`): "I  ADDR,SIZE" instruction
// fetches, " L", " S", " M" data accesses (M = modify: a load, then a store), hex addresses
// without 0x. Lines that are not records (==PID== banners, program output) are skipped; a line
// that starts like a record but is malformed is an error. Addresses are guest-virtual.
#pragma once

#include <memory>

#include "traces/trace_reader.h"

namespace nptsim::trace {

std::unique_ptr<TraceReader> make_lackey_reader(std::unique_ptr<InputBuffer> in,
                                                const std::string& name);

}  // namespace nptsim::trace
