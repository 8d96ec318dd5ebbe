// The engines that run a plan's jobs: GNU parallel on this machine, Slurm job arrays on a
// cluster. Both run DIR/run-job.sh ID per job; what is finished is read from the result files
// (sweep_status.h), so a sweep can be resumed, or started with one engine and finished with the
// other.
#pragma once

#include <string>
#include <vector>

#include "sim/sweep/sweep_plan.h"

namespace nptsim::sweep {

// Runs every job of `plan` that has no valid result (pending, failed, corrupt: a corrupt result
// is deleted first) with GNU parallel, `jobs` at a time, its job log appended to
// DIR/logs/joblog.tsv; a progress line on stderr unless `quiet`. Returns the number of jobs that
// did not finish. Throws std::runtime_error when GNU parallel is missing or cannot run.
size_t run_with_parallel(const Plan& plan, unsigned jobs, bool quiet);

struct SlurmOptions {
  unsigned throttle = 0;         // at most this many array tasks at once (0: no limit)
  std::string time = "1:00:00";  // per task; estimate: the sort sample's 18 jobs take seconds
  std::string mem = "2G";        // per task; estimate: a run's resident size is well below 1 GiB
  unsigned cpus = 1;             // per task: nptsim run is single-threaded
  std::string partition, account, extra;  // extra: further #SBATCH lines' options, ';'-separated
};

// Writes DIR/sweep.sbatch: a job array over the unfinished jobs (array index = the job's line in
// DIR/jobs.tsv). Returns the script's path; `count` receives the number of tasks (0: nothing to
// do, no script). Throws std::runtime_error.
std::string write_slurm_script(const Plan& plan, const SlurmOptions& o, size_t& count);

// "1-3,5,7-9" for the sorted indices.
std::string array_ranges(const std::vector<size_t>& indices);

// Runs `argv` (searched in PATH), waits, returns its exit status (127 when it cannot start).
int run_program(const std::vector<std::string>& argv);

}  // namespace nptsim::sweep
