#include "models/core/timing/core_timeline.h"

#include <algorithm>

namespace nptsim {

CoreTimeline::CoreTimeline(const CoreTimingConfig& c) : cfg_(c) {
  cfg_.window = std::max<uint32_t>(1, c.window);
  for (Lane& l : lanes_) {
    l.walker_free.assign(std::max<uint32_t>(1, c.walkers), 0.0);
    l.fill_free.assign(std::max<uint32_t>(1, c.fill_buffers), 0.0);
    l.walks.resize(l.walker_free.size());
  }
  size_t ring = 1;
  while (ring < cfg_.window) ring <<= 1;
  ring_.resize(ring);
  ring_mask_ = ring - 1;
}

void CoreTimeline::reset() { *this = CoreTimeline(cfg_); }

void CoreTimeline::dispatch(uint64_t n) {
  if (n == 0) return;
  if (cfg_.model == CoreModel::InOrder) {
    index_ += n;
    for (Lane& l : lanes_) l.dispatch += static_cast<double>(n) * cfg_.base_cpi;
    return;
  }
  dispatch_to(index_ + n, cfg_.base_cpi);
}

void CoreTimeline::dispatch_to(uint64_t target, double cost) {
  while (slots_ != 0 && ring_[head_].index + cfg_.window <= target) {
    const Slot s = ring_[head_];
    head_ = (head_ + 1) & ring_mask_;
    --slots_;
    const uint64_t k = s.index + cfg_.window;  // the first instruction that must wait for s
    for (int lane = 0; lane < 2; ++lane) {
      lanes_[lane].dispatch += static_cast<double>(k - index_) * cost;
      if (s.retire[lane] > lanes_[lane].dispatch) stall(lane, s.retire[lane]);
    }
    index_ = k;
  }
  for (Lane& l : lanes_) l.dispatch += static_cast<double>(target - index_) * cost;
  index_ = target;
}

double CoreTimeline::translate(const AccessTiming& a, double issue) {
  Lane& r = lanes_[kReal];
  double t = issue + static_cast<double>(a.lookup_cycles);
  if (a.walked) {
    const size_t w = static_cast<size_t>(
        std::min_element(r.walker_free.begin(), r.walker_free.end()) - r.walker_free.begin());
    const double start = std::max(t, r.walker_free[w]);
    stats_.walker_wait_cycles += static_cast<uint64_t>(start - t);
    const double done = start + static_cast<double>(a.walk_cycles);
    r.walker_free[w] = done;
    r.walks[w] = InFlightWalk{a.addr >> a.page_shift, a.page_shift, done};
    r.walks_done = std::max(r.walks_done, done);
    return done;
  }
  return t < r.walks_done ? wait_for_walk(a, t) : t;  // else no walk is still in flight
}

double CoreTimeline::wait_for_walk(const AccessTiming& a, double t) {
  for (const InFlightWalk& w : lanes_[kReal].walks) {
    if (w.done > t && (a.addr >> w.shift) == w.page) {
      ++stats_.walk_merges;
      t = w.done;
    }
  }
  return t;
}

void CoreTimeline::run_serial(Lane& l, double serial) {
  double start = std::max(l.dispatch, l.last_retire);
  for (double f : l.walker_free) start = std::max(start, f);
  for (double f : l.fill_free) start = std::max(start, f);
  l.dispatch = l.last_data = l.last_retire = start + serial;
}

void CoreTimeline::access_general(const AccessTiming& a) {
  const auto data = static_cast<double>(a.data_cycles);
  if (cfg_.model == CoreModel::InOrder) {  // every access blocks: no window
    ++index_;
    run_serial(lanes_[kReal],
               static_cast<double>(a.lookup_cycles + a.walk_cycles + a.fault_cycles) + data);
    run_serial(lanes_[kIdeal], data);
    return;
  }
  const bool fault = a.fault_cycles > 0;
  take_slot(fault);
  Lane& r = lanes_[kReal];
  if (fault) {  // a fault drains the real lane: handling overlaps with nothing
    run_serial(r, static_cast<double>(a.lookup_cycles + a.walk_cycles + a.fault_cycles) + data);
  } else {
    const double issue = a.dependent ? std::max(r.dispatch, r.last_data) : r.dispatch;
    const double t = translate(a, issue);
    finish(r, a.data_missed_l1 ? fill(r, t, a.data_cycles) : t + data);
  }
  Lane& i = lanes_[kIdeal];
  const double issue = a.dependent ? std::max(i.dispatch, i.last_data) : i.dispatch;
  finish(i, a.data_missed_l1 ? fill(i, issue, a.data_cycles) : issue + data);
  push();
}

void CoreTimeline::report(StatTree& t, const std::string& prefix) const {
  t.count(prefix + ".walk_merges", stats_.walk_merges);
  t.count(prefix + ".walker_wait_cycles", stats_.walker_wait_cycles);
  t.count(prefix + ".fill_wait_cycles", stats_.fill_wait_cycles);
  t.count(prefix + ".window_stall_cycles", stats_.window_stall_cycles);
}

}  // namespace nptsim
