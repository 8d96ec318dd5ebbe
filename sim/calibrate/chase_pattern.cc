#include "sim/calibrate/chase_pattern.h"

#include <random>

namespace nptsim::calibrate {

namespace {

bool pow2(uint64_t v) { return v && !(v & (v - 1)); }

// A uniform draw in [0, bound) from `rng` (bound >= 1): rejection of the top partial range.
uint64_t draw_below(std::mt19937_64& rng, uint64_t bound) {
  const uint64_t rem = (uint64_t{0} - bound) % bound;  // 2^64 mod bound
  const uint64_t last = ~uint64_t{0} - rem;  // [0, last] holds a whole number of ranges of bound
  for (;;) {
    const uint64_t r = rng();
    if (r <= last) return r % bound;
  }
}

// 0, 1, ..., n-1 in a seeded random order (Fisher-Yates).
std::vector<uint64_t> shuffled(uint64_t n, uint64_t seed) {
  std::vector<uint64_t> v(n);
  for (uint64_t i = 0; i < n; ++i) v[i] = i;
  std::mt19937_64 rng(seed);
  for (uint64_t i = n; i > 1; --i) {
    const uint64_t j = draw_below(rng, i);  // in [0, i - 1]
    std::swap(v[i - 1], v[j]);
  }
  return v;
}

}  // namespace

const char* const kLineRule =
    "line-per-page: page p uses line (p * 0x9E3779B1) mod (page_bytes / 64); every-line: all "
    "lines; visiting order: a Fisher-Yates permutation from std::mt19937_64(seed), one cycle";

const char* to_string(ChaseMode m) {
  return m == ChaseMode::LinePerPage ? "line-per-page" : "every-line";
}

std::optional<std::string> validate(const ChaseSpec& s) {
  if (!pow2(s.line_bytes) || s.line_bytes < 8) return "line size must be a power of two >= 8";
  if (!pow2(s.page_bytes) || s.page_bytes < s.line_bytes)
    return "page size must be a power of two of at least one line";
  const uint64_t unit = s.mode == ChaseMode::LinePerPage ? s.page_bytes : s.line_bytes;
  if (s.footprint_bytes == 0 || s.footprint_bytes % unit)
    return "footprint " + std::to_string(s.footprint_bytes) + " is not a positive multiple of " +
           std::to_string(unit) + " bytes";
  return std::nullopt;
}

uint64_t chase_slots(const ChaseSpec& s) {
  if (validate(s)) return 0;
  return s.footprint_bytes / (s.mode == ChaseMode::LinePerPage ? s.page_bytes : s.line_bytes);
}

std::vector<uint64_t> chase_lap(const ChaseSpec& s) {
  const uint64_t n = chase_slots(s);
  std::vector<uint64_t> order = shuffled(n, s.seed);
  const uint64_t lines_per_page = s.page_bytes / s.line_bytes;
  for (uint64_t& slot : order) {
    if (s.mode == ChaseMode::EveryLine) {
      slot *= s.line_bytes;
    } else {
      const uint64_t line = (slot * kLineMultiplier) & (lines_per_page - 1);
      slot = slot * s.page_bytes + line * s.line_bytes;
    }
  }
  return order;
}

}  // namespace nptsim::calibrate
