// Reports of `nptsim run`: a text report per run, a side-by-side table when there are several,
// JSON (documented in docs/REPORT.md) and CSV. All are deterministic: the same inputs and seed
// give byte-identical output (no wall-clock time in them).
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "models/core/platform/run_result.h"

namespace nptsim {

// The version of the JSON report's layout (docs/REPORT.md); raised when a field changes meaning.
constexpr int kReportSchemaVersion = 5;

// The effective configuration, as ordered key = value pairs.
using ConfigEcho = std::vector<std::pair<std::string, std::string>>;

// The reports take one configuration per run (`configs[i]` is `runs[i]`'s; runs on different
// presets differ). Text and JSON give the keys all runs share once and each run's other keys
// with the run.
void write_text_report(std::ostream& out, const std::vector<RunResult>& runs,
                       const std::vector<ConfigEcho>& configs);
void write_json_report(std::ostream& out, const std::vector<RunResult>& runs,
                       const std::vector<ConfigEcho>& configs);
// One row per run, one column per field of the run's JSON (statistics tree included), then the
// run's whole configuration as config.<key> columns.
void write_csv_report(std::ostream& out, const std::vector<RunResult>& runs,
                      const std::vector<ConfigEcho>& configs);
// `s` as a CSV field: quoted (inner quotes doubled) when it holds a comma, a quote or a newline.
std::string csv_field(const std::string& s);
// Every counter of each run's statistics tree, one "path = value" line each.
void write_stats_text(std::ostream& out, const std::vector<RunResult>& runs);

}  // namespace nptsim
