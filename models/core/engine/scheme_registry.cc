// The translation schemes: one line each. A scheme's factory builds one vCPU's translation path
// (engine/translation_scheme.h); its name is a value of the translation.scheme parameter.
#include "models/core/engine/translation_scheme.h"

namespace nptsim {

// The factories, each defined in its engine/<name>_scheme.cc.
std::unique_ptr<TranslationScheme> make_stage2_scheme(const SchemeContext& c);
std::unique_ptr<TranslationScheme> make_nested_scheme(const SchemeContext& c);
std::unique_ptr<TranslationScheme> make_shadow_scheme(const SchemeContext& c);
std::unique_ptr<TranslationScheme> make_agile_scheme(const SchemeContext& c);

const std::vector<SchemeInfo>& translation_schemes() {
  static const std::vector<SchemeInfo> kSchemes = {
      {"stage2", "guest-physical accesses through the stage-2 tables only", false,
       GuestTableTraps::None, true, make_stage2_scheme},
      {"nested",
       "guest-virtual accesses through the guest's tables over stage 2 (two-dimensional walks)",
       true, GuestTableTraps::None, true, make_nested_scheme},
      {"shadow",
       "guest-virtual accesses through hypervisor-kept shadow tables (GVA -> HPA, one-dimensional "
       "walks); shadow misses and guest page-table writes exit to the hypervisor",
       true, GuestTableTraps::All, true, make_shadow_scheme},
      {"agile",
       "agile paging (ISCA 2016): shadow tables for the guest's upper levels, walked "
       "one-dimensionally, then the leaf level two-dimensionally; upper-level misses and guest "
       "writes above the leaf level exit to the hypervisor",
       true, GuestTableTraps::UpperLevels, false, make_agile_scheme},
  };
  return kSchemes;
}

const SchemeInfo* find_scheme(const std::string& name) {
  for (const SchemeInfo& s : translation_schemes()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

}  // namespace nptsim
