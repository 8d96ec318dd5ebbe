// nptsim: hypervisor two-stage address translation simulator. Dispatches to a subcommand; only
// this file decides the process exit status (DESIGN.md, layers).
#include <boost/program_options/errors.hpp>
#include <cstring>
#include <iostream>
#include <string>

#include "sim/commands/commands.h"

namespace {

constexpr const char* kUsage =
    "Usage: nptsim COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  compare       one trace on every architecture x chosen backends: table, JSON, CSV, plots\n"
    "  run           simulate stage-2 translation of a trace on each architecture and backend\n"
    "  summary       build the default guest address space on every architecture and print\n"
    "                its areas, tables, frames and a few translations (the default job)\n"
    "  conformance   replay axaddrspace golden-vector files against nptsim's AddrSpace\n"
    "  gen           write a synthetic access trace (seq, stride, uniform, zipf, gups, chase)\n"
    "  record        run a program under valgrind lackey or qemu-user and record its accesses\n"
    "  info          summarise a trace: records per type, sizes, vCPUs, pages touched\n"
    "  convert       convert a trace (text, binary, lackey, champsim; gz/xz/zst) to text or "
    "binary\n"
    "  translate     answer an oracle test image's probes with nptsim's walkers (IMAGE.md format)\n"
    "  export-image  write a simulated guest's tables as an oracle test image with probes\n"
    "  params        list the configuration parameters of run/compare: values, defaults, sources\n"
    "  calibrate     measure this machine's TLBs and caches natively; fit them to a preset\n"
    "  validate      replay calibrate's measured chases through nptsim: measured vs simulated\n"
    "  sweep         plan a study over configurations; run it with GNU parallel or Slurm; merge\n"
    "\n"
    "'nptsim COMMAND --help' describes a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace nptsim::cli;
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  Args args(argv + 2, argv + argc);
  try {
    if (cmd == "run") return run_main(args);
    if (cmd == "compare") return compare_main(args);
    if (cmd == "summary") return summary_main(args);
    if (cmd == "conformance") return conformance_main(args);
    if (cmd == "gen") return gen_main(args);
    if (cmd == "convert") return convert_main(args);
    if (cmd == "record") return record_main(args);
    if (cmd == "info") return info_main(args);
    if (cmd == "translate") return translate_main(args);
    if (cmd == "export-image") return export_image_main(args);
    if (cmd == "params") return params_main(args);
    if (cmd == "calibrate") return calibrate_main(args);
    if (cmd == "validate") return validate_main(args);
    if (cmd == "sweep") return sweep_main(args);
  } catch (const boost::program_options::error& e) {
    std::cerr << "nptsim " << cmd << ": " << e.what() << " (try 'nptsim " << cmd << " --help')\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "nptsim " << cmd << ": " << e.what() << "\n";
    return kExitUsage;
  }
  std::cerr << "nptsim: unknown command '" << cmd << "'\n\n" << kUsage;
  return kExitUsage;
}
