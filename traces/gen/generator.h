// Synthetic access streams, seeded and deterministic (the same config gives the same records on
// every machine: only std::mt19937_64 and integer arithmetic decide them).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "traces/gen/permutation.h"
#include "traces/gen/zipf.h"
#include "traces/record.h"

namespace nptsim::trace {

// seq: consecutive accesses; stride: every `stride` bytes; uniform: uniformly random;
// zipf: pages by a Zipf(s) popularity, hot pages scattered over the footprint; gups: random
// read-modify-write (a read, then a write of the same address); chase: a pointer chase that
// visits every 64-byte slot of the footprint once per lap in a pseudo-random order.
enum class Pattern { Seq, Stride, Uniform, Zipf, Gups, Chase };
const char* to_string(Pattern p);
std::optional<Pattern> parse_pattern(std::string_view s);

constexpr uint64_t kDefaultGvaBase = 0x7f00'0000'0000;  // a typical user-space mmap address

struct GenConfig {
  Pattern pattern = Pattern::Uniform;
  uint64_t count = 1'000'000;              // records
  uint64_t footprint = uint64_t{1} << 30;  // bytes covered, from `base`
  uint64_t stride = 64;                    // bytes, for Pattern::Stride
  double write_ratio = 0.0;                // probability that an access is a write (not gups)
  double zipf_s = 0.99;                    // Zipf exponent
  uint64_t seed = 1;
  AddrKind kind = AddrKind::GuestPhysical;
  uint64_t base = 0;
  uint8_t size = 8;  // bytes per access
};

// Returns an error message for an impossible config, or nothing when it is valid.
std::optional<std::string> validate(const GenConfig& c);

class Generator {
  __extension__ typedef unsigned __int128 U128;

 public:
  explicit Generator(const GenConfig& c);  // c must be valid
  // Fills up to `max` records (max >= 2); 0 when `count` records were produced.
  size_t next(TraceRecord* out, size_t max);

 private:
  // Uniform in [0, n): the high half of a 64x64-bit product (Lemire's multiply-shift).
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<U128>(rng_()) * n) >> 64);
  }
  double uniform01() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  bool coin(double p) { return p > 0 && uniform01() < p; }
  uint64_t next_offset();

  GenConfig c_;
  std::mt19937_64 rng_;
  uint64_t produced_ = 0;
  uint64_t step_ = 0;
  uint64_t slots_;  // footprint / size
  Permutation perm_;
  std::optional<ZipfSampler> zipf_;
};

}  // namespace nptsim::trace
