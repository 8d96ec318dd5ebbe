// nptsim sweep merge: every job's report as one table, one row per job (its id, status, point,
// every field and statistic of its run, every configuration key), written as CSV and as a JSON
// array of rows (pandas reads either as is), a summary table, and gnuplot plots of one metric
// against one axis, a line per architecture x backend (and per value of the other axes).
// Deterministic: the same results give byte-identical files, whichever engine produced them.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "sim/sweep/sweep_plan.h"

namespace nptsim::sweep {

struct MergeOptions {
  std::string out_dir;                       // default DIR/merged
  std::string metric = "cycles_per_access";  // a column of the merged table
  std::string axis;                          // a sweep axis; default the first
  bool plots = true;
};

struct MergeOutcome {
  size_t done = 0;
  std::vector<std::string> problems;  // "ID: failed: ...", "ID: pending", "ID: corrupt: FILE: ..."
  std::vector<std::string> files;     // what was written
};

// Writes DIR/merged/{results.csv,results.json,summary.txt} and the plots; prints the summary
// table to `out`. Throws std::runtime_error (unknown metric or axis, unwritable directory,
// gnuplot failing).
MergeOutcome merge_results(const Plan& plan, const MergeOptions& o, std::ostream& out);

}  // namespace nptsim::sweep
