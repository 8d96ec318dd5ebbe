// Fitting calibration curves (pure functions, no I/O): a latency curve measured over growing
// footprints is explained by a hierarchy of levels (caches, or TLBs) of unknown capacities and
// latencies.
//
// The model: with uniformly random accesses over x units (lines, pages) and a level holding S
// units (LRU, fully associative), the share of accesses served at or above that level is
// min(1, S / x). With capacities S_1 < ... < S_{k-1} and latencies L_1 .. L_k (L_k: beyond the
// last level: DRAM, or a page walk),
//   y(x) = sum_j L_j * (h_j(x) - h_{j-1}(x)),  h_0 = 0, h_j = min(1, S_j / x), h_k = 1.
// An exclusive level (AMD's L3 victim cache) shows up with the capacity of itself and the levels
// above it. Given the capacities the latencies are a weighted linear least-squares problem; the
// capacities are searched over a grid of 8 values per octave (m/8 * 2^e, m = 8..15), which
// contains the sizes real structures have (48 KiB, 1.25 MiB, 72, 1536, 3072 entries, ...).
#pragma once

#include <optional>
#include <vector>

namespace nptsim::calibrate {

struct CurvePoint {
  double x = 0;      // footprint: bytes, lines or pages (> 0)
  double y = 0;      // latency, cycles (or ns) per access
  double sigma = 1;  // the point's uncertainty scale (> 0): residuals are divided by it
};

struct LevelFit {
  std::vector<double> sizes;      // S_1 < ... < S_{k-1}, in units of x
  std::vector<double> latencies;  // L_1 <= ... <= L_k
  double rms = 0;                 // root mean square of (model - y) / sigma
};

// The model's y at x.
double level_model(const LevelFit& f, double x);

// The capacities, from the grid inside [min x, max x), and latencies of `levels` levels (>= 1)
// that minimise the sum of squared (model - y) / sigma, latencies non-decreasing. Nothing when
// there are fewer points than unknowns or no capacities give non-decreasing latencies.
std::optional<LevelFit> fit_levels(const std::vector<CurvePoint>& points, int levels);

// y at x of a curve sorted by x: linear in log2(x) between points, the end values beyond them.
// 0 for an empty curve.
double interpolate_log(const std::vector<CurvePoint>& curve, double x);

// The grid of candidate capacities in [lo, hi): m/8 * 2^e, m = 8..15.
std::vector<double> capacity_grid(double lo, double hi);

}  // namespace nptsim::calibrate
