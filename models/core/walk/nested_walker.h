// The two-dimensional walk (DESIGN.md convention 4): every stage-1 table entry lives at a
// guest-physical address that stage 2 translates before the entry is read, and the final
// guest-physical address is translated by stage 2 too. A cold 4 KiB walk of n stage-1 over m
// stage-2 levels reads (n+1)(m+1)-1 entries. Faults say which stage failed, at which level,
// for which GVA and GPA, and whether a stage-2 fault hit a stage-1 table access.
//
// S1 rules: input_in_range, decode, path_bits, permits(raw, path, access, s1 regime) and
// access_dirty(raw, leaf, access, s1 regime), as in arch/<stage-1 format>/. S2 rules as in
// walk/stage2_walker.h. A stage-1 A/D update is a write to the entry's guest-physical address:
// it goes to the host address found for the entry's read and needs the stage-2 translation
// of that read to allow writes, else it is a stage-2 permission fault on the walk (Intel SDM
// vol. 3C §29.3.3.2; Arm ARM stage-2 fault on a stage-1 walk; RISC-V §9.5 implicit
// accesses). The emulators in tests/oracles deviate here (tests/oracles/DEVIATIONS.md).
#pragma once

#include <algorithm>

#include "models/core/walk/stage1_regime.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim {

// What a stage-2 translation of a GPA gave a two-dimensional walk (from a nested TLB, or a walk
// whose steps the translator appended).
struct S2Translation {
  bool ok = false;
  HostPhysAddr hpa;
  uint8_t shift = 12;  // the stage-2 leaf's span
  bool writable = true;  // the translation also allows writes (checked for stage-1 A/D updates)
  AccessMask permitted = kAllAccess;     // as WalkResult::permitted, of the stage-2 leaf
  AccessMask tlb_servable = kAllAccess;  // as WalkResult::tlb_servable, of the stage-2 leaf
  Fault fault;         // when !ok (a stage-2 fault)
};

// Where a stage-1 walk begins: at the root, or (after a stage-1 walk-cache hit) at `depth` in
// the table at `table` with the permissions `path` accumulated above it.
struct Stage1Start {
  int depth = 0;
  GuestPhysAddr table;
  uint32_t path = ~uint32_t{0};
};

