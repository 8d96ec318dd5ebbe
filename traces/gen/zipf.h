// ZipfSampler: ranks 1..n with P(k) proportional to k^-s, in O(1) memory and expected O(1) time
// per sample (rejection-inversion, W. Hörmann and G. Derflinger, "Rejection-inversion to generate
// variates from monotone discrete distributions", ACM TOMACS 6(3), 1996).
#pragma once

#include <cstdint>

namespace nptsim::trace {

class ZipfSampler {
 public:
  ZipfSampler(uint64_t n, double s);  // n >= 1, s > 0
  // A rank in [1, n], given a source of uniform doubles in [0, 1).
  template <class Uniform01>
  uint64_t sample(Uniform01&& u01) const {
    for (;;) {
      const double u = h_integral_n_ + u01() * (h_integral_x1_ - h_integral_n_);
      const double x = h_integral_inverse(u);
      double kd = x + 0.5;
      if (kd < 1) kd = 1;
      if (kd > static_cast<double>(n_)) kd = static_cast<double>(n_);
      const auto k = static_cast<uint64_t>(kd);
      const double kk = static_cast<double>(k);
      if (kk - x <= s_sample_ || u >= h_integral(kk + 0.5) - h(kk)) return k;
    }
  }

 private:
  double h(double x) const;
  double h_integral(double x) const;
  double h_integral_inverse(double x) const;

  uint64_t n_;
  double s_;
  double h_integral_x1_, h_integral_n_, s_sample_;
};

}  // namespace nptsim::trace
