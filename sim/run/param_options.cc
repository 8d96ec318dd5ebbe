#include "sim/run/param_options.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <sstream>

namespace po = boost::program_options;

namespace nptsim {

namespace {

std::string option_help(const SimParams::Decl& d, const SimConfig& defaults) {
  std::string h = d.doc;
  if (!d.unit.empty()) h += ", " + d.unit;
  if (d.type == ParamType::Choice) {
    std::string list;
    for (const std::string& c : d.choices) list += (list.empty() ? "" : "|") + c;
    h += " (" + list + ")";
  }
  return h + " [" + d.get(defaults) + "]";
}

// A Markdown table cell: '|' escaped.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void apply_or_throw(SimConfig& c, const std::string& key, const std::string& value,
                    const std::string& origin) {
  if (auto e = sim_params().apply(c, key, value, origin)) throw po::error(*e);
}

}  // namespace

void add_param_options(po::options_description& d) {
  d.add_options()("preset", po::value<std::string>(),
                  "a hardware preset: NAME (presets/NAME.ini) or an INI file; the first layer over "
                  "the defaults")(
      "config", po::value<std::vector<std::string>>()->composing(),
      "INI file of parameters ([tlb.l1d] entries = 64, ...), repeatable; over the preset")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "one parameter: --set section.key=value (repeatable); over everything else");
  const SimConfig defaults;
  for (const auto& p : sim_params().all()) {
    const std::string help = option_help(p, defaults);
    if (p.type == ParamType::List) {
      d.add_options()(p.key.c_str(), po::value<std::vector<std::string>>()->composing(),
                      help.c_str());
    } else {
      d.add_options()(p.key.c_str(), po::value<std::string>(), help.c_str());
    }
  }
}

