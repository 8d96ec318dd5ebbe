// Simulated time: one cycle is one nanosecond (a 1 GHz reference clock), so cycle counts and
// SystemC time convert exactly. Every latency is a config field in cycles (DESIGN.md
// convention 6); sc_time appears only in this layer.
#pragma once

#include <cstdint>
#include <systemc>

namespace nptsim::sysc {

inline const sc_core::sc_time& cycle() {
  static const sc_core::sc_time kCycle(1, sc_core::SC_NS);
  return kCycle;
}
inline uint64_t to_cycles(const sc_core::sc_time& t) {
  return static_cast<uint64_t>(t.value() / cycle().value());
}

}  // namespace nptsim::sysc
