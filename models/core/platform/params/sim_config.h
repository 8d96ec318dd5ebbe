// SimConfig: everything the configuration parameters of a run set (the platform model, guest
// areas, the translation scheme), and the parameter tree that declares them. Each component
// declares its own parameters in its file here (tlb_params.cc, mem_params.cc,
// hypervisor_params.cc, guest_params.cc); docs/PARAMETERS.md is generated from them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/core/params/param_tree.h"
#include "models/core/platform/functional_platform.h"

namespace nptsim {

struct SimConfig {
  PlatformConfig platform;
  std::vector<AreaSpec> areas;  // guest.area, repeatable; empty: the default RAM layout
  std::string scheme = "auto";  // translation.scheme: auto (from the trace), stage2, nested
};

using SimParams = ParamTree<SimConfig>;

// Every parameter, in the order of the reports and docs/PARAMETERS.md.
const SimParams& sim_params();

void declare_core_params(SimParams& t);        // core.*
void declare_tlb_params(SimParams& t);         // tlb.*, walk_cache.*
void declare_mem_params(SimParams& t);         // mem.*
void declare_hypervisor_params(SimParams& t);  // fault.*, ad.* of stage 2
void declare_guest_params(SimParams& t);       // guest.*, ad.guest_hw, translation.scheme

// "GPA SIZE linear|alloc|lazy [rwxud] [HPA]", e.g. "0x0 2GiB linear rwxu 0x4000000000"; an
// error text on bad syntax.
std::optional<std::string> parse_area(const std::string& text, AreaSpec& out);
std::string format_area(const AreaSpec& a);

// Applies every `key = value` of INI file `path` to `c` (origin "path:line"); the first error.
// `applied`, when given, receives the entries applied (with their notes: a preset's sources).
std::optional<std::string> apply_ini_file(const SimParams& t, SimConfig& c, const std::string& path,
                                          std::vector<IniEntry>* applied = nullptr);

}  // namespace nptsim