namespace detail {
// The walk into `r` (a fresh result); see detail::walk_stage2_into for why.
template <class S1, class Mem, class S2Fn>
void walk_2d_into(WalkResult& r, GuestVirtAddr gva, AccessKind access, const Stage1Regime& s1, Mem& mem, S2Fn& s2,
                  const Stage1Start& start) {
  const Geometry& g = s1.geometry;
  auto fail = [&](Stage st, FaultKind kind, int level, GuestPhysAddr gpa, bool on_table, int s1_level) {
    r.ok = false;
    r.fault = Fault{st, kind, static_cast<int8_t>(level), gpa, gva, on_table, static_cast<int8_t>(s1_level)};
  };
  if (!S1::input_in_range(gva.value(), s1)) return fail(Stage::Stage1, FaultKind::NonCanonical, 0, {}, false, 0);

  GuestPhysAddr table = start.depth == 0 ? s1.root : start.table;
  uint32_t path = start.path;
  const AccessKind table_access = s1.table_access_is_write ? AccessKind::Write : AccessKind::Read;
  HostPhysAddr used_hpa[kMaxLevels];
  GuestPhysAddr used_gpa[kMaxLevels];
  bool used_writable[kMaxLevels];
  uint64_t used_raw[kMaxLevels];
  for (int depth = start.depth; depth < g.levels; ++depth) {
    const GuestPhysAddr pte_gpa = table + g.index(depth, gva.value()) * 8;
    const S2Translation t = s2(pte_gpa, table_access, true, r.steps);
    if (!t.ok) return fail(Stage::Stage2, t.fault.kind, t.fault.level, pte_gpa, true, depth);
    const uint64_t raw = mem.read_pte(t.hpa);
    r.steps.push(WalkStep{Stage::Stage1, static_cast<int8_t>(depth), false, t.hpa, raw});
    used_hpa[depth] = t.hpa;
    used_gpa[depth] = pte_gpa;
    used_writable[depth] = t.writable;
    used_raw[depth] = raw;
    const EntryInfo e = S1::decode(raw, depth, s1);
    if (e.kind == EntryInfo::Fault) return fail(Stage::Stage1, e.fault, depth, {}, false, depth);
    path &= S1::path_bits(raw);
    if (e.kind == EntryInfo::Table) {
      table = GuestPhysAddr(e.addr.value());
      r.next_table[depth] = e.addr;
      r.path[depth] = path;
      continue;
    }
    // Access flag faults first, as in the stage-2 walk (walk/stage2_walker.h).
    for (int d = start.depth; d <= depth; ++d) {
      const AdResult ad = S1::access_dirty(used_raw[d], d == depth, access, s1);
      if (ad.kind == AdResult::Fault) return fail(Stage::Stage1, ad.fault, d, {}, false, d);
    }
    if (!S1::permits(raw, path, access, s1)) return fail(Stage::Stage1, FaultKind::Permission, depth, {}, false, depth);
    for (int d = start.depth; d <= depth; ++d) {
      const AdResult ad = S1::access_dirty(used_raw[d], d == depth, access, s1);
      if (ad.kind == AdResult::WriteBack && !used_writable[d]) {
        return fail(Stage::Stage2, FaultKind::Permission, 0, used_gpa[d], true, d);
      }
    }
    uint64_t leaf_final = raw;
    for (int d = start.depth; d <= depth; ++d) {
      const AdResult ad = S1::access_dirty(used_raw[d], d == depth, access, s1);
      if (ad.kind == AdResult::WriteBack) {
        mem.write_pte(used_hpa[d], ad.updated);
        r.steps.push(WalkStep{Stage::Stage1, static_cast<int8_t>(d), true, used_hpa[d], ad.updated});
        if (d == depth) leaf_final = ad.updated;
      }
    }
    const unsigned shift = g.level[depth].shift;
    r.s1_leaf_shift = static_cast<uint8_t>(shift);
    r.leaf_depth = static_cast<int8_t>(depth);
    r.gpa = GuestPhysAddr(e.addr.value() + (gva.value() & ((uint64_t{1} << shift) - 1)));
    // The final access, translated by stage 2.
    const S2Translation f = s2(r.gpa, access, false, r.steps);
    if (!f.ok) return fail(Stage::Stage2, f.fault.kind, f.fault.level, r.gpa, false, depth);
    // The TLB entry combines both stages: what stage 1 and stage 2 both permit and serve.
    set_access_masks<S1>(r, leaf_final, path, s1);
    r.permitted &= f.permitted;
    r.tlb_servable &= f.tlb_servable;
    r.ok = true;
    r.hpa = f.hpa;
    r.leaf_shift = static_cast<uint8_t>(std::min<unsigned>(shift, f.shift));  // the TLB entry's span
    page_size_for_shift(r.leaf_shift, &r.size);
    return;
  }
  fail(Stage::Stage1, FaultKind::Misconfig, g.levels - 1, {}, false, g.levels - 1);
}
}  // namespace detail

// The walk with a caller-supplied stage-2 translator:
//   S2Translation s2(GuestPhysAddr gpa, AccessKind a, bool stage1_table, WalkSteps& steps)
// (which appends whatever stage-2 references it makes to `steps`).
template <class S1, class Mem, class S2Fn>
WalkResult walk_2d_with(GuestVirtAddr gva, AccessKind access, const Stage1Regime& s1, Mem& mem, S2Fn&& s2,
                        const Stage1Start& start = {}) {
  WalkResult r;
  detail::walk_2d_into<S1>(r, gva, access, s1, mem, s2, start);
  return r;
}

// The plain walk: every stage-2 translation is a full stage-2 walk.
template <class S1, class S2, class Mem>
WalkResult walk_2d(GuestVirtAddr gva, AccessKind access, const Stage1Regime& s1, const Stage2Regime& s2, Mem& mem) {
  auto translate = [&](GuestPhysAddr gpa, AccessKind a, bool, WalkSteps& steps) {
    const WalkResult w = walk_stage2_with<S2>(gpa, a, s2, mem, WalkStart{}, &steps);
    S2Translation t;
    t.ok = w.ok;
    t.hpa = w.hpa;
    t.shift = w.leaf_shift;
    t.writable = w.write_permitted();
    t.permitted = w.permitted;
    t.tlb_servable = w.tlb_servable;
    if (!w.ok) t.fault = w.fault;
    return t;
  };
  return walk_2d_with<S1>(gva, access, s1, mem, translate);
}

}  // namespace nptsim
