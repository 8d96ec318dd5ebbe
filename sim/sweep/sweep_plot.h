// The plot of `nptsim sweep merge`: one metric of the merged table against one axis of the
// sweep, one line per architecture x backend (and per preset, trace and value of the other axes
// when they vary), drawn by gnuplot as SVG and PNG.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/sweep/sweep_merge.h"

namespace nptsim::sweep {

// Writes OUT/METRIC-vs-AXIS.{dat,gp,svg,png} from the merged rows (finished jobs only); returns
// the PNG's path. Throws std::runtime_error when the metric is not a numeric column, the axis
// not an axis of the plan, or gnuplot fails.
std::string write_metric_plot(const Plan& plan, const std::vector<nlohmann::ordered_json>& rows,
                              const MergeOptions& o);

}  // namespace nptsim::sweep
