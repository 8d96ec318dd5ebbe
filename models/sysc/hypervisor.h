// HypervisorModule: receives the nested faults of every vCPU (EPT violation, stage-2 abort,
// guest-page fault) through its export, bound to each vCPU's MmuModule port, and resolves them
// as axvm does, through AddrSpace::handle_page_fault; the costs of the exit, handler, frame
// allocation and zeroing come back as cycles.
#pragma once

#include <systemc>

#include "models/core/platform/functional_platform.h"

namespace nptsim::sysc {

// What a vCPU's MMU calls when a walk faults at stage 2.
class HypervisorIf : public virtual sc_core::sc_interface {
 public:
  virtual FaultHandling nested_fault(uint16_t vcpu, GuestPhysAddr gpa, AccessKind kind,
                                     const Fault& f) = 0;
};

class HypervisorModule : public sc_core::sc_module, public HypervisorIf {
 public:
  sc_core::sc_export<HypervisorIf> target;  // bound to every MmuModule's `hypervisor` port

  HypervisorModule(sc_core::sc_module_name name, AddrSpace& space, const FaultCosts& costs)
      : sc_module(name), target("target"), space_(space), costs_(costs) {
    target.bind(*this);
  }
  FaultHandling nested_fault(uint16_t, GuestPhysAddr gpa, AccessKind kind,
                             const Fault& f) override {
    return handle_nested_fault(space_, costs_, gpa, kind, f);
  }

 private:
  AddrSpace& space_;
  FaultCosts costs_;
};

}  // namespace nptsim::sysc
