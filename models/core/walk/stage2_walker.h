// The hardware stage-2 walk, shared by every format (DESIGN.md convention 3): the loop, the
// steps, permission and A/D handling are here; what an entry means is the format's Rules
// (arch/<format>/*_walk.h), the only place that looks at architecture bits.
//
// Rules provides, as static functions:
//   bool input_in_range(uint64_t gpa, const Stage2Regime&)
//   EntryInfo decode(uint64_t raw, int depth, const Stage2Regime&)
//   bool permits(uint64_t leaf_raw, uint32_t path_perms, AccessKind, const Stage2Regime&)  (path_perms: AND of
//       Rules::path_bits over the entries used, for formats that check every level)
//   uint32_t path_bits(uint64_t raw)
//   AdResult access_dirty(uint64_t raw, bool leaf, AccessKind, const Stage2Regime&)
// Mem provides: uint64_t read_pte(HostPhysAddr) and void write_pte(HostPhysAddr, uint64_t).
#pragma once

#include "models/core/walk/regime.h"
#include "models/core/walk/walk_types.h"

namespace nptsim {

static_assert(kMaxLevels <= WalkSteps::kMaxDepths, "walk steps count reads for every depth");

struct EntryInfo {
  enum Kind : uint8_t { Table, Leaf, Fault } kind = Fault;
  FaultKind fault = FaultKind::Translation;  // when kind == Fault
  HostPhysAddr addr;                         // next table, or the leaf's output base
};

// What the A/D rules want done with an entry that was used: nothing, write back `updated`, or
// fault with `fault`.
struct AdResult {
  enum Kind : uint8_t { Keep, WriteBack, Fault } kind = Keep;
  uint64_t updated = 0;
  FaultKind fault = FaultKind::AccessFlag;
};

// Where a walk begins: at the root, or (after a walk-cache hit) at `depth` in `table` with the
// permissions `path` accumulated above it.
struct WalkStart {
  int depth = 0;
  HostPhysAddr table;       // ignored at depth 0 (the regime's root is used)
  uint32_t path = ~uint32_t{0};
};

// What a TLB entry for this translation may hold, from the leaf as the walk left it
// (`leaf_final`, A/D updates applied) and the permissions `path` accumulated above it: the
// access kinds the leaf permits, and those a later access may take from the TLB without a walk.
// A TLB caches a translation's permissions and its dirty state, not the access that filled it:
// Intel SDM vol. 3A §4.10.2.2 (a TLB entry holds the access rights and the dirty flag; a write
// through an entry whose dirty flag is clear sets it in memory, §4.8) and vol. 3C §29.3.5 (EPT
// A/D); Arm ARM D8.4 (hardware Access flag; dirty state is not modelled, so writes hit);
// RISC-V privileged spec, "Virtual Address Translation Process" (Svade: A/D clear faults, the
// entry is used only as the walk found it; Svadu: hardware sets D on the first store). A kind
// whose A/D rule would still update or fault on the leaf is not servable: it walks again (and
// sets the flag, or faults), and with no A/D tracking (EPT A/D off) every permitted kind hits.
template <class Rules, class Regime>
void set_access_masks(WalkResult& r, uint64_t leaf_final, uint32_t path, const Regime& regime) {
  r.permitted = 0;
  r.tlb_servable = 0;
  for (AccessKind k : {AccessKind::Read, AccessKind::Write, AccessKind::Fetch}) {
    if (!Rules::permits(leaf_final, path, k, regime)) continue;
    r.permitted |= access_bit(k);
    if (Rules::access_dirty(leaf_final, true, k, regime).kind == AdResult::Keep) r.tlb_servable |= access_bit(k);
  }
}

namespace detail {
// The walk into `r` (a fresh result). A void function with early returns, so that the public
// wrapper returns one named result and the compiler constructs it in place (no copy per walk).
template <class Rules, class Mem>
void walk_stage2_into(WalkResult& r, GuestPhysAddr gpa, AccessKind access, const Stage2Regime& regime, Mem& mem,
                      const WalkStart& start, WalkSteps* sink) {
  WalkSteps& steps = sink ? *sink : r.steps;
  const Geometry& g = regime.geometry;
  auto fail = [&](FaultKind kind, int depth) {
    r.ok = false;
    r.fault = Fault{Stage::Stage2, kind, static_cast<int8_t>(depth), gpa, GuestVirtAddr(), false, 0};
  };
  if (!Rules::input_in_range(gpa.value(), regime)) return fail(FaultKind::Translation, 0);

  HostPhysAddr table = start.depth == 0 ? regime.root : start.table;
  uint32_t path = start.path;
  // Entries used, to update A/D once the walk is known to succeed (hardware sets them only
  // for a translation it uses).
  HostPhysAddr used_addr[kMaxLevels];
  uint64_t used_raw[kMaxLevels];
  for (int depth = start.depth; depth < g.levels; ++depth) {
    const HostPhysAddr pte = table + g.index(depth, gpa.value()) * 8;
    const uint64_t raw = mem.read_pte(pte);
    steps.push(WalkStep{Stage::Stage2, static_cast<int8_t>(depth), false, pte, raw});
    used_addr[depth] = pte;
    used_raw[depth] = raw;
    const EntryInfo e = Rules::decode(raw, depth, regime);
    if (e.kind == EntryInfo::Fault) return fail(e.fault, depth);
    path &= Rules::path_bits(raw);
    if (e.kind == EntryInfo::Table) {
      table = e.addr;
      r.next_table[depth] = e.addr;
      r.path[depth] = path;
      continue;
    }
    // A leaf at this depth. An Access flag fault has priority over a permission fault (Arm ARM
    // D8.14.6 fault prioritisation; the other formats report both alike), and entries are only
    // updated for a translation that succeeds.
    for (int d = start.depth; d <= depth; ++d) {
      const AdResult ad = Rules::access_dirty(used_raw[d], d == depth, access, regime);
      if (ad.kind == AdResult::Fault) return fail(ad.fault, d);
    }
    if (!Rules::permits(raw, path, access, regime)) return fail(FaultKind::Permission, depth);
    uint64_t leaf_final = raw;
    for (int d = start.depth; d <= depth; ++d) {
      const AdResult ad = Rules::access_dirty(used_raw[d], d == depth, access, regime);
      if (ad.kind == AdResult::WriteBack) {
        mem.write_pte(used_addr[d], ad.updated);
        steps.push(WalkStep{Stage::Stage2, static_cast<int8_t>(d), true, used_addr[d], ad.updated});
        if (d == depth) leaf_final = ad.updated;
      }
    }
    const uint64_t span = uint64_t{1} << g.level[depth].shift;
    page_size_for_shift(g.level[depth].shift, &r.size);
    r.leaf_shift = g.level[depth].shift;
    r.leaf_depth = static_cast<int8_t>(depth);
    set_access_masks<Rules>(r, leaf_final, path, regime);
    r.ok = true;
    r.hpa = e.addr + (gpa.value() & (span - 1));
    return;
  }
  fail(FaultKind::Misconfig, g.levels - 1);  // unreachable: the last level is a leaf or a fault
}
}  // namespace detail

// The steps go to r.steps, or when `sink` is given, are appended to *sink instead (a
// two-dimensional walk collects every stage's steps in one list without copying).
template <class Rules, class Mem>
WalkResult walk_stage2_with(GuestPhysAddr gpa, AccessKind access, const Stage2Regime& regime, Mem& mem,
                            const WalkStart& start = {}, WalkSteps* sink = nullptr) {
  WalkResult r;
  detail::walk_stage2_into<Rules>(r, gpa, access, regime, mem, start, sink);
  return r;
}

}  // namespace nptsim
