// MmuModule: one vCPU's MMU as a SystemC module. The trace player calls it through an sc_port
// (an interface call, not a socket: DESIGN.md, "SystemC style"); it runs the vCPU's translation
// path (TLBs, walk caches, the format's hardware walker, whose PTE accesses go out as TLM
// transactions through the vCPU's Stage2WalkerPort) and hands nested faults to the hypervisor
// module through its `hypervisor` port. It returns how far the access moved the vCPU's time.
#pragma once

#include <systemc>

#include "models/core/platform/functional_platform.h"
#include "models/sysc/hypervisor.h"

namespace nptsim::sysc {

class MmuIf : public virtual sc_core::sc_interface {
 public:
  // One trace record (FunctionalPlatform::record): the instructions it retires (`gap`, and the
  // record itself when it is a fetch), then its access; `addr` is guest-physical or
  // guest-virtual, as the platform's scheme says; `size` bytes (a page-crossing access translates
  // both pages). Returns the cycles by which the vCPU's completion time moved (the core model:
  // overlapped accesses move it less than their latencies). One interface call per record.
  virtual uint64_t access(uint64_t addr, AccessKind kind, uint32_t size, uint64_t gap) = 0;
  // One event of the trace on this vCPU (FunctionalPlatform::event): the cycles by which it
  // moved the vCPU's time; `error` set when the platform could not apply it.
  virtual uint64_t event(const GuestEvent& e, std::string& error) = 0;
};

class MmuModule : public sc_core::sc_module, public MmuIf {
 public:
  sc_core::sc_export<MmuIf> target;
  sc_core::sc_port<HypervisorIf> hypervisor;  // where this vCPU's nested faults go

  MmuModule(sc_core::sc_module_name name, uint16_t vcpu, FunctionalPlatform& platform)
      : sc_module(name),
        target("target"),
        hypervisor("hypervisor"),
        vcpu_(vcpu),
        platform_(platform) {
    target.bind(*this);
  }
  // A nested fault of this vCPU's walk, out through the port.
  FaultHandling nested_fault(GuestPhysAddr gpa, AccessKind kind, const Fault& f) {
    return hypervisor->nested_fault(vcpu_, gpa, kind, f);
  }
  uint64_t access(uint64_t addr, AccessKind kind, uint32_t size, uint64_t gap) override {
    return platform_.record(vcpu_, addr, kind, size, gap);
  }
  uint64_t event(const GuestEvent& e, std::string& error) override {
    return platform_.event(vcpu_, e, error);
  }

 private:
  uint16_t vcpu_;
  FunctionalPlatform& platform_;
};

}  // namespace nptsim::sysc
