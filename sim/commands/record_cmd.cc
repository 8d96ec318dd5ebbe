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
  Progress progress("records", 0, !vm.count("quiet"));
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
    std::cerr << "nptsim record: no accesses were recorded: " << r.tool << " exited with status "
              << r.exit_status << " (see its message above)\n";
    return kExitUsage;
  }
  std::cerr << "nptsim record: " << r.records << " accesses from " << o.argv[0] << " via "
            << to_string(r.tracer) << " written to " << o.out;
  if (r.exit_status != 0) std::cerr << " (the program exited with status " << r.exit_status << ")";
  std::cerr << "\n";
  return kExitOk;
}

}  // namespace nptsim::cli
