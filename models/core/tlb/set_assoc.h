// SetAssoc<Value>: a set-associative array of tagged entries with LRU, FIFO or random
// replacement (seeded, so runs are reproducible). The building block of TLBs, walk caches and
// the PTE cache hierarchy. Keys are 64-bit tags; the set is chosen by the tag's low bits.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace nptsim {

enum class Replacement : uint8_t { Lru, Fifo, Random };
const char* to_string(Replacement r);
std::optional<Replacement> parse_replacement(std::string_view s);

template <class Value>
class SetAssoc {
 public:
  // `entries` a multiple of `ways` (both >= 1); sets = entries / ways.
  SetAssoc(uint32_t entries, uint32_t ways, Replacement policy, uint64_t seed = 1)
      : ways_(ways), sets_(entries / ways), policy_(policy), rng_(seed | 1),
        slots_(static_cast<size_t>(sets_) * ways_) {}

  // The value under `tag`, or nullptr. A hit refreshes LRU order.
  Value* lookup(uint64_t tag) {
    Slot* set = set_of(tag);
    for (uint32_t w = 0; w < ways_; ++w) {
      Slot& s = set[w];
      if (s.valid && s.tag == tag) {
        if (policy_ == Replacement::Lru) s.stamp = ++clock_;
        return &s.value;
      }
    }
    return nullptr;
  }

  // Inserts or replaces the value under `tag`; returns true when a valid entry was evicted.
  bool insert(uint64_t tag, const Value& v) {
    Slot* set = set_of(tag);
    Slot* victim = nullptr;
    for (uint32_t w = 0; w < ways_; ++w) {
      if (set[w].valid && set[w].tag == tag) {
        set[w].value = v;
        if (policy_ == Replacement::Lru) set[w].stamp = ++clock_;
        return false;
      }
      if (!set[w].valid && !victim) victim = &set[w];
    }
    const bool evict = victim == nullptr;
    if (evict) victim = choose_victim(set);
    *victim = Slot{true, tag, ++clock_, v};
    return evict;
  }

  void invalidate(uint64_t tag) {
    Slot* set = set_of(tag);
    for (uint32_t w = 0; w < ways_; ++w) {
      if (set[w].tag == tag) set[w].valid = false;
    }
  }
  void clear() {
    for (auto& s : slots_) s.valid = false;
  }
  uint32_t ways() const { return ways_; }
  uint32_t sets() const { return sets_; }

 private:
  struct Slot {
    bool valid = false;
    uint64_t tag = 0;
    uint64_t stamp = 0;  // LRU: last use; FIFO: insertion
    Value value{};
  };

  Slot* set_of(uint64_t tag) {
    // Mix the tag so that strided keys spread over the sets, then map the high 32 bits onto
    // [0, sets) with a multiply (no division on the hot path).
    const uint64_t h = (tag * 0x9E3779B97F4A7C15ULL) >> 32;
    return &slots_[static_cast<size_t>((h * sets_) >> 32) * ways_];
  }
  Slot* choose_victim(Slot* set) {
    if (policy_ == Replacement::Random) {
      rng_ ^= rng_ << 13;
      rng_ ^= rng_ >> 7;
      rng_ ^= rng_ << 17;
      return &set[rng_ % ways_];
    }
    Slot* v = &set[0];
    for (uint32_t w = 1; w < ways_; ++w) {
      if (set[w].stamp < v->stamp) v = &set[w];
    }
    return v;
  }

  uint32_t ways_;
  uint32_t sets_;
  Replacement policy_;
  uint64_t rng_;
  uint64_t clock_ = 0;
  std::vector<Slot> slots_;
};

}  // namespace nptsim
