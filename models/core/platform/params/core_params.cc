// Parameters of the core model around the translation path: its clock and base CPI.
#include "models/core/params/param_builders.h"
#include "models/core/platform/params/sim_config.h"

namespace nptsim {

void declare_core_params(SimParams& t) {
  using C = SimConfig;
  t.add(real_param<C>(
      {"core.freq_ghz", "GHz",
       "core clock: SystemC time = cycles / frequency; reports give cycles and ns",
       "estimate: the clock at which the default latencies were converted to "
       "cycles (DRAM 60 ns = 200 cycles at 3.3 GHz, mem.dram_latency)"},
      [](C& c) -> double& { return c.platform.core.freq_ghz; }, 0.1, 10.0));
  t.add(real_param<C>(
      {"core.base_cpi", "cycles",
       "cycles per instruction of the work between trace accesses (fetch records "
       "and record gaps) when translation does not stall",
       "estimate: 1.0, a mid-range out-of-order core's CPI; measure the workload's "
       "to compare translation overhead"},
      [](C& c) -> double& { return c.platform.core.base_cpi; }, 0.0, 100.0));
}

}  // namespace nptsim
