// Permutation: a seeded pseudo-random bijection on [0, n) in O(1) memory (a 4-round Feistel
// network over the next power of two, with cycle walking). Used to scatter hot pages and to
// build pointer-chase cycles over footprints far too large to shuffle.
#pragma once

#include <cstdint>

namespace nptsim::trace {

class Permutation {
 public:
  Permutation(uint64_t n, uint64_t seed);
  // The image of i (i < n); distinct i give distinct results, all below n.
  uint64_t operator()(uint64_t i) const;

 private:
  uint64_t round(uint64_t half, int r) const;
  uint64_t n_;
  unsigned half_bits_;
  uint64_t half_mask_;
  uint64_t keys_[4];
};

}  // namespace nptsim::trace
