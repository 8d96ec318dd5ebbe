// The configuration of the memory hierarchy (mem/cache_hierarchy.h): cache levels, DRAM, the
// classes of access that go through it. Defaults and their sources: docs/PARAMETERS.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "models/core/tlb/set_assoc.h"

namespace nptsim {

// What an access is for. Every level counts its hits per class.
enum class MemClass : uint8_t {
  Data,   // a load or store of the trace
  Fetch,  // an instruction fetch of the trace
  PteS1,  // a guest page-table entry (stage 1), read or A/D-updated by the walker
  PteS2,  // a stage-2 page-table entry
};
constexpr int kMemClasses = 4;
const char* to_string(MemClass c);  // "data", "fetch", "pte_s1", "pte_s2"

struct CacheLevelConfig {
  uint64_t size_bytes = 0;
  uint32_t ways = 8;
  uint32_t hit_latency = 4;  // cycles, load to use
};

struct MemLatencyConfig {
  bool fixed = false;            // true: every PTE access costs fixed_latency, no caches
  uint32_t fixed_latency = 200;  // cycles
  // Data accesses and fetches go through the caches too (evicting PTE lines, costing time);
  // off: only PTE accesses do (the PTE-only model, for comparison).
  bool data_caches = true;
  SetIndex indexing = SetIndex::LowBits;  // sets from physical line-address bits, or a hash
  uint32_t line_bytes = 64;
  CacheLevelConfig l1d{32 << 10, 8, 4};   // per vCPU: data and PTEs
  uint32_t fill_buffers = 10;             // L1D misses in flight at once (the window model)
  CacheLevelConfig l1i{32 << 10, 8, 4};   // per vCPU: fetches
  CacheLevelConfig l2{256 << 10, 4, 12};  // per vCPU, unified
  CacheLevelConfig llc{8 << 20, 16, 44};  // shared by every vCPU
  uint32_t dram_latency = 200;            // cycles, after an LLC miss, without queueing
  // Peak DRAM bandwidth in GB/s shared by all vCPUs; 0: unlimited (no queueing delay).
  double dram_bandwidth_gbs = 0;
};

std::optional<std::string> validate(const MemLatencyConfig& c);

}  // namespace nptsim
