#include "models/core/engine/scheme_base.h"

namespace nptsim {

void SchemeBase::report_common(StatTree& t, const std::string& prefix, int s1_levels,
                               int s2_levels) const {
  t.count(prefix + ".translations", stats_.translations);
  t.count(prefix + ".walks", stats_.walks);
  t.count(prefix + ".walk_faults", stats_.faults);
  const int levels[2] = {s1_levels, s2_levels};
  for (int st = 0; st < 2; ++st) {
    for (int d = 0; d < levels[st]; ++d) {
      t.count(prefix + ".pte_reads.s" + std::to_string(st + 1) + ".depth" + std::to_string(d),
              stats_.reads_per_depth[st][d]);
    }
  }
  t.count(prefix + ".pte_writes", stats_.pte_writes);
  t.count(prefix + ".splintered_tlb_fills", stats_.splintered);
  t.count(prefix + ".translation_cycles", stats_.cycles);
  t.histogram(prefix + ".walk_cycles", stats_.walk_cycles);
  t.histogram(prefix + ".refs_per_walk", stats_.refs_per_walk);
  tlbs_.report(t, prefix);
}

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
