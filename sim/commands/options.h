// Command-line parsing shared by the nptsim commands (Boost.Program_options).
#pragma once

#include <boost/program_options.hpp>

#include "sim/commands/commands.h"

namespace nptsim::cli {

// Parses `args` against `visible` (what --help shows) and optional `hidden` options filled from
// the positional arguments `pos`; stores and notifies into `vm`. Returns false when --help was
// asked for, after printing the help. Bad options throw boost::program_options::error.
bool parse_options(const Args& args, const boost::program_options::options_description& visible,
                   boost::program_options::variables_map& vm,
                   const boost::program_options::options_description* hidden = nullptr,
                   const boost::program_options::positional_options_description* pos = nullptr);

}  // namespace nptsim::cli
