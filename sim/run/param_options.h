// The parameter tree (models/core/platform/params) on the command line: one option per
// configuration key, presets, INI files and --set, applied in layers:
//   built-in defaults < --preset NAME < --config FILE (in order) < --KEY VALUE < --set KEY=VALUE
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <map>
#include <optional>
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

// Where a parameter's value came from.
struct ParamSource {
  std::string origin;  // "presets/zen5.ini:40", "--set", "--tlb.l2.entries", "--tlb"
  std::string note;    // an INI file's comment above the key: a preset's source; else empty
};

// One run's configuration and the provenance of its values.
struct ResolvedConfig {
  SimConfig config;
  std::string preset;                          // the preset applied ("" without one)
  std::map<std::string, ParamSource> sources;  // the keys a layer set; the others are defaults

  // Whether `key`'s value has no public source: the INI note of the layer that set it, or the
  // default's declared source, starts with "estimate". Command-line values are the user's.
  bool estimate(const std::string& key) const;
};

// A per-architecture preset (presets/native.ini) is an INI file whose only section, [per_arch],
// names a preset per architecture (x86_64 = zen5). Its presets by architecture name; empty when
// `name` is an ordinary preset. Throws boost::program_options::error on a malformed file.
std::map<std::string, std::string> per_arch_presets(const std::string& name);

// The configuration of ordinary preset `name` alone over the defaults. Throws
// boost::program_options::error as resolve_params does.
ResolvedConfig load_preset(const std::string& name);

// Builds the configuration from the layers the user gave in `vm` (and `aliases`, at the --KEY
// layer); with a per-architecture preset, `arch` chooses its entry (required then). Throws
// boost::program_options::error naming the origin (file:line, --set, --KEY), the key and the
// value.
ResolvedConfig resolve_params(const boost::program_options::variables_map& vm,
                              const std::vector<ParamAlias>& aliases,
                              std::optional<Arch> arch = std::nullopt);

// The INI file of preset NAME: NAME itself when it names a file (contains '/' or ends in .ini),
// else NAME.ini in the presets directory ($NPTSIM_PRESETS, else the source tree's presets/).
std::string preset_path(const std::string& name);
std::vector<std::string> preset_names();

// The key is a hardware parameter a preset sets (core, MMU, TLBs, walk caches, memory, fault
// costs), not a choice of the workload (guest, A/D switches, translation scheme, simulation).
bool preset_param(const std::string& key);

// The reports' configuration echo of `r`: `preset` (its name, or "none"), `estimates` (the
// hardware parameters without a public source, by structure: "tlb.nested, mem.l1i.latency"),
// then key = value of every parameter, in declaration order.
ConfigEcho param_echo(const ResolvedConfig& r);

// The hardware parameters of `c` (TLBs, walk caches, memory, fault costs) as an INI file: one
// [group] per structure, each value with the source of the default as a comment (the form of
// presets/*.ini).
void write_params_ini(std::ostream& out, const SimConfig& c);

// docs/PARAMETERS.md: every parameter with its type, default, unit, meaning and source.
void write_parameters_markdown(std::ostream& out);

}  // namespace nptsim
