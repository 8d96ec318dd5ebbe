// Parameters of the PTE memory model (mem/pte_latency.h) and of the walker ports.
#include "models/core/params/param_builders.h"
#include "models/core/platform/params/sim_config.h"

namespace nptsim {

namespace {

using C = SimConfig;

template <class Level>
void add_level(SimParams& t, const std::string& prefix, const std::string& what,
               const std::string& source, Level level) {
  t.add(size_param<C>({prefix + ".size", "bytes", what + ": capacity for PTE lines", source},
                      [level](C& c) -> uint64_t& { return level(c).size_bytes; }));
  t.add(uint_param<C>(
      {prefix + ".ways", "ways", what + ": associativity", source},
      [level](C& c) -> uint32_t& { return level(c).ways; }, 1, 1u << 16));
  t.add(uint_param<C>(
      {prefix + ".latency", "cycles", what + ": hit latency", source},
      [level](C& c) -> uint32_t& { return level(c).hit_latency; }, 0, 1u << 20));
}

const char* const kSkylakeCaches =
    "Intel Optimization Reference Manual (248966-045), Skylake client cache parameters";

}  // namespace

void declare_mem_params(SimParams& t) {
  t.add(choice_param<C>(
      {"mem.model", "", "PTE access cost: caches (L1, L2, LLC, DRAM) or one fixed latency",
       "nptsim's model choice"},
      [](C& c) -> bool& { return c.platform.mem.fixed; },
      std::vector<std::pair<bool, std::string>>{{false, "caches"}, {true, "fixed"}}));
  t.add(uint_param<C>(
      {"mem.fixed_latency", "cycles", "cycles per PTE access with mem.model = fixed",
       "the DRAM latency (mem.dram_latency), for a model without PTE caching"},
      [](C& c) -> uint32_t& { return c.platform.mem.fixed_latency; }, 0, 1u << 20));
  t.add(uint_param<C>(
      {"mem.line_bytes", "bytes", "cache line size of the PTE caches",
       "64-byte lines on every Intel, AMD and Arm core this project models"},
      [](C& c) -> uint32_t& { return c.platform.mem.line_bytes; }, 8, 4096));
  t.add(uint_param<C>(
      {"mem.dram_latency", "cycles", "DRAM access after an LLC miss",
       "Intel Performance Analysis Guide for Core i7 / Xeon 5500: local DRAM about 60 ns; at 3.3 "
       "GHz "
       "about 200 cycles"},
      [](C& c) -> uint32_t& { return c.platform.mem.dram_latency; }, 0, 1u << 20));
  t.add(bool_param<C>({"mem.dmi", "",
                       "timing on: walkers read PTEs through TLM DMI (on) or one b_transport each "
                       "(off); same results",
                       "nptsim's choice: DMI is faster on the host and changes no number"},
                      [](C& c) -> bool& { return c.platform.pte_dmi; }));
  add_level(t, "mem.l1", "L1 data cache",
            std::string(kSkylakeCaches) + ": L1D 32 KB, 8-way, fastest latency 4 cycles",
            [](C& c) -> PteCacheLevel& { return c.platform.mem.l1; });
  add_level(t, "mem.l2", "L2 cache", std::string(kSkylakeCaches) + ": L2 256 KB, 4-way, 12 cycles",
            [](C& c) -> PteCacheLevel& { return c.platform.mem.l2; });
  add_level(t, "mem.llc", "last-level cache",
            std::string(kSkylakeCaches) +
                ": L3 up to 2 MB per core, up to 16 ways, 44 cycles (8 MiB = a 4-core part)",
            [](C& c) -> PteCacheLevel& { return c.platform.mem.llc; });
}

}  // namespace nptsim
