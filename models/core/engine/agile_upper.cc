#include "models/core/engine/agile_upper.h"

namespace nptsim {

AgileUpper::AgileUpper(Arch arch, const Geometry& guest, FrameAllocator& frames, PhysMem& phys,
                       const ShadowCosts& costs)
    : arch_(arch),
      geo_(guest),
      switch_(guest.levels - 1),
      frames_(frames),
      phys_(phys),
      costs_(costs) {}

bool AgileUpper::walk(uint64_t gva, PteMemory& mem, WalkSteps& steps, Stage1Start& start,
                      uint64_t* next_table) const {
  if (root_ == 0) return false;
  uint64_t table = start.depth == 0 ? root_ : start.table.value();
  for (int d = start.depth; d < switch_; ++d) {
    const HostPhysAddr entry(table + geo_.index(d, gva) * 8);
    const uint64_t raw = mem.read_pte(entry, Stage::Stage1);
    steps.push(WalkStep{Stage::Stage1, static_cast<int8_t>(d), false, entry, raw});
    if (raw == 0) return false;
    table = stage1_table_address(arch_, raw).value();
    next_table[d] = table;
    if (d == switch_ - 1) {
      start.depth = switch_;
      start.table = GuestPhysAddr(table);  // the switch: a guest-physical table
      start.path = switch_path_.at(entry.value());
      return true;
    }
  }
  return true;
}

uint64_t AgileUpper::exit(uint64_t gva) {
  uint64_t cycles = 0;
  if (continuing_page_ != page(gva)) {
    ++stats_.exits;
    cycles = uint64_t{costs_.vm_exit} + costs_.handler;
  }
  continuing_page_ = ~uint64_t{0};
  stats_.hypervisor_cycles += cycles;
  return cycles;
}

std::optional<HostPhysAddr> AgileUpper::table_frame(uint64_t& cycles) {
  auto f = frames_.alloc_frame();
  if (!f) return std::nullopt;
  phys_.discard_frame(*f);
  ++stats_.table_frames;
  cycles += uint64_t{costs_.alloc} + costs_.zero_page;
  return f;
}

uint64_t AgileUpper::fill(uint64_t gva, const WalkResult& guest) {
  uint64_t cycles = 0;
  if (root_ == 0) {
    auto root = table_frame(cycles);
    if (!root) return cycles;  // the host is out of frames: the retry misses again
    root_ = root->value();
  }
  uint64_t table = root_;
  for (int d = 0; d < switch_; ++d) {
    const HostPhysAddr entry(table + geo_.index(d, gva) * 8);
    uint64_t raw = phys_.read_u64(entry);
    if (raw == 0) {
      uint64_t next = guest.next_table[d];  // the switch: the guest's own table (a GPA)
      if (d < switch_ - 1) {
        auto frame = table_frame(cycles);
        if (!frame) return cycles;
        next = frame->value();
      } else {
        switch_path_[entry.value()] = guest.path[d];
      }
      raw = stage1_table_entry(arch_, GuestPhysAddr(next));
      phys_.write_u64(entry, raw);
      ++stats_.entries;
      cycles += costs_.entry_write;
    }
    table = stage1_table_address(arch_, raw).value();
  }
  stats_.hypervisor_cycles += cycles;
  return cycles;
}

void AgileUpper::report(StatTree& t, const std::string& prefix) const {
  t.count(prefix + ".exits", stats_.exits);
  t.count(prefix + ".entries_written", stats_.entries);
  t.count(prefix + ".table_frames", stats_.table_frames);
  t.count(prefix + ".hypervisor_cycles", stats_.hypervisor_cycles);
}

}  // namespace nptsim
