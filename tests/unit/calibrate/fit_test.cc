// Fitting calibration curves: synthetic cache and TLB curves from known hierarchies are
// recovered, with and without noise; the fitted keys are values the simulator accepts.
#include "sim/calibrate/fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "sim/calibrate/fitted_keys.h"

namespace nptsim::calibrate {
namespace {

constexpr double KiB = 1024, MiB = 1024 * KiB;

// y at x of a hierarchy, by the model; `noise` a deterministic relative wobble (+-noise).
std::vector<CurvePoint> curve(const LevelFit& truth, double lo, double hi, double noise) {
  std::vector<CurvePoint> pts;
  int i = 0;
  for (double oct = lo; oct <= hi; oct *= 2) {
    for (double m : {1.0, 1.5}) {
      const double x = oct * m;
      if (x > hi) break;
      const double wobble = noise * std::sin(1.7 * i++);
      const double y = level_model(truth, x) * (1 + wobble);
      pts.push_back({x, y, y});
    }
  }
  return pts;
}

const LevelFit kCaches{{48 * KiB, 1 * MiB, 32 * MiB}, {4, 14, 50, 250}, 0};

TEST(FitLevels, RecoversAnExactCacheHierarchy) {
  const auto f = fit_levels(curve(kCaches, 8 * KiB, 256 * MiB, 0), 4);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->sizes.size(), 3u);
  for (int j = 0; j < 3; ++j) EXPECT_DOUBLE_EQ(f->sizes[j], kCaches.sizes[j]);
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(f->latencies[j], kCaches.latencies[j], 1e-6);
  EXPECT_LT(f->rms, 1e-9);
}

TEST(FitLevels, ToleratesNoise) {
  const auto f = fit_levels(curve(kCaches, 8 * KiB, 256 * MiB, 0.03), 4);
  ASSERT_TRUE(f);
  for (int j = 0; j < 3; ++j) {
    EXPECT_GT(f->sizes[j], kCaches.sizes[j] / 1.3) << j;
    EXPECT_LT(f->sizes[j], kCaches.sizes[j] * 1.3) << j;
  }
  for (int j = 0; j < 4; ++j)
    EXPECT_NEAR(f->latencies[j], kCaches.latencies[j], 0.1 * kCaches.latencies[j]);
}

TEST(FitLevels, RefusesTooFewPoints) {
  EXPECT_FALSE(fit_levels({{1, 1, 1}, {2, 1, 1}, {4, 2, 1}}, 2));
  EXPECT_FALSE(fit_levels({}, 1));
}

TEST(FitLevels, Interpolates) {
  const std::vector<CurvePoint> c = {{1024, 4, 1}, {4096, 8, 1}};
  EXPECT_DOUBLE_EQ(interpolate_log(c, 512), 4);
  EXPECT_DOUBLE_EQ(interpolate_log(c, 2048), 6);
  EXPECT_DOUBLE_EQ(interpolate_log(c, 1 << 20), 8);
  EXPECT_EQ(capacity_grid(64, 128).size(), 8u);
}

// A tlb-4k curve: the cache latency of N lines plus translation (L1 TLB 64 entries, L2 TLB 1536
// entries with a 9-cycle hit penalty, 40-cycle walks).
TEST(FitCalibration, MapsCurvesToKeys) {
  FitInput in;
  in.freq_ghz = 3.0;
  in.freq_measured = true;
  in.cache = curve(kCaches, 8 * KiB, 256 * MiB, 0.005);
  const LevelFit tlb{{64, 1536}, {0, 9, 40}, 0};
  for (double n = 8; n <= 262144; n *= 2) {
    for (double m : {1.0, 1.25, 1.5, 1.75}) {
      const double y = level_model(tlb, n * m) + level_model(kCaches, n * m * 64);
      in.tlb4k.push_back({n * m, y, y});
    }
  }
  const FitResult r = fit_calibration(in, Rounding{});
  std::map<std::string, std::string> k;
  for (const auto& f : r.keys) k[f.key] = f.value;
  EXPECT_EQ(k["core.freq_ghz"], "3.00");
  EXPECT_EQ(k["mem.l1d.size"], "48KiB");
  EXPECT_EQ(k["mem.l2.size"], "1MiB");
  EXPECT_EQ(k["mem.llc.size"], "32MiB");
  EXPECT_EQ(k["mem.l1d.latency"], "4");
  EXPECT_EQ(k["mem.dram_latency"], "250");
  EXPECT_EQ(k["tlb.l1d.entries"], "64");
  EXPECT_EQ(k["tlb.l2.entries"], "1536");
  EXPECT_EQ(k["tlb.l2.latency"], "9");
  for (const auto& n : r.notes) ADD_FAILURE() << "unexpected note: " << n;
}

TEST(FitCalibration, RoundsToWhatTheSimulatorAccepts) {
  EXPECT_EQ(round_to_multiple(2048, 12), 2052u);
  EXPECT_EQ(round_to_multiple(72, 4), 72u);
  EXPECT_EQ(round_to_multiple(1, 12), 12u);
}

TEST(FitCalibration, FlatCurvesGiveNoKeys) {
  FitInput in;
  for (double x = 8 * KiB; x <= 1 * MiB; x *= 2) in.cache.push_back({x, 4, 4});
  const FitResult r = fit_calibration(in, Rounding{});
  EXPECT_TRUE(r.keys.empty());
  EXPECT_FALSE(r.notes.empty());
}

}  // namespace
}  // namespace nptsim::calibrate
