// Parameters of the hypervisor's fault handling and of the stage-2 hardware switches.
#include "models/core/arch/arch_params.h"
#include "models/core/params/param_builders.h"
#include "models/core/platform/params/sim_config.h"

namespace nptsim {

namespace {
using C = SimConfig;
const char* const kKvmThread =
    "KVM measurements posted to LKML (December 2020, \"KVM: SVM: use vmsave/vmload...\" thread)";
}  // namespace

void declare_hypervisor_params(SimParams& t) {
  t.add(uint_param<C>(
      {"fault.vm_exit", "cycles", "VM exit + VM entry round trip of a nested fault",
       std::string(kKvmThread) +
           ": the VMRUN round trip of a guest exit measured 1,344 to 1,376 cycles"},
      [](C& c) -> uint32_t& { return c.platform.costs.vm_exit; }, 0, 1u << 30));
  t.add(uint_param<C>(
      {"fault.handler", "cycles", "the nested-fault handler: dispatch, area lookup, table update",
       "estimate: no published source"},
      [](C& c) -> uint32_t& { return c.platform.costs.handler; }, 0, 1u << 30));
  t.add(uint_param<C>(
      {"fault.alloc", "cycles", "taking one frame from the host allocator",
       "estimate: no published source"},
      [](C& c) -> uint32_t& { return c.platform.costs.alloc; }, 0, 1u << 30));
  t.add(uint_param<C>(
      {"fault.zero_page", "cycles", "zeroing a 4 KiB frame",
       "4096 bytes at the sustained L2 bandwidth of about 29 bytes per cycle (Intel Optimization "
       "Reference Manual, Skylake client cache parameters)"},
      [](C& c) -> uint32_t& { return c.platform.costs.zero_page; }, 0, 1u << 30));
  t.add(uint_param<C>(
      {"fault.mmio_exit", "cycles", "an unhandled exit (MMIO emulation) before any device work",
       std::string(kKvmThread) + ": a whole KVM_RUN round trip measured about 2,530 cycles"},
      [](C& c) -> uint32_t& { return c.platform.costs.mmio_exit; }, 0, 1u << 30));
  t.add(uint_param<C>(
      {"fault.invalidate", "cycles",
       "one TLB maintenance operation (INVEPT, TLBI, HFENCE) on the issuing vCPU",
       "estimate: no vendor publishes the latency of these instructions"},
      [](C& c) -> uint32_t& { return c.platform.costs.invalidate; }, 0, 1u << 30));
  t.add(uint_param<C>(
      {"fault.shootdown_ipi", "cycles",
       "a shootdown reaching one other vCPU: interrupt, exit, invalidation, entry",
       "estimate: about two VM exits (fault.vm_exit) and the interrupt's delivery"},
      [](C& c) -> uint32_t& { return c.platform.costs.shootdown_ipi; }, 0, 1u << 30));
  // Each stage-2 format's own controls (arch/<format>/*_params.h).
  declare_stage2_params(t, [](C& c) -> Stage2Regime& { return c.platform.stage2_controls; });
}

}  // namespace nptsim
