// Clock: a platform's core clock in SystemC time. Every latency is a parameter in core cycles
// (docs/PARAMETERS.md); SystemC time = cycles x period, the period being 1 / core.freq_ghz
// rounded to SystemC's default 1 ps resolution (3.3 GHz: 303 ps). sc_time appears only in this
// layer, and each platform carries its own clock (no process-global period).
#pragma once

#include <cmath>
#include <cstdint>
#include <systemc>

namespace nptsim::sysc {

class Clock {
 public:
  explicit Clock(double freq_ghz)
      : period_value_(static_cast<sc_core::sc_time::value_type>(std::llround(1000.0 / freq_ghz))),
        period_(sc_core::sc_time::from_value(period_value_)) {}

  const sc_core::sc_time& period() const { return period_; }
  sc_core::sc_time::value_type period_value() const { return period_value_; }
  sc_core::sc_time of(uint64_t cycles) const {
    return sc_core::sc_time::from_value(cycles * period_value_);
  }
  uint64_t to_cycles(const sc_core::sc_time& t) const { return t.value() / period_value_; }
  // Simulated seconds of `cycles` on this clock (the rounded period, as SystemC counts them).
  double seconds(uint64_t cycles) const {
    return static_cast<double>(cycles * period_value_) * 1e-12;
  }

 private:
  sc_core::sc_time::value_type period_value_;  // picoseconds
  sc_core::sc_time period_;
};

}  // namespace nptsim::sysc
