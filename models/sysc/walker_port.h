// Stage2WalkerPort: a vCPU's stage-2 walker's path to memory. The core walker (the format's
// rules in walk/stage2_walker.h) reads every PTE through this port, and the port issues each read
// or A/D write-back as a TLM-2.0 b_transport of the real 8 bytes to the memory target; the
// annotated delay becomes the walk's cycles. Nothing is looked up on the side.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/core/walk/pte_memory.h"

namespace nptsim::sysc {

class Stage2WalkerPort : public sc_core::sc_module, public PteMemory {
 public:
  tlm_utils::simple_initiator_socket<Stage2WalkerPort> socket;

  explicit Stage2WalkerPort(sc_core::sc_module_name name);
  uint64_t read_pte(HostPhysAddr pa) override;
  void write_pte(HostPhysAddr pa, uint64_t value) override;
  uint64_t cycles() const override;

 private:
  void transport(tlm::tlm_command cmd, HostPhysAddr pa, uint64_t* value);
  tlm::tlm_generic_payload trans_;
  // Sum of the annotated delays in SystemC time units (converted to cycles when read, so no
  // division per transaction).
  sc_core::sc_time::value_type delay_sum_ = 0;
};

}  // namespace nptsim::sysc
