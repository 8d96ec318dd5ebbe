#include "models/core/stats/stat_tree.h"

#include "models/core/mmu/latency_histogram.h"

namespace nptsim {

void StatTree::histogram(const std::string& path, const LatencyHistogram& h) {
  value(path + ".mean", h.mean());
  count(path + ".p50", h.percentile(0.5));
  count(path + ".p99", h.percentile(0.99));
  count(path + ".max", h.max());
}

uint64_t StatTree::at(const std::string& path) const {
  for (const Entry& e : entries_) {
    if (e.is_count && e.path == path) return e.count;
  }
  return 0;
}

uint64_t StatTree::sum_vcpus(const std::string& suffix) const {
  uint64_t sum = 0;
  for (const Entry& e : entries_) {
    if (!e.is_count || e.path.rfind("vcpu", 0) != 0) continue;
    const size_t dot = e.path.find('.');
    if (dot != std::string::npos && e.path.compare(dot + 1, std::string::npos, suffix) == 0)
      sum += e.count;
  }
  return sum;
}

}  // namespace nptsim
