// run_job over several processes: `nptsim run/compare --jobs N` splits the runs (architecture x
// backend) among N forked children, each simulating its share as run_job would (SystemC
// elaborates once per process, so each child has its own kernel), and gathers the results in
// the runs' order. The results are the same as in one process: runs do not share state.
#pragma once

#include "sim/run/run_driver.h"

namespace nptsim {

// With `processes` <= 1 or a single run, run_job(job) itself. Throws as run_job does (a child's
// trace::TraceError or std::runtime_error is rethrown with its message), and std::runtime_error
// when a child dies.
std::vector<RunResult> run_job_in_processes(const RunJob& job, unsigned processes);

}  // namespace nptsim
