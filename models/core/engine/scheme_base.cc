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

}  // namespace nptsim
