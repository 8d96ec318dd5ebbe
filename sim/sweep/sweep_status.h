// The state of a sweep's jobs, read from their result files alone (so it is the same whichever
// engine ran them): DIR/results/ID.json is a finished run's report, DIR/results/ID.failed the
// note run-job.sh leaves when the run fails.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/sweep/sweep_plan.h"

namespace nptsim::sweep {

enum class JobState { Done, Failed, Corrupt, Pending };
const char* to_string(JobState s);

struct JobStatus {
  JobState state = JobState::Pending;
  std::string detail;  // Failed: the failure note; Corrupt: the file and what is wrong with it
};

// The state of job `id` in plan directory `dir`; with `report`, a Done job's report is kept.
JobStatus job_status(const std::string& dir, const std::string& id,
                     nlohmann::ordered_json* report = nullptr);

struct StatusCounts {
  size_t done = 0, failed = 0, corrupt = 0, pending = 0;
  size_t total() const { return done + failed + corrupt + pending; }
};
StatusCounts count_states(const std::vector<JobStatus>& states);

// One status per job of `plan`, in plan order.
std::vector<JobStatus> plan_status(const Plan& plan);

}  // namespace nptsim::sweep
