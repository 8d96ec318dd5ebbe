// The timed (SystemC) simulation: for each requested run, a platform of modules
//   TracePlayer (one per vCPU, an initiator with its own quantum keeper, sim.quantum)
//     -> MmuModule (sc_port call; the vCPU's translation scheme: TLBs, walk caches, the
//        format's hardware walker; and its core model, which says how far time moves)
//     -> Stage2WalkerPort (PTE reads through TLM-2.0 DMI grants, or b_transport with mem.dmi=off;
//        A/D write-backs as b_transport; each tagged with the entry's stage)
//     -> MemoryTarget (PhysMem, one for all vCPUs; each vCPU's caches in front of the shared
//        LLC and DRAM)
//   MmuModule.hypervisor (sc_port) -> HypervisorModule (nested faults of every vCPU),
// all elaborated together and simulated in one sc_start. The clock period comes from
// core.freq_ghz per platform; nothing is process-global except SystemC's own kernel, which
// elaborates once per process, so run_timed may be called once per process.
#pragma once

#include <functional>
#include <vector>

#include "models/core/platform/run_result.h"
#include "traces/record_source.h"

namespace nptsim::sysc {

struct TimedRun {
  PlatformConfig platform;
  uint64_t warmup = 0;
  trace::SourceFactory source;
  uint16_t vcpus = 1;
};

// Throws std::runtime_error for an impossible configuration or a second call, and
// trace::TraceError for bad trace input.
std::vector<RunResult> run_timed(const std::vector<TimedRun>& runs,
                                 std::function<void(uint64_t)> progress);

}  // namespace nptsim::sysc
