// TranslationScheme: one vCPU's translation path, behind one interface (translate an access,
// invalidate by scope, report statistics). A scheme is a way of turning trace addresses into
// host-physical ones: "stage2" (guest-physical traces through the stage-2 tables) and "nested"
// (guest-virtual traces through the guest's tables over stage 2) today. Schemes are listed in
// engine/scheme_registry.cc: a new one is one file plus one line there (docs/EXTENDING.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/core/arch/arch_registry.h"
#include "models/core/engine/tlb_front.h"
#include "models/core/mem/frame_allocator.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/mmu/latency_histogram.h"
#include "models/core/stats/stat_tree.h"
#include "models/core/tlb/walk_cache.h"

namespace nptsim {

enum class TranslationSource : uint8_t { L1Tlb, L2Tlb, Walk };

// One translation of a trace address.
struct Translation {
  bool ok = false;
  HostPhysAddr hpa;
  Fault fault;  // when !ok: which stage faulted, where
  TranslationSource source = TranslationSource::Walk;
  uint64_t cycles = 0;       // TLB lookups + walk-cache lookups + PTE accesses
  uint64_t walk_cycles = 0;  // of which the walk after the TLB lookups (0 on a TLB hit)
  uint8_t page_shift = 12;   // the leaf size the walk found
};

// The counters every scheme keeps.
struct SchemeStats {
  uint64_t translations = 0, walks = 0, faults = 0;  // faults: walks that ended in a fault
  uint64_t pte_writes = 0;                           // A/D write-backs
  uint64_t reads_per_depth[2][kMaxLevels] = {};      // [Stage][depth from the root]
  uint64_t splintered = 0;  // TLB fills smaller than the guest's page (stage 2 maps less)
  uint64_t cycles = 0;
  LatencyHistogram walk_cycles;    // per walk: walk-cache and nested-TLB lookups + PTE accesses
  LatencyHistogram refs_per_walk;  // PTE reads and write-backs per walk
  uint64_t reads(Stage s) const {
    uint64_t n = 0;
    for (uint64_t v : reads_per_depth[static_cast<int>(s)]) n += v;
    return n;
  }
};

// What to drop from a vCPU's translation caches. A structure may drop more than asked (the
// architectures allow it): walk caches are flushed whole for any scope, and entries that
// combine both stages (GVA -> HPA) cannot be found by guest-physical address, so a stage-2
// invalidation drops all of them (as INVEPT, TLBI IPAS2E1IS + VMALLE1IS and HFENCE.GVMA
// require of combined entries).
struct Invalidation {
  enum Scope : uint8_t {
    All,            // every translation of the VM, both stages
    Stage2Address,  // what maps guest-physical page `addr` (stage 2)
    Stage1All,      // every guest-virtual translation of the address space (stage 1)
    Stage1Address,  // what maps guest-virtual page `addr` (stage 1)
  } scope = All;
  uint64_t addr = 0;
};

// Everything a scheme is built from.
struct SchemeContext {
  const TranslationConfig& config;
  Arch arch;
  const Stage2Regime& s2;
  const Stage1Regime* s1;  // the guest's tables, for schemes that walk them
  PteMemory& mem;
  uint64_t seed;
  FrameAllocator* frames;  // the host's frames and memory, for schemes that keep tables of
  PhysMem* phys;           // their own (shadow paging)
};

class TranslationScheme {
 public:
  virtual ~TranslationScheme() = default;
  virtual Translation translate(uint64_t addr, AccessKind access) = 0;
  // The common case alone: a hit on the L1 TLB entry of the last hit. True with the translation
  // and its cycles, counted exactly as translate() counts that hit; false, counting nothing,
  // otherwise (then call translate()).
  virtual bool repeat_hit(uint64_t addr, AccessKind access, HostPhysAddr& hpa, uint64_t& cycles) {
    (void)addr, (void)access, (void)hpa, (void)cycles;
    return false;
  }
  virtual void invalidate(const Invalidation& what) = 0;
  // The guest switches to address-space identifier `asid` (ASID/PCID): later TLB and walk-cache
  // entries are tagged with it, entries of other ASIDs stay but no longer match.
  virtual void switch_context(uint16_t asid) = 0;
  // Zeroes every counter; cached contents stay (after a warm-up).
  virtual void reset_stats() = 0;
  // Adds this vCPU's counters under `prefix` ("vcpu0").
  virtual void report(StatTree& t, const std::string& prefix) const = 0;
  virtual const SchemeStats& stats() const = 0;
  virtual const TlbFront& tlbs() const = 0;
  // The walk cache of a stage, or nullptr when the scheme has none.
  virtual const WalkCache* walk_cache(Stage s) const = 0;
  // The nested TLB, or nullptr.
  virtual const Tlb* nested_tlb() const { return nullptr; }
};

// Which of the guest's page-table writes the hypervisor traps (their pages write-protected):
// none (nested paging), all (shadow paging), or those above the leaf level (agile paging, whose
// shadow covers the upper levels): new tables' links and leaves above the last level.
enum class GuestTableTraps : uint8_t { None, All, UpperLevels };

struct SchemeInfo {
  const char* name;
  const char* doc;
  bool guest_tables;  // translates guest-virtual addresses through the guest's page tables
  GuestTableTraps traps;
  // The guest's 2 MiB pages are modelled (agile paging switches at the 4 KiB leaf level).
  bool guest_huge_pages;
  std::unique_ptr<TranslationScheme> (*make)(const SchemeContext&);
  // The guest's address-space switches (CR3, TTBR, SATP writes) trap: the hypervisor switches
  // shadow roots.
  bool traps_context_switch() const { return traps != GuestTableTraps::None; }
  // The guest's TLB invalidations trap (INVLPG exiting, CR3 reloads): shadow leaves follow them.
  bool traps_tlb_flush() const { return traps == GuestTableTraps::All; }
};
// Every scheme, in the order of --help.
const std::vector<SchemeInfo>& translation_schemes();
const SchemeInfo* find_scheme(const std::string& name);

}  // namespace nptsim
