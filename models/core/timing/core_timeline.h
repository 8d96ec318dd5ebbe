// CoreTimeline: when a trace-driven core's accesses complete, and so how long its trace takes
// (docs/LATENCIES.md, "Memory-level parallelism"). The translation path and the caches decide
// *what* each access costs, in trace order; the timeline decides how those costs overlap:
//   inorder: every access blocks the core: time = instructions x base CPI + every access's
//            translation and data latency, in series.
//   window:  an out-of-order window of `window` instructions (a reorder buffer). Instructions
//            dispatch at base CPI; an access issues when it dispatches (or, when it depends on the
//            previous access, when that one's data arrives), and retires in order; an instruction
//            cannot dispatch until the one `window` places before it has retired. Accesses within
//            the window overlap their walks (at most `walkers` at once: a TLB miss waits for a
//            free walker) and their L1 misses (at most `fill_buffers` at once). A TLB hit on a
//            page whose walk is still in flight waits for that walk (an MSHR merge). A fault
//            drains the window: handling a VM exit or guest fault overlaps with nothing.
// The access's own instruction takes a window slot but no dispatch cycle (the trace's gap counts
// the instructions between accesses). Deterministic: pure arithmetic on the given latencies.
// Two lanes run side by side on the same instructions: the real one, and one where translation
// is free (no TLB lookup, walk or fault cost; the same data latencies); the difference of their
// completion times is what translation costs after overlap. They share the window's slots (the
// same instructions), each with its own times.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/stats/stat_tree.h"

namespace nptsim {

enum class CoreModel : uint8_t { InOrder, Window };

struct CoreTimingConfig {
  CoreModel model = CoreModel::Window;
  uint32_t window = 224;       // instructions in flight (reorder buffer entries)
  double base_cpi = 1.0;       // cycles per dispatched instruction
  uint32_t walkers = 2;        // page walks in flight at once
  uint32_t fill_buffers = 10;  // L1 data misses in flight at once
};

// One access as the timeline sees it: the latencies the model charged, and what they were for.
struct AccessTiming {
  uint64_t lookup_cycles = 0;  // TLB lookups (all of the translation on a TLB hit)
  uint64_t walk_cycles = 0;    // the page walk after a TLB miss (0 on a hit)
  uint64_t fault_cycles = 0;   // fault handling and retried translations: serialising
  uint64_t data_cycles = 0;    // the data access itself
  bool walked = false;
  bool data_missed_l1 = false;  // needs a fill buffer
  bool dependent = false;       // issues only when the previous access's data has arrived
  uint64_t addr = 0;            // trace address, for MSHR merging
  uint8_t page_shift = 12;      // size of the page the walk found
};

struct TimelineStats {
  uint64_t walk_merges = 0;          // TLB hits that waited for an in-flight walk of their page
  uint64_t walker_wait_cycles = 0;   // TLB misses waiting for a free walker
  uint64_t fill_wait_cycles = 0;     // L1 misses waiting for a free fill buffer
  uint64_t window_stall_cycles = 0;  // dispatch held because the window was full
};

class CoreTimeline {
 public:
  explicit CoreTimeline(const CoreTimingConfig& c);
  // `n` instructions without accesses of their own dispatch (a record's gap, a fetch record).
  void dispatch(uint64_t n);
  // The next access: it takes a window slot and issues, in both lanes. The common case (window
  // model, an independent access with no walk or fault) is decided inline.
  void access(const AccessTiming& a) {
    if (cfg_.model == CoreModel::InOrder || a.fault_cycles > 0 || a.walked || a.dependent) {
      return access_general(a);
    }
    take_slot(false);
    Lane& r = lanes_[kReal];
    double t = r.dispatch + static_cast<double>(a.lookup_cycles);
    if (t < r.walks_done) t = wait_for_walk(a, t);
    finish(r,
           a.data_missed_l1 ? fill(r, t, a.data_cycles) : t + static_cast<double>(a.data_cycles));
    Lane& i = lanes_[kIdeal];
    finish(i, a.data_missed_l1 ? fill(i, i.dispatch, a.data_cycles)
                               : i.dispatch + static_cast<double>(a.data_cycles));
    push();
  }
  // Work that overlaps with nothing (a hypervisor event's exit): the real lane drains, then
  // spends `cycles`; the translation-free lane is not charged.
  void serialise(uint64_t cycles) { run_serial(lanes_[kReal], static_cast<double>(cycles)); }
  // The cycle the next instruction dispatches at (the clock the DRAM queue model reads).
  uint64_t now() const { return cycles(lanes_[kReal].dispatch); }
  // The cycle by which everything so far has completed; and with translation free.
  uint64_t end() const { return lanes_[kReal].end(); }
  uint64_t ideal_end() const { return lanes_[kIdeal].end(); }
  const TimelineStats& stats() const { return stats_; }
  // prefix.{walk_merges,walker_wait_cycles,fill_wait_cycles,window_stall_cycles}
  void report(StatTree& t, const std::string& prefix) const;
  // Time restarts at 0 with nothing in flight (after a warm-up).
  void reset();

