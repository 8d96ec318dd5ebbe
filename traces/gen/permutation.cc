#include "traces/gen/permutation.h"

namespace nptsim::trace {

namespace {
uint64_t mix(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

Permutation::Permutation(uint64_t n, uint64_t seed) : n_(n == 0 ? 1 : n) {
  unsigned bits = 2;
  while (bits < 64 && (uint64_t{1} << bits) < n_) ++bits;
  if (bits % 2) ++bits;
  half_bits_ = bits / 2;
  half_mask_ = (uint64_t{1} << half_bits_) - 1;
  for (int r = 0; r < 4; ++r) keys_[r] = mix(seed * 4 + static_cast<uint64_t>(r) + 1);
}

uint64_t Permutation::round(uint64_t half, int r) const {
  return mix(half ^ keys_[r]) & half_mask_;
}

uint64_t Permutation::operator()(uint64_t i) const {
  uint64_t x = i;
  do {  // cycle walking: re-encrypt until the value falls inside [0, n)
    uint64_t left = x >> half_bits_, right = x & half_mask_;
    for (int r = 0; r < 4; ++r) {
      uint64_t next = left ^ round(right, r);
      left = right;
      right = next;
    }
    x = (left << half_bits_) | right;
  } while (x >= n_);
  return x;
}

}  // namespace nptsim::trace
