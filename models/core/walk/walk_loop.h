// The one page-table walk loop, for every stage and format (DESIGN.md convention 3/4). A walk
// reads the entries of one stage's tables; what an entry means is the format's Rules
// (arch/<format>/), the only place that looks at architecture bits; how a table address of the
// stage reaches host memory is the stage's translator X:
//   stage 2 (walk/stage2_walker.h): tables are host-physical: the identity translator;
//   stage 1 (walk/nested_walker.h): tables are guest-physical: each entry's address is first
//     translated by stage 2 (which may fault), and the leaf's output, a guest-physical address,
//     is translated by stage 2 for the final access.
//
// Rules provides, as static functions (Regime: Stage2Regime or Stage1Regime):
//   bool input_in_range(uint64_t in, const Regime&)
//   EntryInfo decode(uint64_t raw, int depth, const Regime&)
//   uint32_t path_bits(uint64_t raw)
//   bool permits(uint64_t leaf_raw, uint32_t path, AccessKind, const Regime&)  (path: AND of
//       path_bits over the entries used, for formats that check every level)
//   AdResult access_dirty(uint64_t raw, bool leaf, AccessKind, const Regime&)
// Mem provides: uint64_t read_pte(HostPhysAddr, Stage) and void write_pte(HostPhysAddr, uint64_t,
// Stage).
// X provides (see the two translators):
//   using Addr;  static constexpr Stage kStage;  static constexpr FaultKind kOutOfRange;
//   std::optional<EntryRef> entry(Addr pte, int depth, WalkResult&)      (nothing: r.fault set)
//   void own_fault(WalkResult&, FaultKind, int depth)                     (a fault of this stage)
//   void write_denied(WalkResult&, Addr pte, int depth)                   (an A/D write-back
//   refused) void leaf(WalkResult&, uint64_t out_base, unsigned shift, int depth)  (the result, or
//   r.fault) bool masks                      (false: only write permission is wanted, not the TLB
//   masks)
#pragma once

#include <optional>

#include "models/core/walk/regime.h"
#include "models/core/walk/stage1_regime.h"
#include "models/core/walk/walk_types.h"

namespace nptsim {

static_assert(kMaxLevels <= WalkSteps::kMaxDepths, "walk steps count reads for every depth");

struct EntryInfo {
  enum Kind : uint8_t { Table, Leaf, Fault } kind = Fault;
  FaultKind fault = FaultKind::Translation;  // when kind == Fault
  uint64_t out = 0;  // the next table, or the leaf's output base, in the stage's output space
                     // (host-physical for stage 2, guest-physical for stage 1)
};

// What the A/D rules want done with an entry that was used: nothing, write back `updated`, or
// fault with `fault`.
struct AdResult {
  enum Kind : uint8_t { Keep, WriteBack, Fault } kind = Keep;
  uint64_t updated = 0;
  FaultKind fault = FaultKind::AccessFlag;
};

// Where a walk of a stage begins: at the root, or (after a walk-cache hit) at `depth` in `table`
// (an address of the stage's table space) with the permissions `path` accumulated above it.
template <class Addr>
struct StageStart {
  int depth = 0;
  Addr table;  // ignored at depth 0 (the regime's root is used)
  uint32_t path = ~uint32_t{0};
};
using WalkStart = StageStart<HostPhysAddr>;     // stage 2
using Stage1Start = StageStart<GuestPhysAddr>;  // stage 1

// A table entry's place in host memory, and whether the stage(s) below let it be written (for
// A/D write-backs).
struct EntryRef {
  HostPhysAddr hpa;
  bool writable = true;
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
    if (Rules::access_dirty(leaf_final, true, k, regime).kind == AdResult::Keep)
      r.tlb_servable |= access_bit(k);
  }
}