 private:
  // Whole cycles of a time (non-negative, far below 2^63: the signed conversion is one
  // instruction, the unsigned one a branch).
  static uint64_t cycles(double t) { return static_cast<uint64_t>(static_cast<int64_t>(t)); }
  struct InFlightWalk {
    uint64_t page = 0;
    uint8_t shift = 0;
    double done = 0;
  };
  // One lane's times.
  struct Lane {
    double dispatch = 0;     // the cycle the last instruction dispatched at
    double last_data = 0;    // when the previous access's data arrived
    double last_retire = 0;  // when the last access retires
    double walks_done = 0;   // when the last in-flight walk ends
    std::vector<double> walker_free;
    std::vector<double> fill_free;    // a min-heap: only the earliest free time is ever taken
    std::vector<InFlightWalk> walks;  // the last walk of each walker
    uint64_t end() const { return cycles(dispatch > last_retire ? dispatch : last_retire); }
  };
  static constexpr int kReal = 0, kIdeal = 1;
  struct Slot {
    uint64_t index;    // instruction number
    double retire[2];  // the cycle it retires at, per lane
  };

  // Only the accesses can hold the window (other instructions retire as they dispatch), and
  // retirement is in order: instruction k waits for the access `window` places before it.
  void dispatch_to(uint64_t target, double cost);
  // The access's own instruction enters the window (no dispatch cycle). Every slot is younger
  // than `window` instructions, so at most the oldest can have to leave for it. A faulting
  // access's real lane drains instead of stalling (`real_drains`).
  void take_slot(bool real_drains) {
    ++index_;
    if (slots_ != 0 && ring_[head_].index + cfg_.window <= index_) {
      const Slot& s = ring_[head_];
      if (!real_drains && s.retire[kReal] > lanes_[kReal].dispatch) stall(kReal, s.retire[kReal]);
      if (s.retire[kIdeal] > lanes_[kIdeal].dispatch) stall(kIdeal, s.retire[kIdeal]);
      head_ = (head_ + 1) & ring_mask_;
      --slots_;
    }
  }
  void stall(int lane, double retire) {
    if (lane == kReal) {
      stats_.window_stall_cycles += static_cast<uint64_t>(retire - lanes_[kReal].dispatch);
    }
    lanes_[lane].dispatch = retire;
  }
  void access_general(const AccessTiming& a);
  // A TLB hit at `t` on a page whose walk is still in flight waits for the walk (real lane).
  double wait_for_walk(const AccessTiming& a, double t);
  double translate(const AccessTiming& a, double issue);
  // An L1 miss ready at `t` takes the lane's earliest free fill buffer for `cycles`: when its
  // data arrives. (Which of several equally early buffers it takes does not matter: the buffers
  // are only ever compared by their free times.)
  double fill(Lane& l, double t, uint64_t cycles) {
    const double earliest = l.fill_free.front();
    double start = t;
    if (earliest > t) {
      if (&l == &lanes_[kReal]) stats_.fill_wait_cycles += static_cast<uint64_t>(earliest - t);
      start = earliest;
    }
    const double done = start + static_cast<double>(cycles);
    replace_earliest(l.fill_free, done);
    return done;
  }
  // Replaces the smallest time of the min-heap `heap` with `t` (sifting it down).
  static void replace_earliest(std::vector<double>& heap, double t) {
    const size_t n = heap.size();
    size_t i = 0;
    for (size_t c = 1; c < n; c = 2 * i + 1) {
      if (c + 1 < n && heap[c + 1] < heap[c]) ++c;
      if (!(heap[c] < t)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = t;
  }
  // The lane's access completes its data at `data`: it retires in order.
  static void finish(Lane& l, double data) {
    l.last_data = data;
    if (data > l.last_retire) l.last_retire = data;
  }
  // The access just dispatched takes its slot, with each lane's retire time.
  void push() {
    ring_[(head_ + slots_) & ring_mask_] =
        Slot{index_, {lanes_[kReal].last_retire, lanes_[kIdeal].last_retire}};
    ++slots_;
  }
  // In order (or a fault): the lane waits for everything in flight, then takes `serial` cycles.
  static void run_serial(Lane& l, double serial);

  CoreTimingConfig cfg_;
  uint64_t index_ = 0;  // instructions dispatched
  Lane lanes_[2];
  // Accesses not yet known to have left the window, oldest at head_: a ring of a power of two
  // >= `window` slots (an access `window` instructions old has always left).
  std::vector<Slot> ring_;
  size_t ring_mask_ = 0;
  size_t head_ = 0, slots_ = 0;
  TimelineStats stats_;
};

}  // namespace nptsim
