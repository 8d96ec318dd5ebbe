#include "sim/commands/options.h"

#include <iostream>

namespace po = boost::program_options;

namespace nptsim::cli {

bool parse_options(const Args& args, const po::options_description& visible, po::variables_map& vm,
                   const po::options_description* hidden,
                   const po::positional_options_description* pos) {
  po::options_description all;
  all.add(visible);
  if (hidden) all.add(*hidden);
  po::command_line_parser parser(args);
  parser.options(all);
  if (pos) parser.positional(*pos);
  po::store(parser.run(), vm);
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

}  // namespace nptsim::cli
