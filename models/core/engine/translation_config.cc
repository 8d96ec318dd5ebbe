#include "models/core/engine/translation_config.h"

namespace nptsim {

std::optional<std::string> validate(const MmuConfig& c) {
  if (auto e = validate(c.l1d, "tlb.l1d")) return e;
  if (auto e = validate(c.l1i, "tlb.l1i")) return e;
  if (auto e = validate(c.l2, "tlb.l2")) return e;
  return validate(c.walk_cache, "walk_cache.s2");
}

std::optional<std::string> validate(const TranslationConfig& c) {
  if (auto e = validate(c.mmu)) return e;
  if (auto e = validate(c.nested_tlb, "tlb.nested")) return e;
  return validate(c.s1_walk_cache, "walk_cache.s1");
}

}  // namespace nptsim
