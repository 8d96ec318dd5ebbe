#include "models/core/timing/core_timeline.h"

#include <algorithm>

namespace nptsim {

CoreTimeline::CoreTimeline(const CoreTimingConfig& c)
    : cfg_(c),
      walker_free_(std::max<uint32_t>(1, c.walkers), 0.0),
      fill_free_(std::max<uint32_t>(1, c.fill_buffers), 0.0),
      walks_(walker_free_.size()) {
  cfg_.window = std::max<uint32_t>(1, c.window);
  size_t ring = 1;
  while (ring < cfg_.window) ring <<= 1;
  ring_.resize(ring);
  ring_mask_ = ring - 1;
}

void CoreTimeline::reset() { *this = CoreTimeline(cfg_); }

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

double CoreTimeline::translate(const AccessTiming& a, double issue) {
  double t = issue + static_cast<double>(a.lookup_cycles);
  if (a.walked) {
    const size_t w = earliest(walker_free_);
    const double start = std::max(t, walker_free_[w]);
    stats_.walker_wait_cycles += static_cast<uint64_t>(start - t);
    const double done = start + static_cast<double>(a.walk_cycles);
    walker_free_[w] = done;
    walks_[w] = InFlightWalk{a.addr >> a.page_shift, a.page_shift, done};
    walks_done_ = std::max(walks_done_, done);
    return done;
  }
  return t < walks_done_ ? wait_for_walk(a, t) : t;  // else no walk is still in flight
}

double CoreTimeline::wait_for_walk(const AccessTiming& a, double t) {
  for (const InFlightWalk& w : walks_) {
    if (w.done > t && (a.addr >> w.shift) == w.page) {
      ++stats_.walk_merges;
      t = w.done;
    }
  }
  return t;
}

void CoreTimeline::access_general(const AccessTiming& a) {
  const auto serial =
      static_cast<double>(a.lookup_cycles + a.walk_cycles + a.fault_cycles + a.data_cycles);
  if (cfg_.model == CoreModel::InOrder || a.fault_cycles > 0) {
    // The core waits for this access (in order), or a fault drains everything in flight first.
    double start = std::max(dispatch_, last_retire_);
    for (double f : walker_free_) start = std::max(start, f);
    for (double f : fill_free_) start = std::max(start, f);
    ++index_;
    dispatch_ = last_data_ = last_retire_ = start + serial;
    head_ = slots_ = 0;
    return;
  }
  take_slot();
  const double issue = a.dependent ? std::max(dispatch_, last_data_) : dispatch_;
  push(fetch_data(a, translate(a, issue)));
}

void CoreTimeline::report(StatTree& t, const std::string& prefix) const {
  t.count(prefix + ".walk_merges", stats_.walk_merges);
  t.count(prefix + ".walker_wait_cycles", stats_.walker_wait_cycles);
  t.count(prefix + ".fill_wait_cycles", stats_.fill_wait_cycles);
  t.count(prefix + ".window_stall_cycles", stats_.window_stall_cycles);
}

}  // namespace nptsim
