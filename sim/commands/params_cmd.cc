// nptsim params: every configuration parameter with its value after the layers given (preset,
// config files, --KEY, --set), its default and the source of the default; --markdown writes
// docs/PARAMETERS.md.
#include <boost/program_options.hpp>
#include <iostream>

#include "sim/commands/commands.h"
#include "sim/run/param_options.h"
#include "sim/run/preset_docs.h"

namespace po = boost::program_options;

namespace nptsim::cli {

int params_main(const Args& args) {
  po::options_description opts(
      "Usage: nptsim params [--preset NAME [--arch A]] [--config FILE] [--set KEY=VALUE]...\n"
      "                     [--sources | --ini | --markdown | --presets | --presets-markdown]\n\n"
      "Lists every configuration parameter of run and compare: its value after the layers given\n"
      "(defaults < preset < config files < --KEY < --set), its default, unit and the source of\n"
      "the default.\n\nOptions");
  opts.add_options()("help,h", "show this help")(
      "markdown", "write the reference table (docs/PARAMETERS.md) instead")(
      "presets-markdown", "write the presets side by side (docs/PRESETS.md) instead")(
      "ini",
      "write the hardware values as an INI file with the source of each default (a preset's form)")(
      "presets", "list the presets")(
      "sources",
      "give each value's source: the preset's comment above it, the option that set it, "
      "or the default's source")("arch", po::value<std::string>(),
                                 "with a per-architecture preset (native): the architecture");
  po::variables_map vm;
  if (!parse_with_params(args, opts, "Configuration", false, vm)) return kExitOk;
  if (vm.count("markdown")) {
    write_parameters_markdown(std::cout);
    return kExitOk;
  }
  if (vm.count("presets-markdown")) {
    write_presets_markdown(std::cout);
    return kExitOk;
  }
  if (vm.count("presets")) {
    for (const std::string& n : preset_names()) std::cout << n << "  " << preset_path(n) << "\n";
    return kExitOk;
  }
  std::optional<Arch> arch;
  if (vm.count("arch") && !(arch = parse_arch(vm["arch"].as<std::string>()))) {
    throw po::error("option '--arch': expected x86_64, aarch64 or riscv64, got '" +
                    vm["arch"].as<std::string>() + "'");
  }
  const ResolvedConfig r = resolve_params(vm, {}, arch);
  if (vm.count("ini")) {
    write_params_ini(std::cout, r.config);
    return kExitOk;
  }
  const SimConfig defaults;
  for (const auto& p : sim_params().all()) {
    const std::string v = p.get(r.config), d = p.get(defaults);
    std::cout << p.key << " = " << v << (v == d ? "" : "  (default " + d + ")");
    if (vm.count("sources")) {
      const auto it = r.sources.find(p.key);
      std::cout << "  <- "
                << (it == r.sources.end()
                        ? "default: " + p.source
                        : it->second.origin +
                              (it->second.note.empty() ? "" : ": " + it->second.note));
    }
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace nptsim::cli
