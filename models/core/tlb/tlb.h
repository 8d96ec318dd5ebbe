// Tlb: a page-size-aware, VMID-tagged translation cache (GPA -> HPA in the one-dimensional
// model). Entries of every leaf size share the array; a lookup probes each size that has been
// inserted, largest first. An entry remembers which access kinds a walk has allowed, so an
// access the entry has not seen allowed misses and is walked (to fault, or to set A/D).
#pragma once

#include <cstdint>
#include <optional>

#include "models/core/common/addr.h"
#include "models/core/tlb/cache_config.h"
#include "models/core/walk/walk_types.h"

namespace nptsim {

struct TlbStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
};

class Tlb {
 public:
  Tlb(const CacheConfig& c, uint64_t seed);

  struct Hit {
    HostPhysAddr hpa;     // translation of the looked-up address
    uint8_t shift = 12;   // leaf size
    uint8_t allowed = 0;  // bit per AccessKind the entry has seen allowed
    bool allows(AccessKind k) const { return allowed & (1u << static_cast<unsigned>(k)); }
  };
  std::optional<Hit> lookup(uint16_t vmid, uint64_t addr, AccessKind a);
  // Caches the leaf of `shift` covering `addr` that maps to `leaf_base`, allowing `a` (and
  // writes too when `write_too`).
  void insert(uint16_t vmid, uint64_t addr, uint8_t shift, HostPhysAddr leaf_base, AccessKind a, bool write_too = false);
  void flush() { array_.clear(); }
  void reset_stats() { stats_ = {}; }

  const CacheConfig& config() const { return cfg_; }
  const TlbStats& stats() const { return stats_; }

 private:
  struct Entry {
    uint16_t vmid = 0;
    uint8_t shift = 12;
    uint8_t allowed = 0;  // bit per AccessKind
    uint64_t vpn = 0;
    uint64_t base = 0;
  };
  static uint64_t tag(uint16_t vmid, uint64_t vpn, uint8_t shift) {
    return (vpn * 0x100000001B3ULL) ^ (uint64_t{vmid} << 48) ^ (uint64_t{shift} << 40);
  }

  CacheConfig cfg_;
  SetAssoc<Entry> array_;
  uint64_t shifts_seen_ = 0;  // bit s set when an entry of shift s was inserted
  TlbStats stats_;
};

// The TLB lookups before a walk, shared by both MMUs: the L1 TLB (instruction or data), then the
// unified L2, which refills L1 on a hit. Adds each enabled level's hit latency to `cycles`.
struct TlbPathHit {
  HostPhysAddr hpa;
  bool from_l1 = false;
};
std::optional<TlbPathHit> lookup_tlb_path(Tlb& l1, Tlb& l2, uint16_t tag, uint64_t addr, AccessKind a,
                                          uint64_t& cycles);
// After a walk: caches the leaf of `shift` covering `addr` (translated to `hpa`) in L2 and L1.
void fill_tlb_path(Tlb& l1, Tlb& l2, uint16_t tag, uint64_t addr, uint8_t shift, HostPhysAddr hpa, AccessKind a);

}  // namespace nptsim
