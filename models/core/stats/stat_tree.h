// StatTree: the statistics of one run, as named counters and derived values. Each component
// owns its counters and adds them under its path (`vcpu0.tlb.l2.hits`,
// `vcpu0.walk_cache.s2.hits.2M`, `hypervisor.exits.nested_fault`); the report writers print any
// tree in text, JSON and CSV without knowing what is in it (docs/REPORT.md lists the paths).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nptsim {

class LatencyHistogram;

class StatTree {
 public:
  struct Entry {
    std::string path;
    bool is_count = true;  // a counter (exact) or a derived value (a mean, a ratio)
    uint64_t count = 0;
    double value = 0;
  };

  void count(const std::string& path, uint64_t v) { entries_.push_back(Entry{path, true, v, 0}); }
  void value(const std::string& path, double v) { entries_.push_back(Entry{path, false, 0, v}); }
  // mean, p50, p99 and max of a histogram under `path`.
  void histogram(const std::string& path, const LatencyHistogram& h);

  const std::vector<Entry>& entries() const { return entries_; }
  // The counter at `path`, or 0 when there is none.
  uint64_t at(const std::string& path) const;
  // The sum of the counters `vcpuN.<suffix>` over every vCPU N.
  uint64_t sum_vcpus(const std::string& suffix) const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace nptsim
