// HypervisorModule: receives the nested faults of every vCPU (EPT violation, stage-2 abort,
// guest-page fault) and resolves them as axvm does, through AddrSpace::handle_page_fault; the
// costs of the exit, handler, frame allocation and zeroing come back as cycles.
#pragma once

#include <systemc>

#include "models/core/platform/functional_platform.h"

namespace nptsim::sysc {

class HypervisorModule : public sc_core::sc_module, public NestedFaultHandler {
 public:
  HypervisorModule(sc_core::sc_module_name name, AddrSpace& space, const FaultCosts& costs)
      : sc_module(name), space_(space), costs_(costs) {}
  FaultHandling on_nested_fault(uint16_t, GuestPhysAddr gpa, AccessKind kind,
                                const Fault& f) override {
    ++exits_;
    return handle_nested_fault(space_, costs_, gpa, kind, f);
  }
  uint64_t exits() const { return exits_; }

 private:
  AddrSpace& space_;
  FaultCosts costs_;
  uint64_t exits_ = 0;
};

}  // namespace nptsim::sysc
