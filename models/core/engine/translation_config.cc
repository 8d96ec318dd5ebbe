#include "models/core/engine/translation_config.h"

namespace nptsim {

std::optional<std::string> validate(const MmuConfig& c) {
  if (auto e = validate(c.l1d, "tlb.l1d")) return e;
  if (auto e = validate(c.l1i, "tlb.l1i")) return e;
  if (auto e = validate(c.l2, "tlb.l2")) return e;
  const std::pair<const char*, const TlbLargePages*> large[] = {
      {"tlb.l1d", &c.l1d_large}, {"tlb.l1i", &c.l1i_large}, {"tlb.l2", &c.l2_large}};
  for (const auto& [level, l] : large) {
    for (int k = 0; k < kTlbLargeClasses; ++k) {
      if (l->mode[k] != TlbLargePages::Own) continue;
      const CacheConfig array{true, l->entries[k], l->ways[k], Replacement::Lru, 1};
      if (auto e = validate(array, std::string(level) + "." + tlb_large_class_name(k))) return e;
    }
  }
  return validate(c.walk_cache, "walk_cache.s2");
}

std::optional<std::string> validate(const TranslationConfig& c) {
  if (auto e = validate(c.mmu)) return e;
  if (auto e = validate(c.nested_tlb, "tlb.nested")) return e;
  return validate(c.s1_walk_cache, "walk_cache.s1");
}

}  // namespace nptsim
