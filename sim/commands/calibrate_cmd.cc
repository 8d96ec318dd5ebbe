// nptsim calibrate: native pointer-chase microbenchmarks on this machine (TLB reach with 4 KiB
// and 2 MiB pages, cache latencies), fitted to nptsim parameters (docs/CALIBRATE.md).
#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "models/core/common/size_parse.h"
#include "models/core/platform/params/sim_config.h"
#include "sim/calibrate/calibrate_output.h"
#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/util/progress.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

using namespace nptsim::calibrate;

struct CalibrateOptions {
  std::string out = "calibrate-out";
  std::string series = "tlb-4k,tlb-2m,cache";
  std::string max_footprint;  // empty: each series' default
  uint64_t seed = 1;
  int repeat = 5;
  bool quick = false, quiet = false;
};

// A series to measure and its points.
struct Plan {
  const SeriesDef* def;
  std::vector<uint64_t> footprints;
};

// The series named in `list` ("tlb-4k,cache"), in the order they run.
std::vector<const SeriesDef*> parse_series(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  for (std::string n; std::getline(in, n, ',');) {
    if (!find_series(n))
      throw po::error("option '--series': unknown series '" + n +
                      "' (expected a comma-separated list of tlb-4k, tlb-2m, cache)");
    names.push_back(n);
  }
  std::vector<const SeriesDef*> out;
  for (const SeriesDef& d : series_defs())
    if (std::find(names.begin(), names.end(), d.name) != names.end()) out.push_back(&d);
  if (out.empty()) throw po::error("option '--series': no series given");
  return out;
}

// Memory a point needs: its pages and the lap (8 bytes per slot).
uint64_t point_bytes(const SeriesDef& d, uint64_t footprint) {
  const uint64_t slot = d.mode == ChaseMode::LinePerPage ? d.page_bytes : 64;
  return mapped_bytes(d, footprint) + footprint / slot * 8;
}

// The points of each series. An explicit --max-footprint beyond what the machine has available
// (MemAvailable, less a quarter for everything else: estimate) is refused; the defaults are
// lowered to fit, with a note.
std::vector<Plan> plan(const CalibrateOptions& o, const HostInfo& host) {
  std::optional<uint64_t> max;
  if (!o.max_footprint.empty()) {
    max = parse_size(o.max_footprint);
    if (!max || *max == 0)
      throw po::error("option '--max-footprint': '" + o.max_footprint +
                      "' is not a size (e.g. 512MiB, 4GiB)");
  }
  const uint64_t budget = host.mem_available / 4 * 3;
  std::vector<Plan> plans;
  for (const SeriesDef* d : parse_series(o.series)) {
    uint64_t limit = max ? *max : o.quick ? d->quick_max : d->default_max;
    if (o.quick && max) limit = std::min(limit, d->quick_max);
    std::vector<uint64_t> fp = series_footprints(*d, limit, o.quick);
    if (fp.empty())
      throw po::error("option '--max-footprint': " + format_size(limit) + " leaves series " +
                      d->name + " no point (its first is " + format_size(d->min_footprint) + ")");
    if (budget && point_bytes(*d, fp.back()) > budget) {
      if (max)
        throw po::error("option '--max-footprint': series " + d->name + " would need " +
                        format_size(point_bytes(*d, fp.back())) + " but this machine has " +
                        format_size(host.mem_available) +
                        " available (MemAvailable); give a smaller size");
      while (fp.size() > 1 && point_bytes(*d, fp.back()) > budget) fp.pop_back();
      std::cerr << "nptsim calibrate: " << d->name << " stops at " << format_size(fp.back())
                << " (MemAvailable " << format_size(host.mem_available) << ")\n";
    }
    plans.push_back({d, fp});
  }
  return plans;
}

// Measures every point of `p`; false (after a message) when one fails.
bool measure(const Plan& p, const CalibrateOptions& o, const CoreClock& clock, MeasuredSeries& s) {
  s.def = p.def;
  Progress progress("accesses timed (" + p.def->name + ")", 0, !o.quiet);
  uint64_t done = 0;
  ChaseTiming timing;
  timing.repeat = o.repeat;
  if (o.quick) timing.min_seconds = 0.001, timing.min_accesses = 2000;
  timing.on_accesses = [&](uint64_t n) { progress.update(done += n); };
  for (uint64_t fp : p.footprints) {
    ChaseSpec spec;
    spec.mode = p.def->mode;
    spec.page_bytes = p.def->page_bytes;
    spec.footprint_bytes = fp;
    spec.seed = o.seed;
    ChaseMeasurement m;
    if (auto e = measure_chase(spec, timing, m)) {
      progress.finish();
      std::cerr << "nptsim calibrate: " << p.def->name << " at " << format_size(fp) << ": " << *e
                << "\n";
      return false;
    }
    s.points.push_back({mapped_bytes(*p.def, fp) / p.def->page_bytes, fp, m.accesses, m.ns_min,
                        m.ns_median, m.clean_runs, m.ns_min * clock.ghz, m.huge_fraction});
  }
  progress.finish();
  return true;
}

