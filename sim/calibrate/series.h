// The series `nptsim calibrate` measures and the footprints of their points (pure functions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibrate/chase_pattern.h"

namespace nptsim::calibrate {

struct SeriesDef {
  std::string name;  // tlb-4k, tlb-2m, cache
  ChaseMode mode;
  uint64_t page_bytes;
  uint64_t min_footprint;  // the first point
  uint64_t default_max;    // the last point unless --max-footprint lowers it
  uint64_t quick_max;      // the last point with --quick
  int points_per_octave;   // 1, 2 or 4 (x1.25 x1.5 x1.75 between the doublings)
  const char* what;        // one line for reports
};

// tlb-4k, tlb-2m, cache, in the order they run.
const std::vector<SeriesDef>& series_defs();
const SeriesDef* find_series(const std::string& name);

// The footprints of a series' points, ascending: from min_footprint to `max_footprint`, each a
// doubling or (points_per_octave 2, 4) an intermediate of x1.25, x1.5, x1.75, rounded down to
// whole pages (line-per-page) or lines (every-line). `quick`: one point per octave.
std::vector<uint64_t> series_footprints(const SeriesDef& s, uint64_t max_footprint, bool quick);

// Bytes a point of `footprint` maps: whole pages of the series' page size.
uint64_t mapped_bytes(const SeriesDef& s, uint64_t footprint);

}  // namespace nptsim::calibrate
