// nptsim conformance FILE...: replay golden vectors of axaddrspace v0.3.0.
#include <boost/program_options.hpp>
#include <iostream>

#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/conformance/conformance.h"

namespace po = boost::program_options;

namespace nptsim::cli {

int conformance_main(const Args& args) {
  po::options_description opts(
      "Usage: nptsim conformance FILE...\n\n"
      "Replays golden-vector scripts recorded from the axaddrspace crate (.jsonl, or gzip\n"
      ".jsonl.gz) against nptsim's AddrSpace with the contract's bump allocator. Prints one\n"
      "line per failing script, then 'N passed, M failed' (scripts). Exit 0 only if none\n"
      "failed; 2 for a malformed or unreadable file.\n\nOptions");
  opts.add_options()("help,h", "show this help");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(), "vector file");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (!parse_options(args, opts, vm, &hidden, &pos)) return kExitOk;
  if (!vm.count("file")) {
    std::cerr << "nptsim conformance: no vector file given (try --help)\n";
    return kExitUsage;
  }
  conformance::FileSummary total;
  for (const std::string& path : vm["file"].as<std::vector<std::string>>()) {
    try {
      auto s = conformance::run_file(path, std::cout);
      total.passed += s.passed;
      total.failed += s.failed;
    } catch (const std::exception& e) {
      std::cout << std::flush;
      std::cerr << "nptsim conformance: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  std::cout << total.passed << " passed, " << total.failed << " failed\n";
  return total.failed == 0 ? kExitOk : kExitCheckFailed;
}

}  // namespace nptsim::cli
