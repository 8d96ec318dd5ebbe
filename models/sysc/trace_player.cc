#include "models/sysc/trace_player.h"

#include "models/sysc/clock.h"
#include "models/sysc/trace_mapping.h"
#include "traces/io/trace_error.h"

namespace nptsim::sysc {

RecordDispatcher::RecordDispatcher(std::unique_ptr<trace::RecordSource> src, uint16_t vcpus, uint64_t warmup,
                                   std::function<void()> on_warm, std::function<void(uint64_t)> progress)
    : src_(std::move(src)), queues_(vcpus), batch_(4096), warmup_(warmup), on_warm_(std::move(on_warm)),
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
    if (v >= queues_.size()) {
      throw trace::TraceError("record " + std::to_string(index_) + ": vCPU " + std::to_string(v) +
                              " but the platform was built with " + std::to_string(queues_.size()) + " vCPUs");
    }
    queues_[v].emplace_back(batch_[i], index_);
  }
  if (progress_) progress_(index_);
  return true;
}

bool RecordDispatcher::next(uint16_t vcpu, trace::TraceRecord& r, bool& warm) {
  auto& q = queues_[vcpu];
  while (q.empty()) {
    if (!refill()) return false;
  }
  r = q.front().first;
  const uint64_t index = q.front().second;
  q.pop_front();
  warm = index >= warmup_;
  if (index == warmup_ && warmup_ != 0 && on_warm_) on_warm_();
  return true;
}

TracePlayer::TracePlayer(sc_core::sc_module_name name, uint16_t vcpu, FunctionalPlatform& platform,
                         RecordDispatcher& records)
    : sc_module(name), vcpu_(vcpu), platform_(platform), records_(records) {
  SC_THREAD(run);
}

void TracePlayer::run() {
  qk_.reset();
  trace::TraceRecord r;
  bool warm = false;
  try {
    while (records_.next(vcpu_, r, warm)) {
      const AccessOutcome o = platform_.access(vcpu_, GuestPhysAddr(r.addr), access_kind(r.type));
      if (!warm) continue;  // warm-up: caches only, no time
      qk_.inc(cycle() * static_cast<double>(o.cycles));
      if (qk_.need_sync()) qk_.sync();
    }
  } catch (const trace::TraceError& e) {
    error_ = e.what();
    sc_core::sc_stop();
  }
  qk_.sync();
  end_cycles_ = to_cycles(sc_core::sc_time_stamp());
  finished_ = true;
}

}  // namespace nptsim::sysc
