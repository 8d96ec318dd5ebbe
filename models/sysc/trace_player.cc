#include "models/sysc/trace_player.h"

#include "models/sysc/clock.h"
#include "models/sysc/trace_mapping.h"
#include "traces/io/trace_error.h"

namespace nptsim::sysc {

namespace {
// A record of vCPU `v` in a platform of `vcpus` (cold: off the dispatch path).
[[noreturn, gnu::cold, gnu::noinline]] void throw_vcpu_not_built(uint64_t index, uint16_t v,
                                                                 size_t vcpus) {
  throw trace::TraceError(record_error(index, "vCPU " + std::to_string(v) +
                                                  " but the platform was built with " +
                                                  std::to_string(vcpus) + " vCPUs"));
}
}  // namespace

RecordDispatcher::RecordDispatcher(std::unique_ptr<trace::RecordSource> src, uint16_t vcpus,
                                   uint64_t warmup, std::function<void()> on_warm,
                                   std::function<void(uint64_t)> progress)
    : src_(std::move(src)),
      queues_(vcpus),
      batch_(4096),
      warmup_(warmup),
      on_warm_(std::move(on_warm)),
      progress_(std::move(progress)) {
  if (warmup_ == 0 && on_warm_) on_warm_();
}

bool RecordDispatcher::refill() {
  if (done_) return false;
  const size_t n = src_->next(batch_.data(), batch_.size());
  if (n == 0) {
    done_ = true;
    return false;
  }
  for (size_t i = 0; i < n; ++i, ++index_) {
    const uint16_t v = vcpu_of(batch_[i], index_);
    if (v >= queues_.size()) throw_vcpu_not_built(index_, v, queues_.size());
    queues_[v].items.emplace_back(batch_[i], index_);
  }
  if (progress_) progress_(index_);
  return true;
}

bool RecordDispatcher::next_batch() {
  if (done_) return false;
  batch_first_ = index_;
  batch_size_ = src_->next(batch_.data(), batch_.size());
  batch_pos_ = 0;
  if (batch_size_ == 0) {
    done_ = true;
    return false;
  }
  index_ += batch_size_;
  if (progress_) progress_(index_);
  return true;
}

void RecordDispatcher::reject_single(const trace::TraceRecord& r, uint64_t index) {
  throw_vcpu_not_built(index, vcpu_of(r, index), 1);  // vcpu_of throws first beyond kMaxVcpus
}

const trace::TraceRecord* RecordDispatcher::next_refill(uint16_t vcpu, bool& warm) {
  if (queues_.size() == 1) {
    if (!next_batch()) return nullptr;
    return next(vcpu, warm);
  }
  Queue& q = queues_[vcpu];
  while (q.head == q.items.size()) {
    q.items.clear();
    q.head = 0;
    if (!refill()) return nullptr;
  }
  const auto& [r, index] = q.items[q.head++];
  return handed_out(r, index, warm);
}

TracePlayer::TracePlayer(sc_core::sc_module_name name, uint16_t vcpu, RecordDispatcher& records,
                         const Clock& clock, const sc_core::sc_time& quantum)
    : sc_module(name), mmu("mmu"), vcpu_(vcpu), records_(records), clock_(clock), qk_(quantum) {
  SC_THREAD(run);
}

bool TracePlayer::play_event(const trace::TraceRecord& r, uint64_t& advance) {
  std::string error;
  advance = mmu->event(guest_event(r), error);
  if (error.empty()) return true;
  error_ = record_error(records_.last_index(), error);
  return false;
}

void TracePlayer::run() {
  qk_.reset();
  // Cycles are summed as integers and handed to the quantum keeper once a quantum's worth has
  // accumulated (an sc_time per access would cost more than the access).
  const uint64_t quantum_cycles = clock_.to_cycles(qk_.quantum());
  uint64_t pending = 0;
  bool warm = false;
  try {
    while (const trace::TraceRecord* r = records_.next(vcpu_, warm)) {
      // The record's instructions and access (or its event); time moves as the vCPU's core
      // model says.
      uint64_t advance = 0;
      if (!trace::is_event(*r)) {
        advance = mmu->access(r->addr, access_kind(r->type), r->size, r->gap);
      } else if (!play_event(*r, advance)) {
        sc_core::sc_stop();  // error_ says why
        break;
      }
      if (!warm) continue;  // warm-up: caches only, no time
      pending += advance;
      if (pending >= quantum_cycles) {
        qk_.inc(clock_.of(pending));
        pending = 0;
        if (qk_.need_sync()) qk_.sync();
      }
    }
  } catch (const trace::TraceError& e) {
    error_ = e.what();
    sc_core::sc_stop();
  }
  qk_.inc(clock_.of(pending));
  qk_.sync();
  end_cycles_ = clock_.to_cycles(sc_core::sc_time_stamp());
  finished_ = true;
}

}  // namespace nptsim::sysc
