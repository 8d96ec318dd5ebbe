// Tlb: one level of page-size-aware, tagged translation caches (GPA -> HPA in the
// one-dimensional model, GVA -> HPA in the two-dimensional one). A level is a main array for
// 4 KiB pages and, as real cores have them (e.g. Skylake: Intel Optimization Reference Manual,
// TLB parameters), an array of its own per large page size, or large pages kept in the main
// array, or splintered into the next smaller size the level holds (TlbLargePages). Sets are
// chosen by the low bits of the page number (or a hash). A lookup probes every array for each
// size it has held. An entry holds what the walk found (walk/walk_loop.h, set_access_masks): the
// access kinds the translation permits and those it may serve without a walk. An access the
// entry may not serve (not permitted: walked to fault; a write to a page whose dirty flag
// hardware must still set: walked to set it) misses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// The large-page classes of a TLB level: 2 MiB, and 1 GiB (and larger: 512 GiB leaves are kept
// as 1 GiB-class entries).
constexpr int kTlbLargeClasses = 2;
const char* tlb_large_class_name(int c);  // "2M", "1G"

// Where a TLB level keeps the entries of each large page size.
struct TlbLargePages {
  enum Mode : uint8_t {
    Own,       // an array of its own (entries, ways below; the main array's policy and latency)
    Shared,    // in the main array with the 4 KiB entries
    Splinter,  // as entries of the next smaller size this level holds (the part accessed)
  };
  Mode mode[kTlbLargeClasses] = {Shared, Shared};
  uint32_t entries[kTlbLargeClasses] = {32, 4};
  uint32_t ways[kTlbLargeClasses] = {4, 4};
};
const std::vector<std::pair<TlbLargePages::Mode, std::string>>& tlb_large_mode_names();

class Tlb {
 public:
  // The main array `c`; large pages as `large` says; sets by `index`.
  Tlb(const CacheConfig& c, uint64_t seed, const TlbLargePages& large = {},
      SetIndex index = SetIndex::LowBits);

  struct Hit {
    HostPhysAddr hpa;          // translation of the looked-up address
    uint8_t shift = 12;        // leaf size
    AccessMask permitted = 0;  // access kinds the translation permits
    AccessMask servable = 0;   // access kinds the entry serves without a walk
    bool allows(AccessKind k) const { return permitted & access_bit(k); }
  };
  std::optional<Hit> lookup(uint32_t vmid, uint64_t addr, AccessKind a) {
    if (auto hit = repeat_hit(vmid, addr, a)) return hit;
    return lookup_arrays(vmid, addr, a);
  }
  // A hit on the entry of the last hit, or nothing (then nothing is counted). That entry is the
  // most recent in its set already: served again without a search or an LRU update (exact; it is
  // forgotten on every insert, invalidation and flush).
  std::optional<Hit> repeat_hit(uint32_t vmid, uint64_t addr, AccessKind a) {
    if (last_ && last_->vmid == vmid && (addr >> last_->shift) == last_->vpn &&
        (last_->servable & access_bit(a))) {
      ++stats_.hits;
      ++*last_hits_;
      return Hit{HostPhysAddr(last_->base + (addr & ((uint64_t{1} << last_->shift) - 1))),
                 last_->shift, last_->permitted, last_->servable};
    }
    return std::nullopt;
  }
  // Caches the leaf of `shift` covering `addr` that maps to `leaf_base`, with the walk's
  // permitted and servable access kinds (replacing what an older entry held).
  void insert(uint32_t vmid, uint64_t addr, uint8_t shift, HostPhysAddr leaf_base,
              AccessMask permitted, AccessMask servable);
  void flush() {
    last_ = nullptr;
    for (Array& a : arrays_) a.entries.clear();
  }
  // Drops the entries of every page size that cover `addr` under `vmid`.
  void invalidate_page(uint32_t vmid, uint64_t addr);
  // prefix.{hits,misses,evictions}, and prefix.<size>.hits for each array of its own
  void report(StatTree& t, const std::string& prefix) const;
  void reset_stats() {
    stats_ = {};
    for (Array& a : arrays_) a.hits = 0;
  }

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
  // The set-index key: the page number in the low bits (the set index), the tag above.
  static uint64_t tag(uint32_t vmid, uint64_t vpn, uint8_t shift) {
    return vpn ^ (uint64_t{vmid} << 32) ^ (uint64_t{shift} << 58);
  }
  struct Array {
    SetAssoc<Entry> entries;
    uint64_t shifts_seen = 0;  // bit s set when an entry of shift s was inserted
    uint64_t hits = 0;
  };
  std::optional<Hit> lookup_arrays(uint32_t vmid, uint64_t addr, AccessKind a);
  // The array and the page size (shift) an entry of `shift` is stored as.
  std::pair<Array*, uint8_t> home(uint8_t shift);

  CacheConfig cfg_;
  TlbLargePages large_;
  std::vector<Array> arrays_;  // [0] the main array, then one per large class of its own
  int array_of_class_[kTlbLargeClasses + 1] = {0, -1, -1};  // -1: not held in an array
  const Entry* last_ = nullptr;    // the entry of the last hit, while it stays valid
  uint64_t* last_hits_ = nullptr;  // its array's hit counter
  TlbStats stats_;
};

// The TLB lookups before a walk, shared by both MMUs: the L1 TLB (instruction or data), then the
// unified L2, which refills L1 on a hit with the L2 entry's permissions. Adds each enabled
// level's hit latency to `cycles` (L1's only when it is not hidden behind the cache access).
struct TlbPathHit {
  HostPhysAddr hpa;
  bool from_l1 = false;
};
// After an L1 miss: the L2, which refills L1 on a hit.
std::optional<TlbPathHit> lookup_l2_path(Tlb& l1, Tlb& l2, uint32_t tag, uint64_t addr,
                                         AccessKind a, uint64_t& cycles);
// The L1 hit, the common case, inline.
inline std::optional<TlbPathHit> lookup_tlb_path(Tlb& l1, Tlb& l2, uint32_t tag, uint64_t addr,
                                                 AccessKind a, uint64_t& cycles,
                                                 bool l1_hidden = false) {
  if (l1.config().enabled) {
    if (!l1_hidden) cycles += l1.config().hit_latency;
    if (auto hit = l1.lookup(tag, addr, a)) return TlbPathHit{hit->hpa, true};
  }
  return lookup_l2_path(l1, l2, tag, addr, a, cycles);
}
// After a successful walk `r` of `addr`: caches its leaf (r.leaf_shift, r.hpa, the access masks)
// in L2 and L1.
void fill_tlb_path(Tlb& l1, Tlb& l2, uint32_t tag, uint64_t addr, const WalkResult& r);

}  // namespace nptsim
