// Runs the simulations `nptsim run` asked for: each (architecture x backend) functionally
// (--timing off) or all together in the SystemC model (--timing on).
#pragma once

#include <vector>

#include "models/sysc/sysc_run.h"

namespace nptsim {

struct RunJob {
  std::vector<PlatformConfig> platforms;  // one per run
  trace::SourceFactory source;
  bool timing = true;
  uint64_t warmup = 0;
  uint16_t vcpus = 0;  // 0: as many as the trace uses (a first pass counts them)
  bool progress = true;
};

// Throws trace::TraceError (bad trace) or std::runtime_error (impossible configuration).
std::vector<RunResult> run_job(const RunJob& job);

// One pass over a trace: its records and the vCPUs it uses (highest vCPU id + 1; 1 when it
// names none).
struct TraceCount {
  uint64_t records = 0;
  uint16_t vcpus = 1;
};
TraceCount count_trace(const trace::SourceFactory& source);

}  // namespace nptsim