bool parse_with_params(const std::vector<std::string>& args, const po::options_description& opts,
                       const std::string& params_title, bool help_params, po::variables_map& vm) {
  po::options_description params(params_title);
  add_param_options(params);
  po::options_description all;
  all.add(opts).add(params);
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::store(po::command_line_parser(args).options(all).style(style).run(), vm);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    if (help_params) std::cout << params << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

namespace {

// The file of preset `name`, or an error listing the presets there are.
std::string existing_preset_path(const std::string& name) {
  const std::string path = preset_path(name);
  if (std::filesystem::exists(path)) return path;
  std::string names;
  for (const std::string& n : preset_names()) names += (names.empty() ? "" : ", ") + n;
  throw po::error("option '--preset': no preset '" + name + "' (" + path +
                  " does not exist; presets: " + names + ")");
}

// Applies INI file `path` to `r`, recording each key's origin and note.
void apply_ini_layer(ResolvedConfig& r, const std::string& path) {
  std::vector<IniEntry> applied;
  if (auto e = apply_ini_file(sim_params(), r.config, path, &applied)) throw po::error(*e);
  for (const IniEntry& e : applied)
    r.sources[e.key] = ParamSource{path + ":" + std::to_string(e.line), e.note};
}

void apply_option(ResolvedConfig& r, const std::string& key, const std::string& value,
                  const std::string& origin) {
  apply_or_throw(r.config, key, value, origin);
  r.sources[key] = ParamSource{origin, ""};
}

// The preset to apply for `arch`: `name` itself, or its per-architecture entry.
std::string preset_for(const std::string& name, std::optional<Arch> arch) {
  const auto table = per_arch_presets(name);
  if (table.empty()) return name;
  if (!arch) {
    throw po::error("option '--preset': '" + name +
                    "' names a preset per architecture; choose one with --arch");
  }
  const auto it = table.find(to_string(*arch));
  if (it == table.end()) {
    throw po::error("option '--preset': " + preset_path(name) + " names no preset for " +
                    to_string(*arch));
  }
  return it->second;
}

}  // namespace

std::map<std::string, std::string> per_arch_presets(const std::string& name) {
  const std::string path = existing_preset_path(name);
  std::vector<IniEntry> entries;
  if (auto e = read_ini(path, entries)) throw po::error(*e);
  std::map<std::string, std::string> table;
  for (const IniEntry& e : entries) {
    if (e.key.rfind("per_arch.", 0) != 0) {
      if (!table.empty()) {
        throw po::error(path + ":" + std::to_string(e.line) +
                        ": a per-architecture preset has only its [per_arch] section");
      }
      return {};
    }
    const std::string arch = e.key.substr(9);
    if (!parse_arch(arch)) {
      throw po::error(path + ":" + std::to_string(e.line) + ": unknown architecture '" + arch +
                      "' (x86_64, aarch64, riscv64)");
    }
    if (!per_arch_presets(e.value).empty()) {
      throw po::error(path + ":" + std::to_string(e.line) + ": preset '" + e.value +
                      "' is itself per-architecture");
    }
    table[arch] = e.value;
  }
  return table;
}

bool ResolvedConfig::estimate(const std::string& key) const {
  auto starts_estimate = [](const std::string& text) { return text.rfind("estimate", 0) == 0; };
  const auto it = sources.find(key);
  if (it != sources.end()) return starts_estimate(it->second.note);
  const SimParams::Decl* d = sim_params().find(key);
  return d && starts_estimate(d->source);
}

ResolvedConfig load_preset(const std::string& name) {
  ResolvedConfig r;
  r.preset = name;
  apply_ini_layer(r, existing_preset_path(name));
  return r;
}

ResolvedConfig resolve_params(const po::variables_map& vm, const std::vector<ParamAlias>& aliases,
                              std::optional<Arch> arch) {
  const SimParams& tree = sim_params();
  ResolvedConfig r;
  if (vm.count("preset")) {
    r.preset = preset_for(vm["preset"].as<std::string>(), arch);
    apply_ini_layer(r, existing_preset_path(r.preset));
  }
  if (vm.count("config")) {
    for (const std::string& f : vm["config"].as<std::vector<std::string>>()) apply_ini_layer(r, f);
  }
  for (const auto& p : tree.all()) {
    if (!vm.count(p.key)) continue;
    if (p.type == ParamType::List) {
      for (const std::string& v : vm[p.key].as<std::vector<std::string>>())
        apply_option(r, p.key, v, "--" + p.key);
    } else {
      apply_option(r, p.key, vm[p.key].as<std::string>(), "--" + p.key);
    }
  }
  for (const ParamAlias& a : aliases) apply_option(r, a.key, a.value, a.origin);
  if (vm.count("set")) {
    for (const std::string& s : vm["set"].as<std::vector<std::string>>()) {
      const size_t eq = s.find('=');
      if (eq == std::string::npos)
        throw po::error("option '--set': expected section.key=value, got '" + s + "'");
      apply_option(r, s.substr(0, eq), s.substr(eq + 1), "--set");
    }
  }
  return r;
}

namespace {
// $NPTSIM_PRESETS, else the source tree's presets/.
std::string presets_dir() {
  const char* env = std::getenv("NPTSIM_PRESETS");
  return env && *env ? env : NPTSIM_PRESET_DIR;
}
}  // namespace

std::string preset_path(const std::string& name) {
  if (name.find('/') != std::string::npos ||
      (name.size() > 4 && name.substr(name.size() - 4) == ".ini"))
    return name;
  return presets_dir() + "/" + name + ".ini";
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(presets_dir(), ec)) {
    if (e.path().extension() == ".ini") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

// "tlb.nested, mem.l1i.latency": the keys of `keys` (in declaration order), a whole structure
// by its name when all its keys are in the list.
std::string by_structure(const std::vector<std::string>& keys) {
  auto listed = [&](const std::string& k) {
    return std::find(keys.begin(), keys.end(), k) != keys.end();
  };
  std::string out;
  auto add = [&](const std::string& name) { out += (out.empty() ? "" : ", ") + name; };
  const auto& decls = sim_params().all();
  for (size_t i = 0, j = 0; i < decls.size(); i = j) {
    std::vector<std::string> in_group;  // the group's keys that are listed
    for (j = i; j < decls.size() && decls[j].group() == decls[i].group(); ++j) {
      if (listed(decls[j].key)) in_group.push_back(decls[j].key);
    }
    if (in_group.size() == j - i) {
      add(decls[i].group());
    } else {
      for (const std::string& k : in_group) add(k);
    }
  }
  return out;
}

}  // namespace

ConfigEcho param_echo(const ResolvedConfig& r) {
  ConfigEcho echo;
  echo.emplace_back("preset", r.preset.empty() ? "none (built-in defaults)" : r.preset);
  std::vector<std::string> estimates;
  for (const auto& p : sim_params().all()) {
    if (preset_param(p.key) && r.estimate(p.key)) estimates.push_back(p.key);
  }
  echo.emplace_back("estimates", estimates.empty() ? "none" : by_structure(estimates));
  for (const auto& p : sim_params().all()) echo.emplace_back(p.key, p.get(r.config));
  return echo;
}

bool preset_param(const std::string& key) {
  for (const char* top : {"core.", "mmu.", "tlb.", "walk_cache.", "mem.", "fault."}) {
    if (key.rfind(top, 0) == 0) return true;
  }
  return false;
}

void write_params_ini(std::ostream& o, const SimConfig& c) {
  std::string group, source;
  for (const auto& p : sim_params().all()) {
    if (!preset_param(p.key)) continue;
    if (p.group() != group) {
      group = p.group();
      source.clear();
      o << "\n[" << group << "]\n";
    }
    if (p.source != source) {
      source = p.source;
      o << "# " << source << "\n";
    }
    o << p.name() << " = " << p.get(c) << "\n";
  }
}

void write_parameters_markdown(std::ostream& o) {
  o << "# Parameters\n\n"
       "Generated by `nptsim params --markdown` from the parameter declarations "
       "(models/core/platform/params/); a test fails when this file is stale.\n\n"
       "Set them with `--preset NAME` (an INI file in presets/), `--config FILE` (INI: `[tlb.l1d]` "
       "then\n"
       "`entries = 64`), `--KEY VALUE` or `--set KEY=VALUE`; later layers win, in that order. "
       "Sizes take\n"
       "units (32KiB, 8MiB); on/off values are `on` or `off`.\n";
  const SimConfig defaults;
  const auto& decls = sim_params().all();
  for (size_t i = 0; i < decls.size();) {
    // One section per group (tlb.l1d, mem, fault, ...); a source shared by the whole group is
    // given once.
    size_t j = i;
    bool one_source = true;
    while (j < decls.size() && decls[j].group() == decls[i].group())
      one_source &= decls[j++].source == decls[i].source;
    o << "\n## " << decls[i].group() << "\n\n";
    if (one_source) o << "Source of the defaults: " << decls[i].source << "\n\n";
    o << "| key | type | default | unit | meaning |"
      << (one_source ? "" : " source of the default |") << "\n"
      << "|---|---|---|---|---|" << (one_source ? "" : "---|") << "\n";
    for (; i < j; ++i) {
      const auto& p = decls[i];
      std::string type = to_string(p.type);
      if (p.type == ParamType::Choice) {
        type.clear();
        for (const std::string& c : p.choices) type += (type.empty() ? "" : "|") + c;
      }
      o << "| `" << p.key << "` | " << cell(type) << " | " << cell(p.get(defaults)) << " | "
        << p.unit << " | " << cell(p.doc) << " |" << (one_source ? "" : " " + cell(p.source) + " |")
        << "\n";
    }
  }
}

}  // namespace nptsim
