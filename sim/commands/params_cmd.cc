// nptsim params: every configuration parameter with its value after the layers given (preset,
// config files, --KEY, --set), its default and the source of the default; --markdown writes
// docs/PARAMETERS.md.
#include <boost/program_options.hpp>
#include <iostream>

#include "sim/commands/commands.h"
#include "sim/run/param_options.h"

namespace po = boost::program_options;

namespace nptsim::cli {

int params_main(const Args& args) {
  po::options_description opts(
      "Usage: nptsim params [--preset NAME] [--config FILE] [--set KEY=VALUE]... [--markdown]\n\n"
      "Lists every configuration parameter of run and compare: its value after the layers given\n"
      "(defaults < preset < config files < --KEY < --set), its default, unit and the source of\n"
      "the default.\n\nOptions");
  opts.add_options()("help,h", "show this help")(
      "markdown", "write the reference table (docs/PARAMETERS.md) instead")(
      "ini",
      "write the hardware values as an INI file with the source of each default (a preset's form)")(
      "presets", "list the presets");
  po::variables_map vm;
  if (!parse_with_params(args, opts, "Configuration", false, vm)) return kExitOk;
  if (vm.count("markdown")) {
    write_parameters_markdown(std::cout);
    return kExitOk;
  }
  if (vm.count("presets")) {
    for (const std::string& n : preset_names()) std::cout << n << "  " << preset_path(n) << "\n";
    return kExitOk;
  }
  SimConfig c;
  resolve_params(vm, {}, c);
  if (vm.count("ini")) {
    write_params_ini(std::cout, c);
    return kExitOk;
  }
  const SimConfig defaults;
  for (const auto& p : sim_params().all()) {
    const std::string v = p.get(c), d = p.get(defaults);
    std::cout << p.key << " = " << v << (v == d ? "" : "  (default " + d + ")") << "\n";
  }
  return kExitOk;
}

}  // namespace nptsim::cli