namespace detail {

// The entries a walk used, to update A/D once the walk is known to succeed (hardware sets them
// only for a translation it uses). `addr` and `writable` are kept for stages whose tables sit
// behind another stage (stage 1); stage 2's tables are host memory, always writable.
template <class Addr>
struct UsedEntries {
  Addr addr[kMaxLevels];
  HostPhysAddr hpa[kMaxLevels];
  bool writable[kMaxLevels];
  uint64_t raw[kMaxLevels];
};

// At a leaf: A/D faults first (an Access flag fault has priority over a permission fault, Arm
// ARM D8.14.6 fault prioritisation; the other formats report both alike), then permissions,
// then the write-backs (refused when a stage below does not let the table page be written).
// Returns the leaf as written back, or nothing with r.fault set.
template <class X>
constexpr bool kTablesBehindAStage = X::kStage == Stage::Stage1;

template <class Rules, class Regime, class Mem, class X>
[[gnu::always_inline]] inline std::optional<uint64_t> leaf_access(
    WalkResult& r, X& x, const UsedEntries<typename X::Addr>& used, int first, int depth,
    uint32_t path, AccessKind access, const Regime& regime, Mem& mem, WalkSteps& steps) {
  for (int d = first; d <= depth; ++d) {
    const AdResult ad = Rules::access_dirty(used.raw[d], d == depth, access, regime);
    if (ad.kind == AdResult::Fault) return x.own_fault(r, ad.fault, d), std::nullopt;
  }
  if (!Rules::permits(used.raw[depth], path, access, regime))
    return x.own_fault(r, FaultKind::Permission, depth), std::nullopt;
  if constexpr (kTablesBehindAStage<X>) {
    for (int d = first; d <= depth; ++d) {
      const AdResult ad = Rules::access_dirty(used.raw[d], d == depth, access, regime);
      if (ad.kind == AdResult::WriteBack && !used.writable[d])
        return x.write_denied(r, used.addr[d], d), std::nullopt;
    }
  }
  uint64_t leaf_final = used.raw[depth];
  for (int d = first; d <= depth; ++d) {
    const AdResult ad = Rules::access_dirty(used.raw[d], d == depth, access, regime);
    if (ad.kind != AdResult::WriteBack) continue;
    mem.write_pte(used.hpa[d], ad.updated, X::kStage);
    steps.push(WalkStep{X::kStage, static_cast<int8_t>(d), true, used.hpa[d], ad.updated});
    if (d == depth) leaf_final = ad.updated;
  }
  return leaf_final;
}

// The walk of `in` into `r` (a fresh result), its reads and write-backs pushed to `steps`. A void
// function with early returns, so that the public wrappers return one named result and the
// compiler constructs it in place (no copy per walk).
template <class Rules, class Regime, class Mem, class X>
void walk_loop(WalkResult& r, uint64_t in, AccessKind access, const Regime& regime, Mem& mem, X& x,
               const StageStart<typename X::Addr>& start, typename X::Addr root, WalkSteps& steps) {
  using Addr = typename X::Addr;
  const Geometry& g = regime.geometry;
  if (!Rules::input_in_range(in, regime)) return x.own_fault(r, X::kOutOfRange, 0);
  Addr table = start.depth == 0 ? root : start.table;
  uint32_t path = start.path;
  UsedEntries<Addr> used;
  for (int depth = start.depth; depth < g.levels; ++depth) {
    const Addr pte = table + g.index(depth, in) * 8;
    const std::optional<EntryRef> ref = x.entry(pte, depth, r);
    if (!ref) return;
    const uint64_t raw = mem.read_pte(ref->hpa, X::kStage);
    steps.push(WalkStep{X::kStage, static_cast<int8_t>(depth), false, ref->hpa, raw});
    if constexpr (kTablesBehindAStage<X>) {
      used.addr[depth] = pte;
      used.writable[depth] = ref->writable;
    }
    used.hpa[depth] = ref->hpa;
    used.raw[depth] = raw;
    const EntryInfo e = Rules::decode(raw, depth, regime);
    if (e.kind == EntryInfo::Fault) return x.own_fault(r, e.fault, depth);
    path &= Rules::path_bits(raw);
    if (e.kind == EntryInfo::Table) {
      table = Addr(e.out);
      r.next_table[depth] = e.out;
      r.path[depth] = path;
      continue;
    }
    const auto leaf_final =
        leaf_access<Rules>(r, x, used, start.depth, depth, path, access, regime, mem, steps);
    if (!leaf_final) return;
    if (x.masks) {
      set_access_masks<Rules>(r, *leaf_final, path, regime);
    } else {  // a translation no TLB will hold (a guest table entry's, nested TLB off)
      r.permitted = Rules::permits(*leaf_final, path, AccessKind::Write, regime)
                        ? access_bit(AccessKind::Write)
                        : 0;
      r.tlb_servable = 0;
    }
    r.leaf_depth = static_cast<int8_t>(depth);
    return x.leaf(r, e.out, g.level[depth].shift, depth);
  }
  x.own_fault(r, FaultKind::Misconfig,
              g.levels - 1);  // unreachable: the last level is a leaf or a fault
}

}  // namespace detail
}  // namespace nptsim
