// The two-dimensional walk (DESIGN.md convention 4): every stage-1 table entry lives at a
// guest-physical address that stage 2 translates before the entry is read, and the final
// guest-physical address is translated by stage 2 too. A cold 4 KiB walk of n stage-1 over m
// stage-2 levels reads (n+1)(m+1)-1 entries. Faults say which stage failed, at which level,
// for which GVA and GPA, and whether a stage-2 fault hit a stage-1 table access.
//
// S1 rules: input_in_range, decode, path_bits, permits(raw, path, access, s1 regime) and
// access_dirty(raw, leaf, access, s1 regime), as in arch/<stage-1 format>/. S2 rules as in
// walk/stage2_walker.h. Stage-1 A/D write-backs go to the host address found for the entry's
// read (nptsim does not check stage-2 write permission for them).
#pragma once

#include <algorithm>

#include "models/core/walk/stage1_regime.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim {

template <class S1, class S2, class Mem>
WalkResult walk_2d(GuestVirtAddr gva, AccessKind access, const Stage1Regime& s1, const Stage2Regime& s2,
                   Mem& mem) {
  WalkResult r;
  const Geometry& g = s1.geometry;
  auto fail = [&](Stage st, FaultKind kind, int level, GuestPhysAddr gpa, bool on_table, int s1_level) {
    r.ok = false;
    r.fault = Fault{st, kind, static_cast<int8_t>(level), gpa, gva, on_table, static_cast<int8_t>(s1_level)};
    return r;
  };
  // Stage-2 translation of a guest-physical address, its steps appended to ours.
  auto stage2 = [&](GuestPhysAddr gpa, AccessKind a, WalkResult& out) {
    out = walk_stage2_with<S2>(gpa, a, s2, mem);
    for (const WalkStep& st : out.steps) r.steps.push(st);
    return out.ok;
  };
  if (!S1::input_in_range(gva.value(), s1)) return fail(Stage::Stage1, FaultKind::NonCanonical, 0, {}, false, 0);

  GuestPhysAddr table = s1.root;
  uint32_t path = ~uint32_t{0};
  HostPhysAddr used_hpa[kMaxLevels];
  uint64_t used_raw[kMaxLevels];
  WalkResult t;
  for (int depth = 0; depth < g.levels; ++depth) {
    const GuestPhysAddr pte_gpa = table + g.index(depth, gva.value()) * 8;
    if (!stage2(pte_gpa, AccessKind::Read, t)) {
      return fail(Stage::Stage2, t.fault.kind, t.fault.level, pte_gpa, true, depth);
    }
    const uint64_t raw = mem.read_pte(t.hpa);
    r.steps.push(WalkStep{Stage::Stage1, static_cast<int8_t>(depth), false, t.hpa, raw});
    used_hpa[depth] = t.hpa;
    used_raw[depth] = raw;
    const EntryInfo e = S1::decode(raw, depth, s1);
    if (e.kind == EntryInfo::Fault) return fail(Stage::Stage1, e.fault, depth, {}, false, depth);
    path &= S1::path_bits(raw);
    if (e.kind == EntryInfo::Table) {
      table = GuestPhysAddr(e.addr.value());
      continue;
    }
    if (!S1::permits(raw, path, access, s1)) return fail(Stage::Stage1, FaultKind::Permission, depth, {}, false, depth);
    for (int d = 0; d <= depth; ++d) {
      const AdResult ad = S1::access_dirty(used_raw[d], d == depth, access, s1);
      if (ad.kind == AdResult::Fault) return fail(Stage::Stage1, ad.fault, d, {}, false, d);
      if (ad.kind == AdResult::WriteBack) {
        mem.write_pte(used_hpa[d], ad.updated);
        r.steps.push(WalkStep{Stage::Stage1, static_cast<int8_t>(d), true, used_hpa[d], ad.updated});
      }
    }
    const unsigned shift = g.level[depth].shift;
    r.s1_leaf_shift = static_cast<uint8_t>(shift);
    r.gpa = GuestPhysAddr(e.addr.value() + (gva.value() & ((uint64_t{1} << shift) - 1)));
    // The final access, translated by stage 2.
    if (!stage2(r.gpa, access, t)) return fail(Stage::Stage2, t.fault.kind, t.fault.level, r.gpa, false, depth);
    r.ok = true;
    r.hpa = t.hpa;
    r.leaf_shift = static_cast<uint8_t>(std::min<unsigned>(shift, t.leaf_shift));  // the TLB entry's span
    page_size_for_shift(r.leaf_shift, &r.size);
    r.leaf_depth = static_cast<int8_t>(depth);
    return r;
  }
  return fail(Stage::Stage1, FaultKind::Misconfig, g.levels - 1, {}, false, g.levels - 1);
}

}  // namespace nptsim
