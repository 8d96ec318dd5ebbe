// A sweep's plan: the jobs a sweep file expands to, each a plain `nptsim run` command, and the
// plan directory the engines work from (docs/SWEEP.md):
//   DIR/manifest.json   the sweep, its axes and every job (id, point, command)
//   DIR/jobs.tsv        one job per line: ID <tab> command (Slurm's array index is the line)
//   DIR/run-job.sh      runs one job by id: its log in DIR/logs/ID.log, its report in
//                       DIR/results/ID.json, or DIR/results/ID.failed when it fails
#pragma once

#include <string>
#include <vector>

#include "sim/sweep/sweep_spec.h"

namespace nptsim::sweep {

struct SweepJob {
  std::string id;     // ARCH-BACKEND-HASH: the hash of the job's options (the trace as written),
                      // so a job keeps its id, and its result, when the sweep grows
  std::string trace;  // as the sweep file gives it; "": the built-in workload
  std::string preset, arch, backend;  // "" preset: none
  KeyValues point;                    // the axes' values, in axis order
  std::vector<std::string> argv;      // nptsim run ... (trace absolute; the report path excluded)
};

// Every combination, outermost first: trace, preset, the axes in file order, arch, backend.
// Throws SweepError when a job's configuration is impossible (a constraint between keys) or two
// jobs are the same.
std::vector<SweepJob> expand(const SweepSpec& spec, const std::string& nptsim_path);

// The job's shell command, writing its report to `result_path`.
std::string job_command(const SweepJob& job, const std::string& result_path);

// Writes the plan into `dir` (created; an earlier plan's results for jobs still in it are kept).
// Returns the number of jobs that already have a result. Throws std::runtime_error.
size_t write_plan(const std::string& dir, const SweepSpec& spec, const std::vector<SweepJob>& jobs);

// A plan read back from DIR/manifest.json.
struct Plan {
  std::string dir, name, sweep_file;
  std::vector<std::string> axes;  // configuration keys
  std::vector<SweepJob> jobs;     // argv empty
};
// Throws std::runtime_error naming DIR/manifest.json and what is wrong.
Plan read_plan(const std::string& dir);

// Quotes `s` for a POSIX shell when it needs it.
std::string shell_quote(const std::string& s);

}  // namespace nptsim::sweep
