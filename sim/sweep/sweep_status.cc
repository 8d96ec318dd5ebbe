#include "sim/sweep/sweep_status.h"

#include <fstream>
#include <sstream>

#include "sim/run/report.h"

using nlohmann::ordered_json;

namespace nptsim::sweep {

const char* to_string(JobState s) {
  switch (s) {
    case JobState::Done:
      return "done";
    case JobState::Failed:
      return "failed";
    case JobState::Corrupt:
      return "corrupt";
    case JobState::Pending:
      return "pending";
  }
  return "?";
}

namespace {

// Why `j` is not one finished run's report, or "".
std::string report_problem(const ordered_json& j) {
  if (!j.is_object() || !j.contains("schema_version")) return "not an nptsim run report";
  if (j["schema_version"] != kReportSchemaVersion)
    return "report schema " + j["schema_version"].dump() + ", this nptsim writes " +
           std::to_string(kReportSchemaVersion) + " (re-run the job: delete the file)";
  if (!j.contains("runs") || !j["runs"].is_array() || j["runs"].size() != 1)
    return "a sweep job's report holds exactly one run";
  return "";
}

}  // namespace

JobStatus job_status(const std::string& dir, const std::string& id, ordered_json* report) {
  const std::string result = dir + "/results/" + id + ".json";
  std::ifstream f(result);
  if (f) {
    try {
      ordered_json j = ordered_json::parse(f);
      if (std::string why = report_problem(j); !why.empty())
        return {JobState::Corrupt, result + ": " + why};
      if (report) *report = std::move(j);
      return {JobState::Done, ""};
    } catch (const ordered_json::exception& e) {
      return {JobState::Corrupt, result + ": not valid JSON (" + std::string(e.what()) + ")"};
    }
  }
  std::ifstream failed(dir + "/results/" + id + ".failed");
  if (failed) {
    std::stringstream note;
    note << failed.rdbuf();
    std::string text = note.str();
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return {JobState::Failed, text.empty() ? "failed" : text};
  }
  return {JobState::Pending, ""};
}

StatusCounts count_states(const std::vector<JobStatus>& states) {
  StatusCounts c;
  for (const JobStatus& s : states) {
    switch (s.state) {
      case JobState::Done:
        ++c.done;
        break;
      case JobState::Failed:
        ++c.failed;
        break;
      case JobState::Corrupt:
        ++c.corrupt;
        break;
      case JobState::Pending:
        ++c.pending;
        break;
    }
  }
  return c;
}

std::vector<JobStatus> plan_status(const Plan& plan) {
  std::vector<JobStatus> out;
  for (const SweepJob& job : plan.jobs) out.push_back(job_status(plan.dir, job.id));
  return out;
}

}  // namespace nptsim::sweep
