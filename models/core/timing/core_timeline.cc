#include "models/core/timing/core_timeline.h"

#include <algorithm>

namespace nptsim {

CoreTimeline::CoreTimeline(const CoreTimingConfig& c)
    : cfg_(c),
      walker_free_(std::max<uint32_t>(1, c.walkers), 0.0),
      fill_free_(std::max<uint32_t>(1, c.fill_buffers), 0.0),
      walks_(walker_free_.size()) {
  cfg_.window = std::max<uint32_t>(1, c.window);
}

void CoreTimeline::reset() { *this = CoreTimeline(cfg_); }

uint64_t CoreTimeline::end() const {
  return static_cast<uint64_t>(std::max(dispatch_, last_retire_));
}

size_t CoreTimeline::earliest(const std::vector<double>& pool) {
  return static_cast<size_t>(std::min_element(pool.begin(), pool.end()) - pool.begin());
}

void CoreTimeline::dispatch(uint64_t n) {
  if (n == 0) return;
  if (cfg_.model == CoreModel::InOrder) {
    index_ += n;
    dispatch_ += static_cast<double>(n) * cfg_.base_cpi;
    return;
  }
  dispatch_to(index_ + n, cfg_.base_cpi);
}

void CoreTimeline::dispatch_to(uint64_t target, double cost) {
  // Only the accesses can hold the window (other instructions retire as they dispatch), and
  // retirement is in order: instruction k waits for the access `window` places before it.
  while (!window_.empty() && window_.front().index + cfg_.window <= target) {
    const Slot s = window_.front();
    window_.pop_front();
    const uint64_t k = s.index + cfg_.window;  // the first instruction that must wait for s
    dispatch_ += static_cast<double>(k - index_) * cost;
    index_ = k;
    if (s.retire > dispatch_) {
      stats_.window_stall_cycles += static_cast<uint64_t>(s.retire - dispatch_);
      dispatch_ = s.retire;
    }
  }
  dispatch_ += static_cast<double>(target - index_) * cost;
  index_ = target;
}

double CoreTimeline::translate(const AccessTiming& a, double issue) {
  double t = issue + static_cast<double>(a.lookup_cycles);
  if (a.walked) {
    const size_t w = earliest(walker_free_);
    const double start = std::max(t, walker_free_[w]);
    stats_.walker_wait_cycles += static_cast<uint64_t>(start - t);
    const double done = start + static_cast<double>(a.walk_cycles);
    walker_free_[w] = done;
    walks_[w] = InFlightWalk{a.addr >> a.page_shift, a.page_shift, done};
    return done;
  }
  for (const InFlightWalk& w : walks_) {  // a hit on a page still being walked: wait for it
    if (w.done > t && (a.addr >> w.shift) == w.page) {
      ++stats_.walk_merges;
      t = w.done;
    }
  }
  return t;
}

double CoreTimeline::fetch_data(const AccessTiming& a, double translated) {
  if (!a.data_missed_l1) return translated + static_cast<double>(a.data_cycles);
  const size_t f = earliest(fill_free_);
  const double start = std::max(translated, fill_free_[f]);
  stats_.fill_wait_cycles += static_cast<uint64_t>(start - translated);
  fill_free_[f] = start + static_cast<double>(a.data_cycles);
  return fill_free_[f];
}

void CoreTimeline::access(const AccessTiming& a) {
  const auto serial =
      static_cast<double>(a.lookup_cycles + a.walk_cycles + a.fault_cycles + a.data_cycles);
  if (cfg_.model == CoreModel::InOrder || a.fault_cycles > 0) {
    // The core waits for this access (in order), or a fault drains everything in flight first.
    double start = std::max(dispatch_, last_retire_);
    for (double f : walker_free_) start = std::max(start, f);
    for (double f : fill_free_) start = std::max(start, f);
    ++index_;
    dispatch_ = last_data_ = last_retire_ = start + serial;
    window_.clear();
    return;
  }
  dispatch_to(index_ + 1, 0.0);
  const double issue = a.dependent ? std::max(dispatch_, last_data_) : dispatch_;
  const double data = fetch_data(a, translate(a, issue));
  last_data_ = data;
  last_retire_ = std::max(last_retire_, data);
  window_.push_back(Slot{index_, last_retire_});
}

void CoreTimeline::report(StatTree& t, const std::string& prefix) const {
  t.count(prefix + ".walk_merges", stats_.walk_merges);
  t.count(prefix + ".walker_wait_cycles", stats_.walker_wait_cycles);
  t.count(prefix + ".fill_wait_cycles", stats_.fill_wait_cycles);
  t.count(prefix + ".window_stall_cycles", stats_.window_stall_cycles);
}

}  // namespace nptsim
