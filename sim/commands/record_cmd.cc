// nptsim record: run a real program and stream its accesses into an nptsim binary trace.
#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>

#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/util/progress.h"
#include "traces/io/trace_error.h"
#include "traces/record/recorder.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

using nptsim::trace::RecordOptions;
using nptsim::trace::RecordResult;
using nptsim::trace::RecordWindow;

// A record count given as decimal digits only (no sign, no unit), at least `min`; otherwise a
// usage error naming the option.
uint64_t count_option(const po::variables_map& vm, const char* name, uint64_t min) {
  const std::string s = vm[name].as<std::string>();
  uint64_t v = 0;
  bool ok = !s.empty() && s.size() <= 19;
  for (char c : s) {
    ok = ok && c >= '0' && c <= '9';
    if (ok) v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (!ok || v < min)
    throw po::error(std::string("option '--") + name + "': expected a number of records" +
                    (min ? " of at least " + std::to_string(min) : std::string()) +
                    " (decimal digits), got '" + s + "'");
  return v;
}

// What the progress line counts: the records written, out of --max-records (the cut) when given:
// "1000 / 3000000 records before the cut (500 skipped first) (0%), ...".
std::string progress_unit(const RecordOptions& o) {
  std::string unit = "records";
  if (o.max_records != RecordWindow::kNoLimit) unit += " before the cut";
  if (o.skip) unit += " (" + std::to_string(o.skip) + " skipped first)";
  return unit;
}

// The final line: what was written, where the window cut it, how the program ended.
void report(const RecordOptions& o, const RecordResult& r) {
  std::cerr << "nptsim record: " << r.records << " accesses from " << o.argv[0] << " via "
            << to_string(r.tracer) << " written to " << o.out;
  if (o.skip) std::cerr << " (the first " << o.skip << " records skipped)";
  if (r.cut) {
    std::cerr << "; the trace was cut at " << r.records
              << " records (--max-records) and the program stopped";
  } else if (r.exit_status != 0) {
    std::cerr << " (the program exited with status " << r.exit_status << ")";
  }
  std::cerr << "\n";
}

}  // namespace

int record_main(const Args& all_args) {
  using namespace nptsim::trace;
  // Everything after "--" is the program and its arguments.
  auto dashdash = std::find(all_args.begin(), all_args.end(), "--");
  Args args(all_args.begin(), dashdash);
  RecordOptions o;
  if (dashdash != all_args.end()) o.argv.assign(dashdash + 1, all_args.end());
  std::string tracer;
  o.out = "trace.nptb";
  o.qemu_plugin = NPTSIM_QEMU_PLUGIN_PATH;
  po::options_description opts(
      "Usage: nptsim record [OPTIONS] -- PROGRAM [ARGS...]\n\n"
      "Runs PROGRAM and streams every instruction fetch and data access it makes (guest-virtual\n"
      "addresses) into an nptsim binary trace. Tracers:\n"
      "  qemu    qemu-user with nptsim's TCG plugin (Debian package qemu-user); runs x86_64,\n"
      "          aarch64 and riscv64 programs, much faster than lackey; the default when "
      "available\n"
      "  lackey  valgrind --tool=lackey --trace-mem=yes (Debian package valgrind); native "
      "programs\n"
      "The program's own output goes to the terminal as usual.\n\nOptions");
  opts.add_options()("help,h", "show this help")("tracer", po::value(&tracer),
                                                 "qemu or lackey (default: qemu where available)")(
      "out,o", po::value(&o.out)->default_value(o.out), "output trace (.nptb)")(
      "no-fetch", "record data accesses only, not instruction fetches")(
      "skip", po::value<std::string>(),
      "do not write the first N records (a sampling window past the program's start-up)")(
      "max-records", po::value<std::string>(),
      "stop after writing N records: the trace ends there and the program is stopped")(
      "plugin", po::value(&o.qemu_plugin)->default_value(o.qemu_plugin), "the nptsim QEMU plugin")(
      "quiet,q", "no progress line");
  po::variables_map vm;
  if (!parse_options(args, opts, vm)) return kExitOk;
  if (!tracer.empty()) {
    o.tracer = parse_tracer(tracer);
    if (!o.tracer)
      throw po::error("option '--tracer': expected qemu or lackey, got '" + tracer + "'");
  }
  if (o.argv.empty()) throw po::error("no program to record: put it after '--' (try --help)");
  o.fetches = !vm.count("no-fetch");
  if (vm.count("skip")) o.skip = count_option(vm, "skip", 0);
  if (vm.count("max-records")) o.max_records = count_option(vm, "max-records", 1);
  const uint64_t total = o.max_records == RecordWindow::kNoLimit ? 0 : o.max_records;
  Progress progress(progress_unit(o), total, !vm.count("quiet"));
  o.on_progress = [&](uint64_t n) { progress.update(n); };
  RecordResult r;
  try {
    r = record_program(o);
  } catch (const TraceError& e) {
    progress.finish();
    std::cerr << "nptsim record: " << e.what() << "\n";
    return kExitUsage;
  }
  progress.finish();
  if (r.records == 0) {
    std::cerr << "nptsim record: no accesses were recorded: ";
    if (o.skip)
      std::cerr << "the program ended within the first " << o.skip << " records (--skip); ";
    std::cerr << r.tool << " exited with status " << r.exit_status << " (see its message above)\n";
    return kExitUsage;
  }
  report(o, r);
  return kExitOk;
}

}  // namespace nptsim::cli
