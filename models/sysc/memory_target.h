// MemoryTarget: host-physical memory (PhysMem) as a TLM-2.0 loosely-timed target. Each
// initiator socket bound to it (one per vCPU's walker) has its own PTE latency model; a
// transaction's delay is annotated with that model's cycles. It grants read-only DMI to one
// 4 KiB frame at a time (frames are allocated separately); the grant's latency is zero because
// a PTE's latency depends on the PTE cache state: a DMI initiator charges its own vCPU's latency
// model, the same object b_transport would. Grants are invalidated when PhysMem discards the
// frame.
#pragma once

#include <tlm_utils/multi_passthrough_target_socket.h>

#include <systemc>
#include <tlm>
#include <vector>

#include "models/core/mem/phys_mem.h"
#include "models/core/mem/pte_latency.h"
#include "models/sysc/clock.h"

namespace nptsim::sysc {

class MemoryTarget : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<MemoryTarget> socket;

  MemoryTarget(sc_core::sc_module_name name, PhysMem& mem, const Clock& clock);
  // The latency model of the initiator bound as the `id`-th (in binding order).
  void set_latency(unsigned id, PteLatency* model);
  uint64_t transactions() const { return transactions_; }

 private:
  void b_transport(int id, tlm::tlm_generic_payload& t, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi);

  PhysMem& mem_;
  sc_core::sc_time::value_type cycle_value_;  // one cycle in SystemC time units
  std::vector<sc_core::sc_time> delay_of_;    // delay_of_[c] = c cycles, for small c
  std::vector<PteLatency*> latency_;
  uint64_t transactions_ = 0;
};

}  // namespace nptsim::sysc
