#include "sim/sweep/sweep_plot.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "sim/run/plots.h"

namespace nptsim::sweep {

namespace {

using Row = nlohmann::ordered_json;

std::string basename(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string text(const Row& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Whether column `c` differs between the finished rows.
bool varies(const std::vector<const Row*>& rows, const std::string& c) {
  return std::any_of(rows.begin(), rows.end(),
                     [&](const Row* r) { return (*r)[c] != (*rows[0])[c]; });
}

// The legend of a row's line: architecture, backend, and whatever else varies but the x axis.
std::string series_of(const Row& r, const std::vector<std::string>& others) {
  std::string s = text(r["job.arch"]) + " " + text(r["job.backend"]);
  for (const std::string& c : others) {
    const std::string v = c == "job.trace" ? basename(text(r[c])) : text(r[c]);
    s += ", " + (c.rfind("axis.", 0) == 0 ? c.substr(5) + "=" : "") + v;
  }
  return s;
}

void check_choice(const Plan& plan, const std::vector<const Row*>& done, const std::string& axis,
                  const std::string& metric) {
  if (std::find(plan.axes.begin(), plan.axes.end(), axis) == plan.axes.end()) {
    std::string list;
    for (const std::string& a : plan.axes) list += (list.empty() ? "" : ", ") + a;
    throw std::runtime_error("--axis: '" + axis + "' is not an axis of this sweep (axes: " + list +
                             ")");
  }
  for (const Row* r : done) {
    auto it = r->find(metric);
    if (it == r->end() || !it->is_number())
      throw std::runtime_error(
          "--metric: '" + metric +
          "' is not a numeric column of the merged results (e.g. cycles_per_access, "
          "translation_fraction, walk_cycles.mean, tlb.l2.misses, total_cycles; "
          "results.csv's header lists them all)");
  }
}

}  // namespace

std::string write_metric_plot(const Plan& plan, const std::vector<Row>& rows,
                              const MergeOptions& o) {
  const std::string axis = o.axis.empty() ? plan.axes.front() : o.axis;
  std::vector<const Row*> done;
  for (const Row& r : rows) {
    if (r["job.status"] == "done") done.push_back(&r);
  }
  check_choice(plan, done, axis, o.metric);
  const std::string base = o.out_dir + "/" + o.metric + "-vs-" + axis;
  if (done.empty()) return base + ".png";
  std::vector<std::string> others;
  for (const std::string& c : {std::string("job.preset"), std::string("job.trace")}) {
    if (varies(done, c)) others.push_back(c);
  }
  for (const std::string& a : plan.axes) {
    if (a != axis && varies(done, "axis." + a)) others.push_back("axis." + a);
  }
  const std::string x_col = "axis." + axis;
  const bool numeric =
      std::all_of(done.begin(), done.end(), [&](const Row* r) { return (*r)[x_col].is_number(); });
  std::vector<std::string> categories;  // non-numeric axis values in plan order
  std::map<std::string, std::vector<std::pair<std::string, double>>> series;  // name -> (x, y)
  std::vector<std::string> order;
  for (const Row* r : done) {
    const std::string name = series_of(*r, others), x = text((*r)[x_col]);
    if (!series.count(name)) order.push_back(name);
    std::string xpos = x;
    if (!numeric) {
      auto it = std::find(categories.begin(), categories.end(), x);
      xpos = std::to_string(it - categories.begin());
      if (it == categories.end()) categories.push_back(x);
    }
    series[name].emplace_back(xpos, (*r)[o.metric].get<double>());
  }
  std::ofstream dat(base + ".dat"), gp(base + ".gp");
  if (!dat || !gp) throw std::runtime_error("cannot write '" + base + ".{dat,gp}'");
  for (const std::string& name : order) {
    dat << "# " << name << "\n# " << axis << " " << o.metric << "\n";
    for (const auto& [x, y] : series[name]) dat << x << ' ' << Row(y).dump() << '\n';
    dat << "\n\n";
  }
  gp << "# Drawn by nptsim sweep merge; run again with: gnuplot " << base << ".gp\n"
     << "set grid\nset key outside right\nset xlabel '" << axis << "'\nset ylabel '" << o.metric
     << "'\nset title 'sweep " << plan.name << ": " << o.metric << " vs " << axis << "'\n";
  if (numeric) {
    double lo = 0, hi = 0;
    for (const Row* r : done) {
      const double x = (*r)[x_col].get<double>();
      lo = r == done.front() ? x : std::min(lo, x);
      hi = r == done.front() ? x : std::max(hi, x);
    }
    if (lo > 0 && hi >= 8 * lo) gp << "set logscale x 2\n";  // e.g. sizes that double
  } else {
    gp << "set xtics (";
    for (size_t i = 0; i < categories.size(); ++i)
      gp << (i ? ", " : "") << "'" << categories[i] << "' " << i;
    gp << ")\nset xrange [-0.5:" << categories.size() - 0.5 << "]\n";
  }
  for (const char* term : {"svg size 900,500 noenhanced", "pngcairo size 900,500 noenhanced"}) {
    gp << "set terminal " << term << "\nset output '" << base << (term[0] == 's' ? ".svg" : ".png")
       << "'\nplot ";
    for (size_t i = 0; i < order.size(); ++i)
      gp << (i ? ", \\\n     " : "") << "'" << base << ".dat' index " << i
         << " using 1:2 with linespoints lw 2 title '" << order[i] << "'";
    gp << "\n";
  }
  gp << "unset output\n";
  gp.close();
  dat.close();
  run_gnuplot(base + ".gp", o.out_dir);
  return base + ".png";
}

}  // namespace nptsim::sweep
