#include "sim/run/plots.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace nptsim {

namespace {

void write_cdf(const std::string& path, const LatencyHistogram& h) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error("cannot write '" + path + "'");
  f << "# walk latency (cycles)  cumulative fraction of walks\n";
  uint64_t seen = 0;
  const uint64_t total = h.count();
  h.for_each_bucket([&](uint64_t upper, uint64_t n) {
    seen += n;
    f << upper << ' ' << static_cast<double>(seen) / static_cast<double>(total ? total : 1) << '\n';
  });
}

void write_hist(const std::string& path, const LatencyHistogram& h) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error("cannot write '" + path + "'");
  f << "# references per walk  walks\n";
  h.for_each_bucket([&](uint64_t upper, uint64_t n) { f << upper << ' ' << n << '\n'; });
}

}  // namespace

void write_plots(const std::string& dir, const std::vector<RunResult>& runs) {
  make_dir(dir);
  const std::string script_path = dir + "/plots.gp";
  std::ofstream gp(script_path);
  if (!gp) throw std::runtime_error("cannot write '" + script_path + "'");
  gp << "# Drawn by nptsim; run again with: gnuplot " << script_path << "\nset grid\nset key off\n";
  const bool schemes = std::any_of(runs.begin(), runs.end(),
                                   [&](const RunResult& r) { return r.scheme != runs[0].scheme; });
  for (const RunResult& r : runs) {
    const std::string base =
        dir + "/" + r.arch + "-" + r.backend + (schemes ? "-" + r.scheme : std::string());
    write_cdf(base + ".walk-cdf.dat", r.walk_cycles);
    const bool have_refs = r.refs_per_walk.count() > 0;
    if (have_refs) write_hist(base + ".refs.dat", r.refs_per_walk);
    const std::string title =
        r.arch + " " + r.backend + " " + r.scheme + (r.two_dimensional ? " (2D)" : " (stage 2)");
    for (const char* term : {"svg size 800,500 noenhanced", "pngcairo size 800,500 noenhanced"}) {
      const std::string ext = term[0] == 's' ? "svg" : "png";
      gp << "set terminal " << term << "\n"
         << "set output '" << base << ".walk-cdf." << ext << "'\n"
         << "set title 'Walk latency CDF, " << title
         << "'\nset xlabel 'cycles'\nset ylabel 'fraction of walks'\n"
         << "set logscale x\nset yrange [0:1]\n"
         << "plot '" << base
         << ".walk-cdf.dat' using 1:2 with steps lw 2\nunset logscale x\nset yrange [*:*]\n";
      if (have_refs) {
        gp << "set output '" << base << ".refs." << ext << "'\n"
           << "set title 'Memory references per walk, " << title
           << "'\nset xlabel 'references'\nset ylabel 'walks'\n"
           << "set style fill solid 0.6\nset boxwidth 0.8\nplot '" << base
           << ".refs.dat' using 1:2 with boxes\n";
      }
    }
  }
  gp << "unset output\n";
  gp.close();
  run_gnuplot(script_path, dir);
}

void run_gnuplot(const std::string& script_path, const std::string& dir) {
  const std::string cmd = "gnuplot '" + script_path + "' 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run gnuplot: " + std::string(std::strerror(errno)));
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  const int st = ::pclose(p);
  if (!WIFEXITED(st) || WEXITSTATUS(st) == 127) {
    throw std::runtime_error(
        "gnuplot not found: install the Debian package 'gnuplot-nox' (the data and "
        "script are in " +
        dir + ")");
  }
  if (WEXITSTATUS(st) != 0)
    throw std::runtime_error("gnuplot failed on " + script_path + ": " + out);
}

void make_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    throw std::runtime_error("cannot create '" + dir + "': " + std::strerror(errno));
  }
}

}  // namespace nptsim
