// The shadow half of agile paging (Gandhi, Hill, Swift: "Agile Paging: Exceeding the Best of
// Nested and Shadow Paging", ISCA 2016): the hypervisor shadows the guest's upper page-table
// levels in host memory (GVA prefix -> host tables), and the entry at the level above the switch
// holds the guest's own table at the switch level (a guest-physical address, with a switch
// marking), from which the hardware walks two-dimensionally. nptsim switches at the guest's leaf
// level: the upper levels cost one reference each, the leaf level a nested walk, and the guest's
// leaf updates (the frequent ones) do not trap. A missing upper entry is a VM exit whose
// software walk of the guest's tables fills the upper levels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "models/core/arch/arch_registry.h"
#include "models/core/engine/translation_config.h"
#include "models/core/mem/frame_allocator.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/stats/stat_tree.h"
#include "models/core/walk/pte_memory.h"
#include "models/core/walk/walk_loop.h"

namespace nptsim {

struct AgileStats {
  uint64_t exits = 0;         // upper-level shadow misses
  uint64_t entries = 0;       // upper-level shadow entries written
  uint64_t table_frames = 0;  // upper-level shadow table frames allocated
  uint64_t hypervisor_cycles = 0;
};

class AgileUpper {
 public:
  AgileUpper(Arch arch, const Geometry& guest, FrameAllocator& frames, PhysMem& phys,
             const ShadowCosts& costs);
  AgileUpper(const AgileUpper&) = delete;
  AgileUpper& operator=(const AgileUpper&) = delete;

  // The depth of the guest's leaf tables: the upper shadow covers depths 0 .. switch_depth()-1.
  int switch_depth() const { return switch_; }
  // The hardware's walk of the upper levels for `gva`, reading through `mem` into `steps`, from
  // `start` (the root, or after a walk-cache hit an upper table at start.depth < switch_depth()):
  // true with `start` moved to the switch depth (the guest's table there and the permissions
  // above it), each table it went through in `next_table` (as WalkResult::next_table: upper
  // tables, then the guest's table); false at the first missing entry.
  bool walk(uint64_t gva, PteMemory& mem, WalkSteps& steps, Stage1Start& start,
            uint64_t* next_table) const;
  // Whether the guest's software walk `guest` went down to the switch depth (so the upper levels
  // can be filled from it).
  bool reaches_switch(const WalkResult& guest) const { return guest.next_table[switch_ - 1] != 0; }
  // The exit of a miss on `gva`'s page: its cycles (none when it continues the exit of a stage-2
  // fault met by the last software walk of the same page, which the hypervisor resolved).
  uint64_t exit(uint64_t gva);
  // The software walk met a stage-2 fault: the retry continues this exit.
  void continue_after_stage2_fault(uint64_t gva) { continuing_page_ = page(gva); }
  // Writes the upper entries for `gva` from the guest's walk (reaches_switch): the cycles.
  uint64_t fill(uint64_t gva, const WalkResult& guest);
  void reset_stats() { stats_ = AgileStats{}; }
  void report(StatTree& t, const std::string& prefix) const;

 private:
  static uint64_t page(uint64_t gva) { return gva & ~uint64_t{0xFFF}; }
  std::optional<HostPhysAddr> table_frame(uint64_t& cycles);

  Arch arch_;
  Geometry geo_;
  int switch_;
  FrameAllocator& frames_;
  PhysMem& phys_;
  ShadowCosts costs_;
  uint64_t root_ = 0;                                   // 0 until the first fill
  std::unordered_map<uint64_t, uint32_t> switch_path_;  // switch entry -> permissions above
  uint64_t continuing_page_ = ~uint64_t{0};
  AgileStats stats_;
};

}  // namespace nptsim
