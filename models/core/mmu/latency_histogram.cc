#include "models/core/mmu/latency_histogram.h"

namespace nptsim {

int LatencyHistogram::bucket_of(uint64_t v) {
  if (v < kExact) return static_cast<int>(v);
  const int msb = 63 - __builtin_clzll(v);  // >= 12
  const int sub = static_cast<int>((v >> (msb - 4)) & (kSub - 1));
  return static_cast<int>(kExact) + (msb - 12) * kSub + sub;
}

uint64_t LatencyHistogram::upper_of(int b) {
  if (b < static_cast<int>(kExact)) return static_cast<uint64_t>(b);
  const int msb = (b - static_cast<int>(kExact)) / kSub + 12;
  const int sub = (b - static_cast<int>(kExact)) % kSub;
  return ((uint64_t{kSub} + static_cast<uint64_t>(sub) + 1) << (msb - 4)) - 1;
}

void LatencyHistogram::add(uint64_t cycles) {
  ++buckets_[static_cast<size_t>(bucket_of(cycles))];
  ++count_;
  sum_ += cycles;
  if (cycles > max_) max_ = cycles;
}

uint64_t LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  const auto need = static_cast<uint64_t>(q * static_cast<double>(count_) + 0.999999);
  uint64_t seen = 0;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= (need ? need : 1))
      return upper_of(static_cast<int>(b)) < max_ ? upper_of(static_cast<int>(b)) : max_;
  }
  return max_;
}

void LatencyHistogram::merge(const LatencyHistogram& o) {
  for (size_t b = 0; b < buckets_.size(); ++b) buckets_[b] += o.buckets_[b];
  count_ += o.count_;
  sum_ += o.sum_;
  if (o.max_ > max_) max_ = o.max_;
}

}  // namespace nptsim
