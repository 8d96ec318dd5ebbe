#include "sim/calibrate/series.h"

namespace nptsim::calibrate {

namespace {

constexpr uint64_t KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

}  // namespace

const std::vector<SeriesDef>& series_defs() {
  // Ranges: the 4 KiB series reaches 262144 pages (1 GiB), past every L2 TLB reach published
  // (Intel Skylake 1536 entries, Golden Cove 2048, AMD Zen 4 3072; vendor manuals) by 64x; the
  // 2 MiB series 2048 pages (4 GiB); the cache series 256 MiB, 8x the largest L3 of a single
  // Zen 4 CCD (32 MiB) so that DRAM dominates its last points. Quick: a few small points.
  static const std::vector<SeriesDef> defs = {
      {"tlb-4k", ChaseMode::LinePerPage, 4 * KiB, 8 * 4 * KiB, 1 * GiB, 1 * MiB, 4,
       "one line per 4 KiB page, pages in random order"},
      {"tlb-2m", ChaseMode::LinePerPage, 2 * MiB, 8 * 2 * MiB, 4 * GiB, 32 * MiB, 4,
       "one line per 2 MiB page, pages in random order"},
      {"cache", ChaseMode::EveryLine, 2 * MiB, 8 * KiB, 256 * MiB, 1 * MiB, 2,
       "every line of the footprint in random order, 2 MiB pages"},
  };
  return defs;
}

const SeriesDef* find_series(const std::string& name) {
  for (const SeriesDef& s : series_defs())
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<uint64_t> series_footprints(const SeriesDef& s, uint64_t max_footprint, bool quick) {
  const uint64_t unit = s.mode == ChaseMode::LinePerPage ? s.page_bytes : 64;
  const int per_octave = quick ? 1 : s.points_per_octave;
  std::vector<uint64_t> out;
  for (uint64_t octave = s.min_footprint; octave <= max_footprint; octave *= 2) {
    for (int i = 0; i < per_octave; ++i) {
      // The i-th of per_octave points: octave * (1 + i / per_octave).
      const uint64_t f =
          (octave + octave / static_cast<uint64_t>(per_octave) * static_cast<uint64_t>(i)) / unit *
          unit;
      if (f > max_footprint) break;
      if (f > 0 && (out.empty() || f > out.back())) out.push_back(f);
    }
    if (octave > max_footprint / 2) break;
  }
  return out;
}

uint64_t mapped_bytes(const SeriesDef& s, uint64_t footprint) {
  return (footprint + s.page_bytes - 1) / s.page_bytes * s.page_bytes;
}

}  // namespace nptsim::calibrate
