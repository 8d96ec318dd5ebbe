// nptsim validate: replays the access patterns `nptsim calibrate` timed on a machine through
// nptsim with a preset and prints measured versus simulated time per access, per footprint,
// with the relative error; writes them as CSV and a plot (docs/CALIBRATE.md, "Validate").
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "models/core/common/size_parse.h"
#include "sim/calibrate/series.h"
#include "sim/commands/commands.h"
#include "sim/run/param_options.h"
#include "sim/run/plots.h"
#include "sim/util/format.h"
#include "sim/util/progress.h"
#include "sim/validate/replay.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

using namespace nptsim::replay;

struct ValidateOptions {
  std::string measured, out = "validate-out", arch, backing = "linear", series, two_d = "auto",
                        max_footprint;
  uint64_t laps = 2;
  bool no_plot = false, quiet = false;
};

const char* const kUsage =
    "Usage: nptsim validate --preset P --measured DIR/measured.json [OPTIONS]\n\n"
    "Replays the pointer chases `nptsim calibrate` timed on a machine (the same addresses, in\n"
    "the same order) through nptsim with a preset, one warm-up lap then --laps measured laps per\n"
    "footprint, each access dependent on the previous (core.window = 1, as a chase is), and\n"
    "prints measured versus simulated nanoseconds per access with the relative error. When the\n"
    "measuring machine was a virtual machine, its walks were two-dimensional and so are the\n"
    "replayed ones (guest tables over stage 2). Writes OUT/validate.csv and a plot per series\n"
    "(OUT/<series>.svg, .png; gnuplot). Without --measured, it simulates the footprints\n"
    "calibrate would measure (up to --max-footprint) and prints the preset's own curves.\n\n"
    "Options";

po::options_description options(ValidateOptions& o) {
  po::options_description d(kUsage);
  d.add_options()("help,h", "show this help")(
      "measured", po::value(&o.measured),
      "measured.json written by nptsim calibrate; without it, the preset's curves alone")(
      "max-footprint", po::value(&o.max_footprint),
      "without --measured: the largest footprint simulated (default: calibrate's per series)")(
      "out", po::value(&o.out)->default_value(o.out), "directory for validate.csv and the plots")(
      "arch", po::value(&o.arch),
      "architecture to simulate (default: the measuring machine's, x86_64 when it is another)")(
      "host-backing", po::value(&o.backing)->default_value(o.backing),
      "how the host backs guest RAM in 2D replays: linear (1 GiB / 2 MiB blocks, as a host "
      "with huge pages does) or alloc (4 KiB pages)")(
      "two-dimensional", po::value(&o.two_d)->default_value(o.two_d),
      "auto (from the measuring machine: a VM walks two-dimensionally), on or off")(
      "series", po::value(&o.series),
      "replay only these series (tlb-4k,tlb-2m,cache; default all)")(
      "laps", po::value(&o.laps)->default_value(o.laps), "measured laps per footprint, 1..100")(
      "no-plot", "write no plots (no gnuplot needed)")("quiet,q", "no progress line");
  return d;
}

Arch choose_arch(const ValidateOptions& o, const MeasuredFile& m) {
  const std::string name = !o.arch.empty() ? o.arch : m.arch;
  if (auto a = parse_arch(name)) return *a;
  if (!o.arch.empty())
    throw po::error("option '--arch': expected x86_64, aarch64 or riscv64, got '" + o.arch + "'");
  return Arch::X86_64;
}

ReplaySetup setup(const po::variables_map& vm, const ValidateOptions& o, const MeasuredFile& m) {
  ReplaySetup s;
  const Arch arch = choose_arch(o, m);
  // A pointer chase: each access waits for the previous one.
  s.platform = resolve_params(vm, {{"core.window", "1", "nptsim validate (a pointer chase)"}}, arch)
                   .config.platform;
  s.platform.stage2 = Stage2Config{arch, default_stage2_levels(arch), GeometryMode::Hardware, 0};
  if (o.two_d != "auto" && o.two_d != "on" && o.two_d != "off")
    throw po::error("option '--two-dimensional': expected auto, on or off, got '" + o.two_d + "'");
  s.two_dimensional = o.two_d == "auto" ? m.virtual_machine : o.two_d == "on";
  auto backing = parse_backend_kind(o.backing);
  if (!backing || *backing == BackendKind::Lazy)
    throw po::error("option '--host-backing': expected linear or alloc, got '" + o.backing + "'");
  s.host_backing = *backing;
  if (o.laps < 1 || o.laps > 100) throw po::error("option '--laps': must be 1..100");
  s.laps = o.laps;
  s.seed = m.seed;
  return s;
}

void print_curve(std::ostream& out, const CurveComparison& c, const std::string& how) {
  out << "\nseries " << c.name << " (" << c.mode << ", " << format_size(c.page_bytes)
      << " pages): " << how << "\n";
  char line[160];
  std::snprintf(line, sizeof line, "  %12s %9s %12s %13s %11s %9s %11s %11s\n", "footprint",
                "slots", "measured ns", "simulated ns", "sim cycles", "error", "L1 TLB miss",
                "L2 TLB miss");
  out << line;
  for (const PointComparison& p : c.points) {
    const bool measured = p.measured_ns > 0;  // 0: no measurement (the preset's curve alone)
    const std::string ns = measured ? fixed(p.measured_ns, 2) : "-";
    const std::string error = measured ? fixed(100 * p.relative_error(), 1) + "%" : "-";
    std::snprintf(line, sizeof line, "  %12s %9llu %12s %13s %11s %9s %10s%% %10s%%\n",
                  format_size(p.footprint_bytes).c_str(), static_cast<unsigned long long>(p.slots),
                  ns.c_str(), fixed(p.simulated_ns, 2).c_str(),
                  fixed(p.simulated_cycles, 1).c_str(), error.c_str(),
                  fixed(100 * p.l1_tlb_misses, 1).c_str(), fixed(100 * p.l2_tlb_misses, 1).c_str());
    out << line;
  }
  if (!c.points.empty() && c.points.front().measured_ns > 0) {
    out << "  mean |error| " << fixed(100 * c.mean_abs_error(), 1) << "% over " << c.points.size()
        << " footprints\n";
  }
}

