#include "sim/sweep/sweep_merge.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "sim/run/plots.h"
#include "sim/run/report.h"
#include "sim/sweep/sweep_plot.h"
#include "sim/sweep/sweep_status.h"
#include "sim/util/format.h"

namespace fs = std::filesystem;

namespace nptsim::sweep {

namespace {

using Row = nlohmann::ordered_json;

// An axis value as a JSON number when it is one, else as text.
Row axis_value(const std::string& v) {
  if (v.empty() || v.find_first_not_of("0123456789.-+eE") != std::string::npos) return v;
  try {
    Row n = Row::parse(v);
    if (n.is_number()) return n;
  } catch (const Row::exception&) {
  }
  return v;
}

void flatten(const Row& j, const std::string& prefix, Row& row) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), row);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) flatten(j[i], prefix + "." + std::to_string(i), row);
  } else {
    row[prefix] = j;
  }
}

// The run's fields and statistics in the report's order, then its whole configuration (the
// shared keys overlaid with the run's own) as config.KEY.
void add_report(const Row& report, Row& row) {
  const Row& run = report["runs"][0];
  for (auto it = run.begin(); it != run.end(); ++it) {
    if (it.key() != "config") flatten(it.value(), it.key(), row);
  }
  Row config = report.contains("config") ? report["config"] : Row::object();
  if (run.contains("config")) {
    for (auto it = run["config"].begin(); it != run["config"].end(); ++it)
      config[it.key()] = it.value();
  }
  for (auto it = config.begin(); it != config.end(); ++it) row["config." + it.key()] = it.value();
}

struct Table {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

Table build_table(const Plan& plan, MergeOutcome& outcome) {
  Table t;
  std::map<std::string, bool> known;
  for (const SweepJob& job : plan.jobs) {
    Row report;
    const JobStatus s = job_status(plan.dir, job.id, &report);
    Row row;
    row["job.id"] = job.id;
    row["job.status"] = to_string(s.state);
    row["job.problem"] = s.detail;
    row["job.trace"] = job.trace.empty() ? "built-in" : job.trace;
    row["job.preset"] = job.preset.empty() ? "none" : job.preset;
    row["job.arch"] = job.arch;
    row["job.backend"] = job.backend;
    for (const auto& [key, value] : job.point) row["axis." + key] = axis_value(value);
    if (s.state == JobState::Done) {
      add_report(report, row);
      ++outcome.done;
    } else {
      outcome.problems.push_back(job.id + ": " + to_string(s.state) +
                                 (s.detail.empty() ? "" : ": " + s.detail));
    }
    for (auto it = row.begin(); it != row.end(); ++it) {
      if (known.emplace(it.key(), true).second) t.columns.push_back(it.key());
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string csv_cell(const Row& v) {
  if (v.is_null()) return "";
  return csv_field(v.is_string() ? v.get<std::string>() : v.dump());
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  if (!f || !(f << text)) throw std::runtime_error("cannot write '" + path + "'");
}

std::string csv_text(const Table& t) {
  std::ostringstream out;
  for (size_t c = 0; c < t.columns.size(); ++c)
    out << (c ? "," : "") << csv_cell(Row(t.columns[c]));
  out << '\n';
  for (const Row& row : t.rows) {
    for (size_t c = 0; c < t.columns.size(); ++c) {
      auto it = row.find(t.columns[c]);
      out << (c ? "," : "") << (it == row.end() ? "" : csv_cell(*it));
    }
    out << '\n';
  }
  return out.str();
}

std::string json_text(const Table& t) {
  Row all = Row::array();
  for (const Row& row : t.rows) {
    Row full;
    for (const std::string& c : t.columns) full[c] = row.contains(c) ? row[c] : Row();
    all.push_back(std::move(full));
  }
  return all.dump(1) + "\n";
}

double number(const Row& row, const std::string& column) {
  auto it = row.find(column);
  return it != row.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string summary_text(const Plan& plan, const Table& t, const MergeOptions& o) {
  std::vector<std::string> head = {"job", "status", "arch", "backend"};
  const bool presets =
      t.rows.size() && std::any_of(t.rows.begin(), t.rows.end(), [&](const Row& r) {
        return r["job.preset"] != t.rows.front()["job.preset"];
      });
  if (presets) head.push_back("preset");
  for (const std::string& a : plan.axes) head.push_back(a);
  const std::vector<std::string> metrics = {"accesses", "L2 TLB miss/1k", "walks",
                                            "walk cyc", "cyc/access",     "transl %"};
  head.insert(head.end(), metrics.begin(), metrics.end());
  const bool extra = o.metric != "cycles_per_access" && o.metric != "translation_fraction";
  if (extra) head.push_back(o.metric);
  std::vector<std::vector<std::string>> cells = {head};
  for (const Row& r : t.rows) {
    std::vector<std::string> line = {r["job.id"], r["job.status"], r["job.arch"], r["job.backend"]};
    if (presets) line.push_back(r["job.preset"]);
    for (const std::string& a : plan.axes) line.push_back(csv_cell(r["axis." + a]));
    if (r["job.status"] == "done") {
      const double acc = number(r, "accesses");
      line.push_back(csv_cell(r["accesses"]));
      line.push_back(fixed(acc ? 1000.0 * number(r, "tlb.l2.misses") / acc : 0.0, 3));
      line.push_back(csv_cell(r["walks"]));
      line.push_back(fixed(number(r, "walk_cycles.mean"), 1));
      line.push_back(fixed(number(r, "cycles_per_access"), 3));
      line.push_back(fixed(100.0 * number(r, "translation_fraction"), 2));
      if (extra) line.push_back(csv_cell(r.value(o.metric, Row())));
    }
    cells.push_back(std::move(line));
  }
  std::vector<size_t> width(head.size(), 0);
  for (const auto& line : cells) {
    for (size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
  }
  std::ostringstream out;
  out << "sweep " << plan.name << ": " << t.rows.size() << " jobs\n";
  for (const auto& line : cells) {
    for (size_t c = 0; c < line.size(); ++c) {
      const bool left = c < 4 + (presets ? 1 : 0);
      out << (c ? "  " : "")
          << (left ? line[c] + std::string(width[c] - line[c].size(), ' ')
                   : std::string(width[c] - line[c].size(), ' ') + line[c]);
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace

MergeOutcome merge_results(const Plan& plan, const MergeOptions& o_in, std::ostream& out) {
  MergeOptions o = o_in;
  if (o.out_dir.empty()) o.out_dir = plan.dir + "/merged";
  MergeOutcome outcome;
  const Table t = build_table(plan, outcome);
  make_dir(o.out_dir);
  const std::string summary = summary_text(plan, t, o);
  const std::vector<std::pair<std::string, std::string>> files = {
      {"results.csv", csv_text(t)}, {"results.json", json_text(t)}, {"summary.txt", summary}};
  for (const auto& [name, text] : files) {
    write_text(o.out_dir + "/" + name, text);
    outcome.files.push_back(o.out_dir + "/" + name);
  }
  out << summary;
  if (o.plots && !plan.axes.empty()) {
    const std::string plot = write_metric_plot(plan, t.rows, o);
    outcome.files.push_back(plot);
  }
  return outcome;
}

}  // namespace nptsim::sweep
