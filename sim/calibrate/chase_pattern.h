// The access pattern of one calibration measurement: the byte offsets, within the measured
// footprint, of one lap of a pointer-chase cycle. A pure function of its specification (no OS
// calls), identical on every machine and standard library, so that `nptsim calibrate` (native
// timing) and a replay through the simulator visit exactly the same addresses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nptsim::calibrate {

enum class ChaseMode {
  LinePerPage,  // one line in each page: the TLB series (one translation per access)
  EveryLine,    // every line of the footprint: the cache-latency series
};

const char* to_string(ChaseMode m);  // "line-per-page", "every-line"

// The line a LinePerPage chase uses in page p (counting pages from the start of the footprint):
//   line(p) = (p * kLineMultiplier) mod (page_bytes / line_bytes)
// The multiplier is odd and lines per page a power of two, so any 2^k consecutive pages with
// 2^k <= lines per page use 2^k distinct lines: with 4 KiB pages and 64-byte lines, 64
// consecutive pages cover all 64 line slots of a page, i.e. all sets of a VIPT L1 (whose set
// index lies in the page offset), and N pages put N/64 lines in each slot (+-1).
constexpr uint64_t kLineMultiplier = 0x9E3779B1;  // odd: 2^32 / golden ratio
extern const char* const kLineRule;               // the rule above, for reports

struct ChaseSpec {
  ChaseMode mode = ChaseMode::LinePerPage;
  uint64_t page_bytes = 4096;  // a power of two, >= line_bytes
  // LinePerPage: a whole number of pages; EveryLine: a whole number of lines.
  uint64_t footprint_bytes = 0;
  uint64_t seed = 1;
  uint64_t line_bytes = 64;  // a power of two >= 8 (one pointer per slot)
};

// Nothing when `s` is usable, else what is wrong.
std::optional<std::string> validate(const ChaseSpec& s);

// Slots visited per lap: pages (LinePerPage) or lines (EveryLine).
uint64_t chase_slots(const ChaseSpec& s);

// The offsets of one lap, in visiting order: every slot exactly once, in the order of a seeded
// random permutation; the slot after the last is the first (one cycle). Each offset is
// line-aligned and below footprint_bytes. Empty when validate(s) fails.
//
// The permutation: std::mt19937_64 seeded with `seed`, a Fisher-Yates shuffle drawing each
// index in [0, i] by rejection sampling (unbiased, integer-only), so the order depends only on
// the seed and the slot count (not on std::shuffle or uniform_int_distribution, whose
// algorithms differ between standard libraries).
std::vector<uint64_t> chase_lap(const ChaseSpec& s);

}  // namespace nptsim::calibrate
