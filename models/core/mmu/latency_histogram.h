// LatencyHistogram: exact counts of small latencies and log-spaced buckets above, for mean,
// percentiles and max in constant memory.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace nptsim {

class LatencyHistogram {
 public:
  void add(uint64_t cycles);
  uint64_t count() const { return count_; }
  double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0;
  }
  uint64_t max() const { return max_; }
  // The smallest latency L such that at least q of the samples are <= L (exact below 4096
  // cycles, the upper bound of a 1/16-octave bucket above).
  uint64_t percentile(double q) const;
  void merge(const LatencyHistogram& o);
  // Calls fn(upper bound of the bucket, samples in it) for every non-empty bucket, in order.
  template <class F>
  void for_each_bucket(F&& fn) const {
    for (size_t b = 0; b < buckets_.size(); ++b) {
      if (buckets_[b]) fn(upper_of(static_cast<int>(b)), buckets_[b]);
    }
  }

 private:
  static constexpr uint64_t kExact = 4096;
  static constexpr int kSub = 16;  // buckets per power of two above kExact
  static int bucket_of(uint64_t v);
  static uint64_t upper_of(int bucket);
  std::array<uint64_t, kExact + 64 * kSub> buckets_{};
  uint64_t count_ = 0, sum_ = 0, max_ = 0;
};

}  // namespace nptsim
