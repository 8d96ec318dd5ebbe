#include "sim/calibrate/fit.h"

#include <algorithm>
#include <cmath>

namespace nptsim::calibrate {

namespace {

constexpr int kMaxLevels = 6;

// Solves the k x k system a * sol = b in place (Gaussian elimination, partial pivoting); false
// when it is singular.
bool solve(int k, double a[kMaxLevels][kMaxLevels], double b[kMaxLevels], double sol[kMaxLevels]) {
  double scale = 0;
  for (int i = 0; i < k; ++i) scale = std::max(scale, std::fabs(a[i][i]));
  if (scale <= 0) return false;
  for (int c = 0; c < k; ++c) {
    int p = c;
    for (int r = c + 1; r < k; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
    if (std::fabs(a[p][c]) <= 1e-12 * scale) return false;
    std::swap(a[p], a[c]);
    std::swap(b[p], b[c]);
    for (int r = c + 1; r < k; ++r) {
      const double f = a[r][c] / a[c][c];
      for (int j = c; j < k; ++j) a[r][j] -= f * a[c][j];
      b[r] -= f * b[c];
    }
  }
  for (int c = k - 1; c >= 0; --c) {
    double s = b[c];
    for (int j = c + 1; j < k; ++j) s -= a[c][j] * sol[j];
    sol[c] = s / a[c][c];
  }
  return true;
}

// The search: every increasing choice of k-1 capacities from the grid, the best fit kept.
class Search {
 public:
  Search(const std::vector<CurvePoint>& pts, int levels)
      : pts_(pts), k_(levels), chosen_(static_cast<size_t>(levels - 1)) {
    double lo = pts[0].x, hi = pts[0].x;
    for (const auto& p : pts) lo = std::min(lo, p.x), hi = std::max(hi, p.x);
    grid_ = capacity_grid(lo, hi);
    for (double s : grid_) {
      std::vector<double> h;
      for (const auto& p : pts) h.push_back(std::min(1.0, s / p.x));
      hits_.push_back(std::move(h));
    }
  }

  std::optional<LevelFit> run() {
    if (k_ == 1) {
      try_choice();
    } else if (static_cast<int>(grid_.size()) >= k_ - 1) {
      recurse(0, 0);
    }
    if (!best_) return std::nullopt;
    best_->rms = std::sqrt(best_rss_ / static_cast<double>(pts_.size()));
    return best_;
  }

 private:
  void recurse(size_t depth, size_t from) {
    for (size_t g = from; g < grid_.size(); ++g) {
      chosen_[depth] = g;
      if (static_cast<int>(depth) + 2 == k_) {
        try_choice();
      } else {
        recurse(depth + 1, g + 1);
      }
    }
  }

  // h_j at point i under the current choice (h_0 = 0, h_k = 1).
  double h(int j, size_t i) const {
    if (j == 0) return 0;
    if (j == k_) return 1;
    return hits_[chosen_[j - 1]][i];
  }

  void try_choice() {
    double a[kMaxLevels][kMaxLevels] = {}, b[kMaxLevels] = {}, lat[kMaxLevels] = {};
    for (size_t i = 0; i < pts_.size(); ++i) {
      double col[kMaxLevels];
      for (int j = 0; j < k_; ++j) col[j] = (h(j + 1, i) - h(j, i)) / pts_[i].sigma;
      const double y = pts_[i].y / pts_[i].sigma;
      for (int r = 0; r < k_; ++r) {
        b[r] += col[r] * y;
        for (int c = 0; c < k_; ++c) a[r][c] += col[r] * col[c];
      }
    }
    if (!solve(k_, a, b, lat)) return;
    for (int j = 1; j < k_; ++j)
      if (lat[j] < lat[j - 1]) return;
    LevelFit f;
    for (int j = 0; j + 1 < k_; ++j) f.sizes.push_back(grid_[chosen_[j]]);
    f.latencies.assign(lat, lat + k_);
    double rss = 0;
    for (const auto& p : pts_) {
      const double r = (level_model(f, p.x) - p.y) / p.sigma;
      rss += r * r;
    }
    if (!best_ || rss < best_rss_) best_ = std::move(f), best_rss_ = rss;
  }

  const std::vector<CurvePoint>& pts_;
  const int k_;
  std::vector<double> grid_;
  std::vector<std::vector<double>> hits_;  // [grid index][point]: min(1, S / x)
  std::vector<size_t> chosen_;             // grid indices of S_1 .. S_{k-1}
  std::optional<LevelFit> best_;
  double best_rss_ = 0;
};

}  // namespace

double level_model(const LevelFit& f, double x) {
  double y = 0, below = 0;
  for (size_t j = 0; j < f.latencies.size(); ++j) {
    const double h = j < f.sizes.size() ? std::min(1.0, f.sizes[j] / x) : 1.0;
    y += f.latencies[j] * (h - below);
    below = h;
  }
  return y;
}

std::vector<double> capacity_grid(double lo, double hi) {
  std::vector<double> g;
  if (!(lo > 0) || !(hi > lo)) return g;
  for (double octave = std::exp2(std::floor(std::log2(lo))); octave < hi; octave *= 2) {
    for (int m = 8; m < 16; ++m) {
      const double s = octave * m / 8;
      if (s >= lo && s < hi) g.push_back(s);
    }
  }
  return g;
}

std::optional<LevelFit> fit_levels(const std::vector<CurvePoint>& points, int levels) {
  if (levels < 1 || levels > kMaxLevels) return std::nullopt;
  // Unknowns: k latencies and k-1 capacities.
  if (static_cast<int>(points.size()) < 2 * levels) return std::nullopt;
  for (const auto& p : points)
    if (!(p.x > 0) || !(p.sigma > 0) || !std::isfinite(p.y)) return std::nullopt;
  return Search(points, levels).run();
}

double interpolate_log(const std::vector<CurvePoint>& curve, double x) {
  if (curve.empty()) return 0;
  if (x <= curve.front().x) return curve.front().y;
  if (x >= curve.back().x) return curve.back().y;
  size_t i = 1;
  while (curve[i].x < x) ++i;
  const CurvePoint &a = curve[i - 1], &b = curve[i];
  const double t = (std::log2(x) - std::log2(a.x)) / (std::log2(b.x) - std::log2(a.x));
  return a.y + t * (b.y - a.y);
}

}  // namespace nptsim::calibrate