FitInput fit_input(const Calibration& c) {
  FitInput in;
  in.freq_ghz = c.clock.ghz;
  in.freq_measured = c.clock.method.rfind("timed", 0) == 0;
  for (const MeasuredSeries& s : c.series) {
    std::vector<CurvePoint>& curve = s.def->name == "cache"    ? in.cache
                                     : s.def->name == "tlb-4k" ? in.tlb4k
                                                               : in.tlb2m;
    for (const MeasuredPoint& p : s.points) {
      const double y = c.clock.ghz > 0 ? p.cycles_per_access : p.ns_per_access;
      const double x = s.def->name == "cache" ? static_cast<double>(p.footprint_bytes)
                                              : static_cast<double>(p.pages);
      curve.push_back({x, y, std::max(y, 1e-3)});
    }
  }
  return in;
}

Rounding base_rounding() {
  const SimConfig d;
  Rounding r;
  r.tlb_l1d_ways = d.platform.mmu.l1d.ways;
  r.tlb_l2_ways = d.platform.mmu.l2.ways;
  r.l1d_ways = d.platform.mem.l1d.ways;
  r.l2_ways = d.platform.mem.l2.ways;
  r.llc_ways = d.platform.mem.llc.ways;
  r.line_bytes = d.platform.mem.line_bytes;
  return r;
}

void write_file(const std::filesystem::path& path,
                void (*writer)(std::ostream&, const Calibration&), const Calibration& c) {
  std::ofstream f(path);
  if (f) writer(f, c);
  if (!f) throw po::error("option '--out': cannot write " + path.string());
}

}  // namespace

int calibrate_main(const Args& args) {
  CalibrateOptions o;
  po::options_description opts(
      "Usage: nptsim calibrate [--out DIR] [--quick] [--series LIST] [--max-footprint SIZE]\n\n"
      "Measures this machine with native pointer chases (one dependent load per access, pages\n"
      "and lines in a seeded random order): the TLB reach with 4 KiB pages (tlb-4k) and 2 MiB\n"
      "pages (tlb-2m) and the cache latencies (cache); fits cache sizes and latencies, TLB\n"
      "entries and the L2 TLB hit penalty, and writes DIR/measured.json, DIR/measured.csv and\n"
      "DIR/fitted.ini (a preset to layer over a base one: --preset skylake --config\n"
      "DIR/fitted.ini). docs/CALIBRATE.md explains the method and the output.\n\nOptions");
  opts.add_options()("help,h", "show this help")("out,o", po::value(&o.out)->default_value(o.out),
                                                 "output directory")(
      "quick", "a few small points, short timing (seconds; for tests)")(
      "series", po::value(&o.series)->default_value(o.series), "series to measure")(
      "max-footprint", po::value(&o.max_footprint),
      "largest footprint of every series (default: tlb-4k 1GiB, tlb-2m 4GiB, cache 256MiB)")(
      "seed", po::value(&o.seed)->default_value(o.seed), "seed of the access order")(
      "repeat", po::value(&o.repeat)->default_value(o.repeat),
      "timed runs per point not preempted by the scheduler (the fastest is reported)")(
      "quiet,q", "no progress line, no summary on stdout");
  po::variables_map vm;
  if (!parse_options(args, opts, vm)) return kExitOk;
  o.quick = vm.count("quick") > 0;
  o.quiet = vm.count("quiet") > 0;
  if (o.repeat < 1 || o.repeat > 1000)
    throw po::error("option '--repeat': expected 1 to 1000, got " + std::to_string(o.repeat));
  Calibration c;
  c.host = read_host_info();
  c.seed = o.seed;
  c.quick = o.quick;
  const std::vector<Plan> plans = plan(o, c.host);
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) throw po::error("option '--out': cannot create " + o.out + ": " + ec.message());
  c.clock = measure_core_clock(o.quick ? 0.01 : 0.1);
  for (const Plan& p : plans) {
    c.series.emplace_back();
    if (!measure(p, o, c.clock, c.series.back())) return kExitCheckFailed;
  }
  c.fit = fit_calibration(fit_input(c), base_rounding());
  const std::filesystem::path dir(o.out);
  write_file(dir / "measured.json", write_measured_json, c);
  write_file(dir / "measured.csv", write_measured_csv, c);
  write_file(dir / "fitted.ini", write_fitted_ini, c);
  if (!o.quiet) print_summary(std::cout, c);
  if (!o.quiet)
    std::cout << "\nwritten: " << (dir / "measured.json").string()
              << ", measured.csv, fitted.ini\n";
  return kExitOk;
}

}  // namespace nptsim::cli
