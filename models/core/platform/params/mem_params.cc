// Parameters of the memory hierarchy (mem/cache_hierarchy.h), of the walker ports and of the
// SystemC players' quantum.
#include "models/core/params/param_builders.h"
#include "models/core/platform/params/sim_config.h"

namespace nptsim {

namespace {

using C = SimConfig;

template <class Level>
void add_level(SimParams& t, const std::string& prefix, const std::string& what,
               const std::string& source, Level level) {
  t.add(size_param<C>({prefix + ".size", "bytes", what + ": capacity", source},
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
      {"mem.model", "",
       "memory model: caches (L1D/L1I, L2 per vCPU, shared LLC, DRAM) or one fixed latency per "
       "PTE access (no caches; data accesses then cost nothing)",
       "nptsim's model choice"},
      [](C& c) -> bool& { return c.platform.mem.fixed; },
      std::vector<std::pair<bool, std::string>>{{false, "caches"}, {true, "fixed"}}));
  t.add(uint_param<C>(
      {"mem.fixed_latency", "cycles", "cycles per PTE access with mem.model = fixed",
       "the DRAM latency (mem.dram_latency), for a model without PTE caching"},
      [](C& c) -> uint32_t& { return c.platform.mem.fixed_latency; }, 0, 1u << 20));
  t.add(bool_param<C>(
      {"mem.data_caches", "",
       "data accesses and fetches go through the caches with the PTEs (evicting PTE lines, "
       "costing time); off: only PTE accesses do (the PTE-only model, for comparison)",
       "nptsim's model choice: one hierarchy, as in hardware"},
      [](C& c) -> bool& { return c.platform.mem.data_caches; }));
  t.add(choice_param<C>(
      {"mem.indexing", "",
       "how a line picks its cache set: physical line-address bits (as hardware caches index) "
       "or a hash",
       "nptsim's model choice: address bits, so strides conflict as in hardware"},
      [](C& c) -> SetIndex& { return c.platform.mem.indexing; },
      std::vector<std::pair<SetIndex, std::string>>{{SetIndex::LowBits, "pa_bits"},
                                                    {SetIndex::Hash, "hash"}}));
  t.add(real_param<C>(
      {"mem.dram_bandwidth", "GB/s",
       "peak DRAM bandwidth shared by all vCPUs: DRAM accesses queue (M/D/1 waiting time from the "
       "recent utilisation); 0: unlimited, no queueing",
       "nptsim's choice: off by default; a dual-channel DDR4-2666 system peaks at 42.7 GB/s "
       "(2 x 8 bytes x 2666 MT/s)"},
      [](C& c) -> double& { return c.platform.mem.dram_bandwidth_gbs; }, 0.0, 1e6));
  t.add(uint_param<C>(
      {"mem.fill_buffers", "buffers",
       "L1 data-cache misses in flight at once per vCPU (core.model = window)",
       "estimate: Intel Optimization Reference Manual (248966-045) gives 10 L1D fill buffers "
       "for Sandy Bridge through Haswell; Skylake's count is not stated there"},
      [](C& c) -> uint32_t& { return c.platform.mem.fill_buffers; }, 1, 1024));
  t.add(uint_param<C>(
      {"mem.line_bytes", "bytes", "cache line size of every cache level",
       "64-byte lines on every Intel, AMD and Arm core this project models"},
      [](C& c) -> uint32_t& { return c.platform.mem.line_bytes; }, 8, 4096));
  t.add(uint_param<C>(
      {"mem.dram_latency", "cycles", "DRAM access after an LLC miss",
       "Intel Performance Analysis Guide for Core i7 / Xeon 5500: local DRAM about 60 ns; at 3.3 "
       "GHz "
       "about 200 cycles"},
      [](C& c) -> uint32_t& { return c.platform.mem.dram_latency; }, 0, 1u << 20));
  t.add(uint_param<C>(
      {"sim.quantum", "ns",
       "timing on: how far a vCPU's player runs ahead of the others before it synchronises "
       "(TLM-2.0 temporal decoupling); shorter interleaves vCPUs more finely, at a host cost",
       "nptsim's choice: 1 us, long against one access (tens of ns), short against a run"},
      [](C& c) -> uint32_t& { return c.platform.quantum_ns; }, 1, 1000000000));
  t.add(bool_param<C>({"mem.dmi", "",
                       "timing on: walkers read PTEs through TLM DMI (on) or one b_transport each "
                       "(off); same results",
                       "nptsim's choice: DMI is faster on the host and changes no number"},
                      [](C& c) -> bool& { return c.platform.pte_dmi; }));
  add_level(t, "mem.l1d", "L1 data cache (per vCPU; data and PTEs)",
            std::string(kSkylakeCaches) + ": L1D 32 KB, 8-way, fastest latency 4 cycles",
            [](C& c) -> CacheLevelConfig& { return c.platform.mem.l1d; });
  add_level(t, "mem.l1i", "L1 instruction cache (per vCPU; fetches)",
            std::string(kSkylakeCaches) +
                ": L1I 32 KB, 8-way; latency estimate: as the L1D (not published)",
            [](C& c) -> CacheLevelConfig& { return c.platform.mem.l1i; });
  add_level(t, "mem.l2", "L2 cache (per vCPU)",
            std::string(kSkylakeCaches) + ": L2 256 KB, 4-way, 12 cycles",
            [](C& c) -> CacheLevelConfig& { return c.platform.mem.l2; });
  add_level(t, "mem.llc", "last-level cache (shared by all vCPUs)",
            std::string(kSkylakeCaches) +
                ": L3 up to 2 MB per core, up to 16 ways, 44 cycles (8 MiB = a 4-core part)",
            [](C& c) -> CacheLevelConfig& { return c.platform.mem.llc; });
}

}  // namespace nptsim
