// Tlb: a page-size-aware, VMID-tagged translation cache (GPA -> HPA in the one-dimensional
// model). Entries of every leaf size share the array; a lookup probes each size that has been
// inserted, largest first. An entry holds what the walk found (walk/stage2_walker.h,
// set_access_masks): the access kinds the translation permits and those it may serve without a
// walk. An access the entry may not serve (not permitted: walked to fault; a write to a page
// whose dirty flag hardware must still set: walked to set it) misses.
#pragma once

#include <cstdint>
#include <optional>

#include "models/core/common/addr.h"
#include "models/core/stats/stat_tree.h"
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
    HostPhysAddr hpa;          // translation of the looked-up address
    uint8_t shift = 12;        // leaf size
    AccessMask permitted = 0;  // access kinds the translation permits
    AccessMask servable = 0;   // access kinds the entry serves without a walk
    bool allows(AccessKind k) const { return permitted & access_bit(k); }
  };
  std::optional<Hit> lookup(uint32_t vmid, uint64_t addr, AccessKind a);
  // Caches the leaf of `shift` covering `addr` that maps to `leaf_base`, with the walk's
  // permitted and servable access kinds (replacing what an older entry held).
  void insert(uint32_t vmid, uint64_t addr, uint8_t shift, HostPhysAddr leaf_base,
              AccessMask permitted, AccessMask servable);
  void flush() { array_.clear(); }
  // Drops the entries of every page size that cover `addr` under `vmid`.
  void invalidate_page(uint32_t vmid, uint64_t addr);
  // prefix.{hits,misses,evictions}
  void report(StatTree& t, const std::string& prefix) const;
  void reset_stats() { stats_ = {}; }

  const CacheConfig& config() const { return cfg_; }
  const TlbStats& stats() const { return stats_; }

 private:
  struct Entry {
    uint32_t vmid = 0;  // the tag: a VMID, or VMID << 16 | ASID (never aliasing)
    uint8_t shift = 12;
    AccessMask permitted = 0;
    AccessMask servable = 0;
    uint64_t vpn = 0;
    uint64_t base = 0;
  };
  // The set-index key. A 16-bit tag (a VMID) hashes as before 32-bit tags existed; the upper half
  // (the VMID of a VMID << 16 | ASID tag) mixes in below the shift.
  static uint64_t tag(uint32_t vmid, uint64_t vpn, uint8_t shift) {
    return (vpn * 0x100000001B3ULL) ^ (uint64_t{vmid & 0xFFFF} << 48) ^ (uint64_t{shift} << 40) ^
           (uint64_t{vmid >> 16} << 24);
  }

  CacheConfig cfg_;
  SetAssoc<Entry> array_;
  uint64_t shifts_seen_ = 0;  // bit s set when an entry of shift s was inserted
  TlbStats stats_;
};

// The TLB lookups before a walk, shared by both MMUs: the L1 TLB (instruction or data), then the
// unified L2, which refills L1 on a hit with the L2 entry's permissions. Adds each enabled
// level's hit latency to `cycles` (L1's only when it is not hidden behind the cache access).
struct TlbPathHit {
  HostPhysAddr hpa;
  bool from_l1 = false;
};
std::optional<TlbPathHit> lookup_tlb_path(Tlb& l1, Tlb& l2, uint32_t tag, uint64_t addr,
                                          AccessKind a, uint64_t& cycles, bool l1_hidden = false);
// After a successful walk `r` of `addr`: caches its leaf (r.leaf_shift, r.hpa, the access masks)
// in L2 and L1.
void fill_tlb_path(Tlb& l1, Tlb& l2, uint32_t tag, uint64_t addr, const WalkResult& r);

}  // namespace nptsim
