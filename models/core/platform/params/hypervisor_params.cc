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

namespace {

std::vector<std::pair<uint64_t, std::string>> leaf_sizes() {
  return {{kPageSize4K, "4k"}, {kPageSize2M, "2m"}, {kPageSize1G, "1g"}};
}

// The hypervisor's memory policies (addrspace/policy_backend.h) and the host memory under them;
// the defaults are the crate's behaviour.
void declare_policy_params(SimParams& t) {
  t.add(choice_param<C>(
      {"hypervisor.linear_max_block", "",
       "the largest stage-2 leaf of a Linear area: 1g is the crate (1 GiB and 2 MiB blocks where "
       "GPA and HPA are aligned); 2m or 4k cap it, to measure what large stage-2 blocks buy",
       "axaddrspace's Linear backend (map_region with huge pages) for 1g; nptsim's policy"},
      [](C& c) -> uint64_t& { return c.platform.policy.linear_max_leaf; }, leaf_sizes()));
  t.add(choice_param<C>(
      {"hypervisor.alloc_block", "",
       "the largest leaf backing an Alloc area (eager or lazy): 2m or 1g back each aligned part "
       "of the area with one block of contiguous host frames when the host allocator has them, "
       "else 4 KiB pages; 4k is the crate",
       "axaddrspace's Alloc backend (4 KiB frames) for 4k; nptsim's policy"},
      [](C& c) -> uint64_t& { return c.platform.policy.alloc_block; }, leaf_sizes()));
  t.add(uint_param<C>(
      {"hypervisor.fault_around", "pages",
       "a lazy nested fault maps the aligned window of this many 4 KiB pages around the faulting "
       "page (a power of two; 512 = 2 MiB granularity); 1 is the crate",
       "axaddrspace's lazy Alloc (one page per fault) for 1; nptsim's policy"},
      [](C& c) -> uint64_t& { return c.platform.policy.fault_around; }, 1, uint64_t{1} << 18));
  t.add(choice_param<C>(
      {"hypervisor.prefault", "",
       "area: the first nested fault in a lazy area maps all of it; off: the crate",
       "axaddrspace's lazy Alloc for off; nptsim's policy"},
      [](C& c) -> bool& { return c.platform.policy.prefault; },
      std::vector<std::pair<bool, std::string>>{{false, "off"}, {true, "area"}}));
  t.add(choice_param<C>(
      {"host.allocator", "",
       "the host's frame allocator: free_list reuses freed frames (lowest first), bump never does",
       "nptsim's model choice (free_list); bump is the conformance contract's mock allocator"},
      [](C& c) -> HostAllocator& { return c.platform.policy.allocator; },
      std::vector<std::pair<HostAllocator, std::string>>{{HostAllocator::FreeList, "free_list"},
                                                         {HostAllocator::Bump, "bump"}}));
  t.add(real_param<C>(
      {"host.fragmentation", "",
       "share of the host's 2 MiB regions that hold one frame in use elsewhere (seeded), so that "
       "no 2 MiB block can come from them (free_list only)",
       "nptsim's model: 0, an unfragmented host"},
      [](C& c) -> double& { return c.platform.policy.fragmentation; }, 0.0, 1.0));
}

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
  t.add(uint_param<C>(
      {"fault.entry_write", "cycles",
       "writing one stage-2 entry in the fault handler (a leaf, or the link to a new table)",
       "estimate: a store to a cache-resident table line plus the handler's loop, a few tens of "
       "cycles; no published measurement"},
      [](C& c) -> uint32_t& { return c.platform.costs.entry_write; }, 0, 1u << 30));
  declare_policy_params(t);
  // Each stage-2 format's own controls (arch/<format>/*_params.h).
  declare_stage2_params(t, [](C& c) -> Stage2Regime& { return c.platform.stage2_controls; });
}

}  // namespace nptsim
