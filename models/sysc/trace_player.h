// The initiator side: a RecordDispatcher hands each vCPU its records in trace order, and one
// TracePlayer per vCPU replays them through that vCPU's MmuModule with a quantum keeper: the
// cycles by which each record moves the vCPU's time are added to local time, and the player
// synchronises only at quantum boundaries (never a wait() per access). The quantum is the
// platform's (sim.quantum), not TLM's process-global one.
#pragma once

#include <functional>
#include <vector>

// <systemc> first: tlm_utils headers rely on it.
#include <systemc>
// clang-format off
#include <tlm_utils/tlm_quantumkeeper.h>
// clang-format on

#include "models/core/platform/functional_platform.h"
#include "models/sysc/clock.h"
#include "models/sysc/mmu_module.h"
#include "traces/record_source.h"

namespace nptsim::sysc {

// A quantum keeper with its own quantum. Sync points fall on multiples of it, as with TLM's
// global quantum.
class LocalQuantumKeeper : public tlm_utils::tlm_quantumkeeper {
 public:
  explicit LocalQuantumKeeper(const sc_core::sc_time& quantum) : quantum_(quantum) {}
  const sc_core::sc_time& quantum() const { return quantum_; }

 protected:
  sc_core::sc_time compute_local_quantum() override {
    if (quantum_ == sc_core::SC_ZERO_TIME) return quantum_;
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    return quantum_ - sc_core::sc_time::from_value(now.value() % quantum_.value());
  }

 private:
  sc_core::sc_time quantum_;
};

class RecordDispatcher {
 public:
  RecordDispatcher(std::unique_ptr<trace::RecordSource> src, uint16_t vcpus, uint64_t warmup,
                   std::function<void()> on_warm, std::function<void(uint64_t)> progress);
  // The next record of `vcpu`, or nullptr when the trace has no more for it; the record stays
  // valid until the next call (by any player). `warm` is false for warm-up records; handing out
  // the first record after the warm-up calls `on_warm` (statistics restart there: exact with one
  // vCPU; with several, warm-up records other vCPUs still hold are counted). Throws TraceError
  // for bad input or a vCPU beyond the ones simulated. One vCPU within a batch, the common case,
  // is decided inline.
  const trace::TraceRecord* next(uint16_t vcpu, bool& warm) {
    if (queues_.size() == 1 && batch_pos_ != batch_size_) {
      const uint64_t index = batch_first_ + batch_pos_;
      const trace::TraceRecord& r = batch_[batch_pos_++];
      if (r.vcpu != 0 && r.has_vcpu()) reject_single(r, index);
      return handed_out(r, index, warm);
    }
    return next_refill(vcpu, warm);
  }
  uint64_t dispatched() const { return index_; }
  // The trace index of the record next() returned last (for errors).
  uint64_t last_index() const { return last_index_; }

 private:
  // next() after its batch (one vCPU) or its queue (several) ran out.
  const trace::TraceRecord* next_refill(uint16_t vcpu, bool& warm);
  const trace::TraceRecord* handed_out(const trace::TraceRecord& r, uint64_t index, bool& warm) {
    warm = index >= warmup_;
    last_index_ = index;
    if (index == warmup_ && warmup_ != 0 && on_warm_) on_warm_();
    return &r;
  }
  bool refill();
  // One vCPU: records are handed out straight from the batch, without per-vCPU queues; the next
  // batch is read when the last is used up (false at the end of the trace).
  bool next_batch();
  // A record of a vCPU other than 0 when one is simulated: the TraceError (cold).
  [[noreturn, gnu::cold, gnu::noinline]] static void reject_single(const trace::TraceRecord& r,
                                                                   uint64_t index);
  std::unique_ptr<trace::RecordSource> src_;
  size_t batch_size_ = 0, batch_pos_ = 0;  // the single-vCPU path's place in batch_
  uint64_t batch_first_ = 0;               // trace index of batch_[0]
  struct Queue {  // records of one vCPU with their trace index, consumed from `head`
    std::vector<std::pair<trace::TraceRecord, uint64_t>> items;
    size_t head = 0;
  };
  std::vector<Queue> queues_;
  std::vector<trace::TraceRecord> batch_;
  uint64_t index_ = 0;
  uint64_t last_index_ = 0;
  uint64_t warmup_;
  std::function<void()> on_warm_;
  std::function<void(uint64_t)> progress_;
  bool done_ = false;
};

class TracePlayer : public sc_core::sc_module {
 public:
  sc_core::sc_port<MmuIf> mmu;  // bound to the vCPU's MmuModule

  SC_HAS_PROCESS(TracePlayer);
  TracePlayer(sc_core::sc_module_name name, uint16_t vcpu, RecordDispatcher& records,
              const Clock& clock, const sc_core::sc_time& quantum);

  bool finished() const { return finished_; }
  uint64_t end_cycles() const { return end_cycles_; }
  // A trace error met while playing (the simulation stops; the caller reports it).
  const std::string& error() const { return error_; }

 private:
  void run();
  // An event record through the MMU's port, its cycles in `advance`; false with error_ set when
  // the platform refused it (no exception: unwinding a SystemC thread's own stack is avoided).
  bool play_event(const trace::TraceRecord& r, uint64_t& advance);
  uint16_t vcpu_;
  RecordDispatcher& records_;
  Clock clock_;
  LocalQuantumKeeper qk_;
  bool finished_ = false;
  uint64_t end_cycles_ = 0;
  std::string error_;
};

}  // namespace nptsim::sysc
