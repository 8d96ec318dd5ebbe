// Configuration of one translation cache (TLB or walk cache): geometry, replacement policy, hit
// latency in cycles. Defaults are set per structure by the owner (see docs/LATENCIES.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "models/core/tlb/set_assoc.h"

namespace nptsim {

struct CacheConfig {
  bool enabled = true;
  uint32_t entries = 64;
  uint32_t ways = 4;
  Replacement policy = Replacement::Lru;
  uint32_t hit_latency = 1;  // cycles
};

// Nothing when `c` is usable, else what is wrong, naming the structure.
std::optional<std::string> validate(const CacheConfig& c, const std::string& name);

}  // namespace nptsim
