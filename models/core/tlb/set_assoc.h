// SetAssoc<Value>: a set-associative array of tagged entries with LRU, FIFO or random
// replacement (seeded, so runs are reproducible). The building block of TLBs, walk caches and
// the cache hierarchy. Keys are 64-bit tags; the set is chosen by a hash of the tag or by its low
// bits (SetIndex).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nptsim {

enum class Replacement : uint8_t { Lru, Fifo, Random };
// How a tag picks its set: its low bits (tag mod sets, as caches index by physical address bits
// and TLBs by page-number bits, so strided keys conflict as in hardware) or a multiplicative hash
// (strides spread over all sets).
enum class SetIndex : uint8_t { LowBits, Hash };
const char* to_string(Replacement r);
std::optional<Replacement> parse_replacement(std::string_view s);
// Every policy with its name, in the order of --help.
const std::vector<std::pair<Replacement, std::string>>& replacement_names();

// Layout: tags, stamps and values in separate arrays, so a lookup scans only the set's tags
// (8 bytes a way: a 16-way set is two host cache lines). A slot is valid when its stamp is not
// zero (the clock starts at 1).
template <class Value>
class SetAssoc {
 public:
  // `entries` a multiple of `ways` (both >= 1); sets = entries / ways.
  SetAssoc(uint32_t entries, uint32_t ways, Replacement policy, uint64_t seed = 1,
           SetIndex index = SetIndex::Hash)
      : ways_(ways),
        sets_(entries / ways),
        low_bits_(index == SetIndex::LowBits),
        set_mask_((sets_ & (sets_ - 1)) == 0 ? sets_ - 1 : 0),
        policy_(policy),
        rng_(seed | 1),
        tags_(static_cast<size_t>(sets_) * ways_),
        stamps_(tags_.size()),
        values_(tags_.size()) {}

  // The value under `tag`, or nullptr. A hit refreshes LRU order.
  Value* lookup(uint64_t tag) {
    const size_t base = set_of(tag);
    for (size_t i = base; i < base + ways_; ++i) {
      if (tags_[i] == tag && stamps_[i] != 0) {
        if (policy_ == Replacement::Lru) stamps_[i] = ++clock_;
        return &values_[i];
      }
    }
    return nullptr;
  }

  // Inserts or replaces the value under `tag`; returns true when a valid entry was evicted.
  bool insert(uint64_t tag, const Value& v) {
    const size_t base = set_of(tag);
    size_t victim = SIZE_MAX;
    for (size_t i = base; i < base + ways_; ++i) {
      if (stamps_[i] != 0 && tags_[i] == tag) {
        values_[i] = v;
        if (policy_ == Replacement::Lru) stamps_[i] = ++clock_;
        return false;
      }
      if (stamps_[i] == 0 && victim == SIZE_MAX) victim = i;
    }
    const bool evict = victim == SIZE_MAX;
    if (evict) victim = choose_victim(base);
    tags_[victim] = tag;
    stamps_[victim] = ++clock_;
    values_[victim] = v;
    return evict;
  }

  // Inserts `tag`, which the caller knows is not in the array (a lookup just missed): no
  // search for it, only for the slot to fill. Returns true when a valid entry was evicted.
  bool insert_absent(uint64_t tag, const Value& v) {
    const size_t base = set_of(tag);
    size_t victim = base;
    bool evict = true;
    for (size_t i = base; i < base + ways_; ++i) {
      if (stamps_[i] == 0) {  // the first invalid slot, as insert() takes
        victim = i;
        evict = false;
        break;
      }
    }
    if (evict) victim = choose_victim(base);
    tags_[victim] = tag;
    stamps_[victim] = ++clock_;
    values_[victim] = v;
    return evict;
  }

  void invalidate(uint64_t tag) {
    const size_t base = set_of(tag);
    for (size_t i = base; i < base + ways_; ++i) {
      if (tags_[i] == tag) stamps_[i] = 0;
    }
  }
  void clear() { std::fill(stamps_.begin(), stamps_.end(), 0); }
  uint32_t ways() const { return ways_; }
  uint32_t sets() const { return sets_; }

 private:
  // The first slot of the set for `tag`.
  size_t set_of(uint64_t tag) const {
    if (low_bits_) {
      return static_cast<size_t>(set_mask_ || sets_ == 1 ? tag & set_mask_ : tag % sets_) * ways_;
    }
    // Mix the tag so that strided keys spread over the sets, then map the high 32 bits onto
    // [0, sets) with a multiply (no division on the hot path).
    const uint64_t h = (tag * 0x9E3779B97F4A7C15ULL) >> 32;
    return static_cast<size_t>((h * sets_) >> 32) * ways_;
  }
  // Every way of the set is valid here.
  size_t choose_victim(size_t base) {
    if (policy_ == Replacement::Random) {
      rng_ ^= rng_ << 13;
      rng_ ^= rng_ >> 7;
      rng_ ^= rng_ << 17;
      return base + rng_ % ways_;
    }
    size_t v = base;  // LRU: least recently used; FIFO: first inserted
    for (size_t i = base + 1; i < base + ways_; ++i) {
      if (stamps_[i] < stamps_[v]) v = i;
    }
    return v;
  }

  uint32_t ways_;
  uint32_t sets_;
  bool low_bits_;
  uint64_t set_mask_;  // sets - 1 when sets is a power of two, else 0 (then tag % sets)
  Replacement policy_;
  uint64_t rng_;
  uint64_t clock_ = 0;
  std::vector<uint64_t> tags_;
  std::vector<uint64_t> stamps_;  // LRU: last use; FIFO: insertion; 0: invalid
  std::vector<Value> values_;
};

}  // namespace nptsim
