// MemoryTarget: host-physical memory (PhysMem) as a TLM-2.0 loosely-timed target, shared by
// every vCPU's walker. Each initiator socket bound to it (one per vCPU's walker) reaches memory
// through its vCPU's caches (CoreCaches, in front of the LLC and DRAM all vCPUs share); a
// transaction's delay is annotated with the cycles those caches charge. A transaction says whose
// table the entry belongs to with a PteStageExtension (stage 2 when absent). The target grants
// read-only DMI to one 4 KiB frame at a time (frames are allocated separately); the grant's
// latency is zero because a PTE's latency depends on the cache state: a DMI initiator charges its
// own vCPU's caches, the same object b_transport would. Grants are invalidated when PhysMem
// discards the frame.
#pragma once

#include <tlm_utils/multi_passthrough_target_socket.h>

#include <systemc>
#include <tlm>
#include <vector>

#include "models/core/mem/cache_hierarchy.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/walk/walk_types.h"
#include "models/sysc/clock.h"

namespace nptsim::sysc {

// Which stage's table a PTE transaction reads or writes.
struct PteStageExtension : tlm::tlm_extension<PteStageExtension> {
  Stage stage = Stage::Stage2;
  tlm::tlm_extension_base* clone() const override { return new PteStageExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override {
    stage = static_cast<const PteStageExtension&>(e).stage;
  }
};

class MemoryTarget : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<MemoryTarget> socket;

  MemoryTarget(sc_core::sc_module_name name, PhysMem& mem, const Clock& clock);
  // The caches of the initiator bound as the `id`-th (in binding order).
  void set_caches(unsigned id, CoreCaches* caches);
  uint64_t transactions() const { return transactions_; }

 private:
  void b_transport(int id, tlm::tlm_generic_payload& t, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi);

  PhysMem& mem_;
  sc_core::sc_time::value_type cycle_value_;  // one cycle in SystemC time units
  std::vector<sc_core::sc_time> delay_of_;    // delay_of_[c] = c cycles, for small c
  std::vector<CoreCaches*> caches_;
  uint64_t transactions_ = 0;
};

}  // namespace nptsim::sysc
