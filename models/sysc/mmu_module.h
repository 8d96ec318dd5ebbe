// MmuModule: one vCPU's MMU as a SystemC module. The trace player calls it through an sc_port
// (an interface call, not a socket: DESIGN.md, "SystemC style"); it runs the vCPU's translation
// path (TLBs, walk caches, the format's hardware walker, whose PTE accesses go out as TLM
// transactions through the vCPU's Stage2WalkerPort) and hands nested faults to the hypervisor
// module. It returns the cycles the access cost.
#pragma once

#include <systemc>

#include "models/core/platform/functional_platform.h"

namespace nptsim::sysc {

class MmuIf : public virtual sc_core::sc_interface {
 public:
  // One trace record (FunctionalPlatform::record): the instructions it retires (`gap`, and the
  // record itself when it is a fetch), then its access; `addr` is guest-physical or
  // guest-virtual, as the platform's scheme says; `size` bytes (a page-crossing access translates
  // both pages). `advance` gets the cycles by which the vCPU's completion time moved (the core
  // model: overlapped accesses move it less than their latencies). One interface call per record.
  virtual AccessOutcome access(uint64_t addr, AccessKind kind, uint32_t size, uint64_t gap,
                               uint64_t& advance) = 0;
};

class MmuModule : public sc_core::sc_module, public MmuIf {
 public:
  sc_core::sc_export<MmuIf> target;

  MmuModule(sc_core::sc_module_name name, uint16_t vcpu, FunctionalPlatform& platform)
      : sc_module(name), target("target"), vcpu_(vcpu), platform_(platform) {
    target.bind(*this);
  }
  AccessOutcome access(uint64_t addr, AccessKind kind, uint32_t size, uint64_t gap,
                       uint64_t& advance) override {
    return platform_.record(vcpu_, addr, kind, size, gap, advance);
  }

 private:
  uint16_t vcpu_;
  FunctionalPlatform& platform_;
};

}  // namespace nptsim::sysc
