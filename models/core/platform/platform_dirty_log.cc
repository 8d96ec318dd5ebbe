// FunctionalPlatform's dirty logging (docs/EVENTS.md, "Dirty logging"), as KVM does it for a
// memory slot with KVM_MEM_LOG_DIRTY_PAGES: starting write-protects every writable RAM area; the
// first write to a page in a round is a stage-2 permission fault whose handler marks the page in
// the dirty bitmap and makes that 4 KiB page writable again (a huge leaf is split first); a sync
// fetches and clears the bitmap and write-protects the dirty pages again (a new round); stopping
// restores write permission. Stale read-only TLB entries need no shootdown when permission is
// given back (a write through one misses and walks); write-protecting does.
#include "models/core/addrspace/leaf_ops.h"
#include "models/core/platform/functional_platform.h"

namespace nptsim {

namespace {
constexpr uint32_t kWrite = MappingFlags::WRITE;
}  // namespace

uint64_t FunctionalPlatform::dirty_start(uint16_t vcpu_id, std::string& error) {
  if (dirty_.active) {
    error = "dirty-start: dirty logging is already on";
    return 0;
  }
  dirty_.active = true;
  dirty_.logged.clear();
  dirty_.dirty.clear();
  for (const auto& [start, area] : space_->areas().areas()) {
    (void)start;
    if (area.flags.has(kWrite) && !area.flags.has(MappingFlags::DEVICE))
      dirty_.logged.push_back(area.range);
  }
  LeafWork work;
  for (const GuestPhysAddrRange& r : dirty_.logged) {
    space_->set_area_flags(r.start, r.size(), MappingFlags(), kWrite);
    protect_leaves(*space_->page_table_mut(), r.start, r.size(),
                   space_->areas().find(r.start)->flags, work);
  }
  event_stats_.entries_written += work.entries;
  const uint64_t inval = shootdown(vcpu_id, GuestPhysAddr(0), ~uint64_t{0} >> 1);
  return hypervisor_work_cycles(work.entries, 0, inval);
}

uint64_t FunctionalPlatform::dirty_sync(uint16_t vcpu_id, std::string& error) {
  if (!dirty_.active) {
    error = "dirty-sync: dirty logging is off (no dirty-start before)";
    return 0;
  }
  LeafWork work;
  AnyPageTable& pt = *space_->page_table_mut();
  for (uint64_t page : dirty_.dirty) {
    const GuestPhysAddr gpa(page << 12);
    const MemoryArea* a = space_->areas().find(gpa);
    if (a) protect_leaves(pt, gpa, kFrameBytes, a->flags, work);
  }
  ++event_stats_.dirty_rounds;
  event_stats_.dirty_pages_logged += dirty_.dirty.size();
  const bool any = !dirty_.dirty.empty();
  dirty_.dirty.clear();
  event_stats_.entries_written += work.entries;
  const uint64_t inval = any ? shootdown(vcpu_id, GuestPhysAddr(0), ~uint64_t{0} >> 1) : 0;
  return hypervisor_work_cycles(work.entries, 0, inval);
}

uint64_t FunctionalPlatform::dirty_stop(uint16_t vcpu_id, std::string& error) {
  (void)vcpu_id;
  if (!dirty_.active) {
    error = "dirty-stop: dirty logging is off (no dirty-start before)";
    return 0;
  }
  LeafWork work;
  for (const GuestPhysAddrRange& r : dirty_.logged) {
    space_->set_area_flags(r.start, r.size(), MappingFlags(kWrite), kWrite);
    for (auto it = space_->areas().areas().lower_bound(r.start.value());
         it != space_->areas().areas().end() && it->second.start() < r.end; ++it) {
      const MemoryArea& a = it->second;
      protect_leaves(*space_->page_table_mut(), a.start(), a.size(), a.flags, work);
    }
  }
  ++event_stats_.dirty_rounds;
  event_stats_.dirty_pages_logged += dirty_.dirty.size();
  dirty_ = DirtyLog{};
  event_stats_.entries_written += work.entries;
  return hypervisor_work_cycles(work.entries, 0, 0);
}

FaultHandling FunctionalPlatform::dirty_write_fault(uint16_t vcpu_id, uint64_t addr,
                                                    const Fault& f) {
  const GuestPhysAddr page(f.gpa.value() & ~(kFrameBytes - 1));
  FaultHandling h;
  const uint64_t frames_before = frames_->stats().allocs;
  AnyPageTable& pt = *space_->page_table_mut();
  // A lazy page not yet backed is faulted in as the area now is (read-only), then made writable;
  // a present page is split down to 4 KiB. Anything else is an unhandled exit.
  const bool backed =
      f.kind == FaultKind::Translation
          ? space_->handle_page_fault(page, MappingFlags(MappingFlags::READ), &h.work)
          : f.kind == FaultKind::Permission && pt.query(page).ok();
  LeafWork work;
  const MemoryArea* a = space_->areas().find(page);
  if (!backed || !a || !split_to_4k(pt, page, a->flags, work)) {
    h.cycles = uint64_t{cfg_.costs.vm_exit} + cfg_.costs.mmio_exit;
    return h;
  }
  protect_leaves(pt, page, kFrameBytes, MappingFlags(a->flags.bits() | kWrite), work);
  dirty_.dirty.insert(page.value() >> 12);
  ++event_stats_.dirty_write_faults;
  event_stats_.leaf_splits += work.splits;
  // The faulting vCPU's read-only entry goes (hardware drops a translation that faulted).
  vcpu(vcpu_id).scheme->invalidate(scheme_info_->guest_tables
                                       ? Invalidation{Invalidation::Stage1Address, addr}
                                       : Invalidation{Invalidation::Stage2Address, page.value()});
  h.handled = true;
  h.table_frames = frames_->stats().allocs - frames_before - h.work.data_frames;
  h.work.leaves += work.entries;
  h.cycles = fault_work_cycles(cfg_.costs, h.work, h.table_frames);
  return h;
}

}  // namespace nptsim
