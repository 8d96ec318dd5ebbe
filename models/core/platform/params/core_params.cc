// Parameters of the core model around the translation path: its clock, base CPI and how its
// accesses overlap (core/timing/core_timeline.h).
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
  t.add(choice_param<C>(
      {"core.model", "",
       "how accesses overlap: inorder (each access blocks the core: latencies in series) or "
       "window (an out-of-order window of core.window instructions overlaps independent "
       "accesses' walks, up to mmu.walkers, and L1 misses, up to mem.fill_buffers)",
       "nptsim's model choice: the cores modelled are out of order"},
      [](C& c) -> CoreModel& { return c.platform.core.model; },
      std::vector<std::pair<CoreModel, std::string>>{{CoreModel::InOrder, "inorder"},
                                                     {CoreModel::Window, "window"}}));
  t.add(uint_param<C>(
      {"core.window", "instructions",
       "instructions in flight with core.model = window (reorder buffer entries); 1 makes every "
       "access wait for the previous one, as a pointer chase does",
       "Intel Optimization Reference Manual (248966-045), Skylake client: 224-entry reorder "
       "buffer"},
      [](C& c) -> uint32_t& { return c.platform.core.window; }, 1, 1u << 20));
}

}  // namespace nptsim
