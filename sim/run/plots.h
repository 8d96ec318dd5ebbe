// Plots of `nptsim run/compare --plot DIR`: per run, the CDF of walk latency and the histogram of
// memory references per walk, as SVG and PNG, drawn by gnuplot (Debian package gnuplot-nox).
#pragma once

#include <string>
#include <vector>

#include "models/core/platform/run_result.h"

namespace nptsim {

// Writes DIR/<arch>-<backend>[-<scheme> when runs differ in it].{walk-cdf,refs}.{dat,svg,png}
// and plots.gp. Throws
// std::runtime_error naming what to do when gnuplot is missing or fails.
void write_plots(const std::string& dir, const std::vector<RunResult>& runs);

// Runs gnuplot on `script_path` (whose data are in `dir`). Throws std::runtime_error naming what
// to do when gnuplot is missing or fails.
void run_gnuplot(const std::string& script_path, const std::string& dir);

// Creates directory `dir` unless it exists; throws std::runtime_error naming it.
void make_dir(const std::string& dir);

}  // namespace nptsim