void write_csv(const std::string& path, const std::vector<CurveComparison>& curves) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error("cannot write '" + path + "'");
  f << "series,footprint_bytes,slots,accesses,measured_ns,simulated_ns,simulated_cycles,"
       "relative_error,l1_tlb_misses_per_access,l2_tlb_misses_per_access\n";
  for (const CurveComparison& c : curves) {
    for (const PointComparison& p : c.points) {
      f << c.name << "," << p.footprint_bytes << "," << p.slots << "," << p.accesses << ","
        << p.measured_ns << "," << p.simulated_ns << "," << p.simulated_cycles << ","
        << (p.measured_ns > 0 ? p.relative_error() : 0.0) << "," << p.l1_tlb_misses << ","
        << p.l2_tlb_misses << "\n";
    }
  }
}

// One plot per series: measured and simulated ns per access against the footprint (log x).
void write_plots(const std::string& dir, const std::vector<CurveComparison>& curves,
                 const std::string& preset, bool measured) {
  const std::string script = dir + "/validate.gp";
  std::ofstream gp(script);
  if (!gp) throw std::runtime_error("cannot write '" + script + "'");
  gp << "# Drawn by nptsim validate; run again with: gnuplot " << script
     << "\nset grid\nset logscale x 2\nset key top left\nset datafile separator ','\n"
        "set xlabel 'footprint (KiB)'\nset ylabel 'ns per access'\nset format x '%.0f'\n";
  for (const CurveComparison& c : curves) {
    for (const char* term : {"svg size 800,500 noenhanced", "pngcairo size 800,500 noenhanced"}) {
      const std::string ext = term[0] == 's' ? "svg" : "png";
      gp << "set terminal " << term << "\nset output '" << dir << "/" << c.name << "." << ext
         << "'\nset title '" << c.name << ": nptsim (" << preset << ")"
         << (measured ? " vs measured" : "") << "'\n"
         << "plot '" << dir << "/validate.csv' using (strcol(1) eq '" << c.name
         << "' ? $2/1024 : 1/0):5 with linespoints lw 2 title 'measured', '' using (strcol(1) eq '"
         << c.name << "' ? $2/1024 : 1/0):6 with linespoints lw 2 title 'simulated'\n";
    }
  }
  gp << "unset output\n";
  gp.close();
  run_gnuplot(script, dir);
}

// Without a measurement: calibrate's series and footprints, nothing measured (ns 0), on a
// machine taken as not virtual (one-dimensional walks unless --two-dimensional on).
MeasuredFile unmeasured_curves(const ValidateOptions& o) {
  MeasuredFile m;
  m.cpu = "none";
  m.arch = "x86_64";
  for (const calibrate::SeriesDef& d : calibrate::series_defs()) {
    uint64_t max = d.default_max;
    if (!o.max_footprint.empty()) {
      auto v = parse_size(o.max_footprint);
      if (!v) throw po::error("option '--max-footprint': not a size: '" + o.max_footprint + "'");
      max = std::min(max, *v);
    }
    MeasuredCurve c{d.name, calibrate::to_string(d.mode), d.page_bytes, true, {}};
    for (uint64_t f : calibrate::series_footprints(d, max, false)) c.points.push_back({f, 0, 0});
    m.curves.push_back(std::move(c));
  }
  return m;
}

}  // namespace

int validate_main(const Args& args) {
  ValidateOptions o;
  po::variables_map vm;
  if (!parse_with_params(args, options(o), "Configuration (as nptsim run)", false, vm))
    return kExitOk;
  o.no_plot = vm.count("no-plot") != 0;
  o.quiet = vm.count("quiet") != 0;
  MeasuredFile m;
  try {
    m = o.measured.empty() ? unmeasured_curves(o) : read_measured_file(o.measured);
  } catch (const std::runtime_error& e) {
    std::cerr << "nptsim validate: " << e.what() << "\n";
    return kExitUsage;
  }
  const ReplaySetup s = setup(vm, o, m);
  const std::string preset = vm.count("preset") ? vm["preset"].as<std::string>() : "defaults";
  std::cout << (o.measured.empty()
                    ? "no measurement"
                    : "measured on " + m.cpu + (m.virtual_machine ? " (virtual machine)" : ""))
            << "; simulated: " << to_string(s.platform.stage2.arch) << ", preset " << preset
            << ", core.window = 1 (a dependent chase)\n";
  std::vector<CurveComparison> curves;
  for (const MeasuredCurve& c : m.curves) {
    if (vm.count("series") && ("," + o.series + ",").find("," + c.name + ",") == std::string::npos)
      continue;
    Progress progress("footprints of " + c.name, c.points.size(), !o.quiet);
    curves.push_back(replay_curve(s, c, [&](size_t done, size_t) { progress.update(done); }));
    progress.finish();
    print_curve(std::cout, curves.back(), replay_description(s, c));
  }
  if (curves.empty()) throw po::error("option '--series': no series of the file matches");
  make_dir(o.out);
  write_csv(o.out + "/validate.csv", curves);
  if (!o.no_plot) write_plots(o.out, curves, preset, !o.measured.empty());
  std::cout << "\nwrote " << o.out << "/validate.csv" << (o.no_plot ? "" : " and the plots")
            << "\n";
  return kExitOk;
}

}  // namespace nptsim::cli
