// The parameter tree (models/core/platform/params) on the command line: one option per
// configuration key, presets, INI files and --set, applied in layers:
//   built-in defaults < --preset NAME < --config FILE (in order) < --KEY VALUE < --set KEY=VALUE
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "models/core/platform/params/sim_config.h"
#include "sim/run/report.h"

namespace nptsim {

// Adds --preset, --config, --set and one --KEY option per parameter to `d`.
void add_param_options(boost::program_options::options_description& d);

// Parses `args` against a command's own options `opts` and the parameter options (titled
// `params_title`) into `vm`, exact option names only (a prefix such as --mem.fixed is not taken
// for a longer key). Returns false after printing the help when --help was given (with the
// parameters when `help_params`).
bool parse_with_params(const std::vector<std::string>& args,
                       const boost::program_options::options_description& opts,
                       const std::string& params_title, bool help_params,
                       boost::program_options::variables_map& vm);

// A parameter set by a command's own option (--guest-levels 5 is guest.levels = 5): applied with
// the --KEY options.
struct ParamAlias {
  std::string key, value, origin;
};

// Builds `out` from the layers the user gave in `vm` (and `aliases`, at the --KEY layer); throws
// boost::program_options::error naming the origin (file:line, --set, --KEY), the key and the value.
void resolve_params(const boost::program_options::variables_map& vm,
                    const std::vector<ParamAlias>& aliases, SimConfig& out);

// The INI file of preset NAME: NAME itself when it names a file (contains '/' or ends in .ini),
// else NAME.ini in the presets directory ($NPTSIM_PRESETS, else the source tree's presets/).
std::string preset_path(const std::string& name);
std::vector<std::string> preset_names();

// key = value of every parameter of `c`, in declaration order (the reports' configuration echo).
ConfigEcho param_echo(const SimConfig& c);

// The hardware parameters of `c` (TLBs, walk caches, memory, fault costs) as an INI file: one
// [group] per structure, each value with the source of the default as a comment (the form of
// presets/*.ini).
void write_params_ini(std::ostream& out, const SimConfig& c);

// docs/PARAMETERS.md: every parameter with its type, default, unit, meaning and source.
void write_parameters_markdown(std::ostream& out);

}  // namespace nptsim
