// FunctionalPlatform's events (docs/EVENTS.md): hypervisor operations on the address space
// (map, unmap, protect, balloon, dirty logging) and guest operations on its translations
// (context switch, TLB flush, migration). The hypervisor's are charged as one exit whose handler
// did the work (fault.vm_exit + fault.handler + fault.entry_write per entry + fault.alloc and
// fault.zero_page per frame) plus the invalidations they need; the model has no host threads, so
// the issuing vCPU pays.
#include <algorithm>

#include "models/core/addrspace/leaf_ops.h"
#include "models/core/platform/functional_platform.h"

namespace nptsim {

namespace {

// Linux's tlb_single_page_flush_ceiling (arch/x86/mm/tlb.c): above this many pages a range
// flush becomes a full flush. Used for every architecture's stage-2 shootdowns.
constexpr uint64_t kSinglePageFlushCeiling = 33;

bool is_linear(const MemoryArea& a) { return std::holds_alternative<LinearBackend>(a.backend); }
// The crate's lazy Alloc backend keeps placeholder leaves (no address, no permission) where it
// has not faulted a page in; nptsim's policy backends keep nothing there.
bool is_crate_lazy(const MemoryArea& a) {
  const auto* p = std::get_if<AllocBackend>(&a.backend);
  return p && !p->populate;
}
bool is_eager(const MemoryArea& a) { return backend_populates(a.backend); }

// Makes the frames of leaf `m` read as zero again (their backing store goes), as
// whoever gets them next from the host allocator must find them.
void discard_frames(PhysMem& mem, const Mapping& m) {
  for (uint64_t off = 0; off < bytes(m.size); off += kFrameBytes) mem.discard_frame(m.hpa + off);
}

// The pieces of [gpa, gpa+size) that lie in areas, each with its area; false (and `hole` set to
// the first address outside every area) when part of the range is in none.
struct Piece {
  GuestPhysAddr start;
  uint64_t size;
  const MemoryArea* area;
};
bool pieces_of(const AddrSpace& s, GuestPhysAddr gpa, uint64_t size, std::vector<Piece>& out,
               GuestPhysAddr& hole) {
  const GuestPhysAddr end = gpa + size;
  for (GuestPhysAddr a = gpa; a < end;) {
    const MemoryArea* area = s.areas().find(a);
    if (!area) {
      hole = a;
      return false;
    }
    const GuestPhysAddr stop = std::min(area->end(), end);
    out.push_back({a, stop - a, area});
    a = stop;
  }
  return true;
}

std::string range_text(const GuestEvent& e) {
  return to_hex(e.addr) + " + " + std::to_string(e.pages) + " pages";
}

// The pieces of event `e`'s range, or false with `error` naming the event and the first
// address in no area.
bool event_pieces(const AddrSpace& s, const GuestEvent& e, const char* name,
                  std::vector<Piece>& out, std::string& error) {
  GuestPhysAddr hole;
  if (pieces_of(s, GuestPhysAddr(e.addr), e.pages * kFrameBytes, out, hole)) return true;
  error = std::string(name) + " " + range_text(e) + ": " + to_hex(hole.value()) +
          " is not guest RAM (in no area)";
  return false;
}

void add_work(EventStats& stats, const LeafWork& work) {
  stats.entries_written += work.entries;
  stats.table_frames += work.table_frames;
  stats.leaf_splits += work.splits;
}

MappingFlags with_prot(MappingFlags base, MappingFlags prot) {
  constexpr uint32_t kRwx = MappingFlags::READ | MappingFlags::WRITE | MappingFlags::EXECUTE;
  return MappingFlags((base.bits() & ~kRwx) | (prot.bits() & kRwx));
}

}  // namespace

const char* to_string(GuestEventKind k) {
  static const char* const kNames[kGuestEventKinds] = {
      "map",        "unmap",      "protect", "balloon_inflate", "balloon_deflate", "dirty_start",
      "dirty_sync", "dirty_stop", "ctxsw",   "tlb_flush",       "migrate"};
  return kNames[static_cast<int>(k)];
}

uint64_t FunctionalPlatform::event(uint16_t vcpu_id, const GuestEvent& e, std::string& error) {
  Vcpu& v = vcpu(vcpu_id);
  const uint64_t before = v.timeline.end();
  error.clear();
  const uint64_t cycles = apply_event(vcpu_id, e, error);
  if (!error.empty()) return 0;
  ++event_stats_.by_kind[static_cast<int>(e.kind)];
  event_stats_.cycles += cycles;
  if (cycles) v.timeline.serialise(cycles);
  return v.timeline.end() - before;
}

uint64_t FunctionalPlatform::apply_event(uint16_t vcpu_id, const GuestEvent& e,
                                         std::string& error) {
  switch (e.kind) {
    case GuestEventKind::Map:
      return map_event(vcpu_id, e, error);
    case GuestEventKind::Unmap:
      return unmap_event(vcpu_id, e, error);
    case GuestEventKind::Protect:
      return protect_event(vcpu_id, e, error);
    case GuestEventKind::BalloonInflate:
      return balloon_inflate(vcpu_id, e, error);
    case GuestEventKind::BalloonDeflate:
      return balloon_deflate(vcpu_id, e, error);
    case GuestEventKind::DirtyStart:
      return dirty_start(vcpu_id, error);
    case GuestEventKind::DirtySync:
      return dirty_sync(vcpu_id, error);
    case GuestEventKind::DirtyStop:
      return dirty_stop(vcpu_id, error);
    case GuestEventKind::ContextSwitch:
      // The guest writes its ASID/PCID register: no exit under nested paging; shadow and agile
      // paging trap the write (CR3, SATP, TTBR) to switch shadow roots.
      vcpu(vcpu_id).scheme->switch_context(static_cast<uint16_t>(e.addr));
      return scheme_info_->traps_context_switch()
                 ? uint64_t{cfg_.costs.vm_exit} + cfg_.costs.handler
                 : 0;
    case GuestEventKind::TlbFlush:
      return guest_tlb_flush(vcpu_id, e);
    case GuestEventKind::Migrate:
      // On another physical CPU the vCPU finds none of its translations (its data caches are
      // kept: docs/EVENTS.md). The move is a VM exit and an entry elsewhere.
      vcpu(vcpu_id).scheme->invalidate(Invalidation{Invalidation::All, 0});
      return cfg_.costs.vm_exit;
  }
  return 0;
}

uint64_t FunctionalPlatform::hypervisor_work_cycles(uint64_t entries, uint64_t frames,
                                                    uint64_t invalidation) const {
  const FaultCosts& c = cfg_.costs;
  return uint64_t{c.vm_exit} + c.handler + uint64_t{c.entry_write} * entries +
         (uint64_t{c.alloc} + c.zero_page) * frames + invalidation;
}

uint64_t FunctionalPlatform::shootdown(uint16_t vcpu_id, GuestPhysAddr gpa, uint64_t size) {
  const InvalidationOp* by_page = nullptr;
  const InvalidationOp* whole = nullptr;
  for (const InvalidationOp& op : invalidation_ops()) {
    if (op.arch != cfg_.stage2.arch) continue;
    if (!by_page && op.scope == Invalidation::Stage2Address) by_page = &op;
    if (!whole && op.scope == Invalidation::All) whole = &op;
  }
  const uint64_t pages = (size + kFrameBytes - 1) / kFrameBytes;
  if (!by_page || pages > kSinglePageFlushCeiling) return invalidate(vcpu_id, *whole, 0, true);
  uint64_t cycles = 0;
  for (uint64_t p = 0; p < pages; ++p)
    cycles += invalidate(vcpu_id, *by_page, gpa.value() + p * kFrameBytes, true);
  return cycles;
}

uint64_t FunctionalPlatform::map_event(uint16_t vcpu_id, const GuestEvent& e, std::string& error) {
  (void)vcpu_id;  // new GPAs: nothing cached maps them, so no invalidation
  const AreaSpec& ram = cfg_.layout.areas.front();
  AreaSpec a{e.addr, e.pages * kFrameBytes, ram.backend, with_prot(ram.flags, e.prot), 0};
  if (a.backend == BackendKind::Linear) a.hpa = e.addr - ram.gpa + ram.hpa;  // RAM's offset
  const uint64_t frames_before = frames_->stats().allocs;
  const AxStatus st = map_layout_area(*space_, a, cfg_.policy);
  if (!st.ok()) {
    error = "map " + range_text(e) + ": " + to_string(st.error().code) + ": " + st.error().reason;
    return 0;
  }
  uint64_t leaves = 0;
  for_each_leaf_in(*space_->page_table(), GuestPhysAddr(a.gpa), a.size,
                   [&](GuestPhysAddr, const Mapping&) { ++leaves; });
  const uint64_t frames = frames_->stats().allocs - frames_before;
  event_stats_.entries_written += leaves;
  return hypervisor_work_cycles(leaves, frames, 0);
}

uint64_t FunctionalPlatform::unmap_event(uint16_t vcpu_id, const GuestEvent& e,
                                         std::string& error) {
  const GuestPhysAddr gpa(e.addr);
  const uint64_t size = e.pages * kFrameBytes;
  LeafWork work;
  const uint64_t frames_before = frames_->stats().allocs;
  if (!split_at_boundaries(*space_->page_table_mut(), space_->areas(), gpa, size, work)) {
    error = "unmap " + range_text(e) + ": no host frame to split a huge leaf";
    return 0;
  }
  // The Alloc areas' frames go back to the host allocator: discarded, so that whoever gets
  // them next finds them zeroed, as a hypervisor hands out pages (Linear memory stays).
  std::vector<Mapping> freed;
  for_each_leaf_in(*space_->page_table(), gpa, size, [&](GuestPhysAddr g, const Mapping& m) {
    ++work.entries;
    const MemoryArea* a = space_->areas().find(g);
    if (a && !is_linear(*a)) freed.push_back(m);
  });
  auto r = unmap(vcpu_id, gpa, size);
  if (!r.ok()) {
    error = "unmap " + range_text(e) + ": " + to_string(r.error().code) + ": " + r.error().reason;
    return 0;
  }
  for (const Mapping& m : freed) discard_frames(mem_, m);
  work.table_frames = frames_->stats().allocs - frames_before;
  add_work(event_stats_, work);
  return hypervisor_work_cycles(work.entries, work.table_frames, *r);
}

uint64_t FunctionalPlatform::protect_event(uint16_t vcpu_id, const GuestEvent& e,
                                           std::string& error) {
  if (dirty_.active) {
    error = "protect " + range_text(e) + ": not modelled while dirty logging is on";
    return 0;
  }
  const GuestPhysAddr gpa(e.addr);
  const uint64_t size = e.pages * kFrameBytes;
  std::vector<Piece> pieces;
  if (!event_pieces(*space_, e, "protect", pieces, error)) return 0;
  LeafWork work;
  const uint64_t frames_before = frames_->stats().allocs;
  AnyPageTable& pt = *space_->page_table_mut();
  if (!split_at_boundaries(pt, space_->areas(), gpa, size, work)) {
    error = "protect " + range_text(e) + ": no host frame to split a huge leaf";
    return 0;
  }
  constexpr uint32_t kRwx = MappingFlags::READ | MappingFlags::WRITE | MappingFlags::EXECUTE;
  space_->set_area_flags(gpa, size, e.prot, kRwx);
  for (const Piece& p : pieces)
    protect_leaves(pt, p.start, p.size, space_->areas().find(p.start)->flags, work);
  work.table_frames = frames_->stats().allocs - frames_before;
  add_work(event_stats_, work);
  return hypervisor_work_cycles(work.entries, work.table_frames, shootdown(vcpu_id, gpa, size));
}

uint64_t FunctionalPlatform::balloon_inflate(uint16_t vcpu_id, const GuestEvent& e,
                                             std::string& error) {
  const GuestPhysAddr gpa(e.addr);
  const uint64_t size = e.pages * kFrameBytes;
  std::vector<Piece> pieces;
  if (!event_pieces(*space_, e, "balloon-inflate", pieces, error)) return 0;
  LeafWork work;
  const uint64_t frames_before = frames_->stats().allocs;
  AnyPageTable& pt = *space_->page_table_mut();
  uint64_t freed = 0;
  for (const Piece& p : pieces) {
    if (is_linear(*p.area)) {  // host memory fixed by the offset: nothing to give back
      event_stats_.balloon_pages_kept += p.size / kFrameBytes;
      continue;
    }
    if (!split_at_boundaries(pt, space_->areas(), p.start, p.size, work)) {
      error = "balloon-inflate " + range_text(e) + ": no host frame to split a huge leaf";
      return 0;
    }
    std::vector<std::pair<GuestPhysAddr, Mapping>> leaves;
    for_each_leaf_in(pt, p.start, p.size,
                     [&](GuestPhysAddr g, const Mapping& m) { leaves.emplace_back(g, m); });
    const bool placeholder = is_crate_lazy(*p.area);
    for (const auto& [g, m] : leaves) {
      (void)pt.unmap(g);
      // A lazy page goes back to what its backend keeps for an untouched page (the crate's
      // placeholder, or nothing): the next touch faults it in again.
      if (placeholder) (void)pt.remap(g, HostPhysAddr(0), MappingFlags());
      const uint64_t n = bytes(m.size) / kFrameBytes;
      discard_frames(mem_, m);
      frames_->dealloc_frames(m.hpa, n);
      freed += n;
      ++work.entries;
    }
  }
  work.table_frames = frames_->stats().allocs - frames_before;
  event_stats_.balloon_frames_freed += freed;
  add_work(event_stats_, work);
  const uint64_t inval = freed ? shootdown(vcpu_id, gpa, size) : 0;
  return hypervisor_work_cycles(work.entries, work.table_frames, inval);
}

uint64_t FunctionalPlatform::balloon_deflate(uint16_t vcpu_id, const GuestEvent& e,
                                             std::string& error) {
  (void)vcpu_id;  // gives pages back: nothing cached to drop
  std::vector<Piece> pieces;
  if (!event_pieces(*space_, e, "balloon-deflate", pieces, error)) return 0;
  // Eager areas are populated again now; lazy areas fault their pages in on the next touch;
  // Linear areas never lost theirs.
  AnyPageTable& pt = *space_->page_table_mut();
  const uint64_t frames_before = frames_->stats().allocs;
  uint64_t entries = 0, data = 0;
  for (const Piece& p : pieces) {
    if (!is_eager(*p.area)) continue;
    for (uint64_t off = 0; off < p.size; off += kFrameBytes) {
      if (pt.query(p.start + off).ok()) continue;
      auto frame = frames_->alloc_frame();
      if (!frame) {
        error = "balloon-deflate " + range_text(e) + ": the host has no free frame";
        return 0;
      }
      if (!pt.map(p.start + off, *frame, PageSize::Size4K, p.area->flags).ok()) {
        frames_->dealloc_frame(*frame);
        error =
            "balloon-deflate " + range_text(e) + ": cannot map " + to_hex(p.start.value() + off);
        return 0;
      }
      ++entries, ++data;
    }
  }
  const uint64_t frames = frames_->stats().allocs - frames_before;
  event_stats_.balloon_frames_allocated += data;
  event_stats_.entries_written += entries;
  event_stats_.table_frames += frames - data;
  return hypervisor_work_cycles(entries + (frames - data), frames, 0);
}

uint64_t FunctionalPlatform::guest_tlb_flush(uint16_t vcpu_id, const GuestEvent& e) {
  const bool one = e.pages != 0;
  vcpu(vcpu_id).scheme->invalidate(
      Invalidation{one ? Invalidation::Stage1Address : Invalidation::Stage1All, e.addr});
  ++stats_.invalidations;
  uint64_t cycles = cfg_.costs.invalidate;
  // Shadow paging traps the guest's invalidations (INVLPG exiting, a CR3 reload) to keep the
  // shadow table coherent.
  if (scheme_info_->traps_tlb_flush()) cycles += uint64_t{cfg_.costs.vm_exit} + cfg_.costs.handler;
  stats_.invalidation_cycles += cfg_.costs.invalidate;
  return cycles;
}

void FunctionalPlatform::report_events(StatTree& t) const {
  const EventStats& e = event_stats_;
  for (int k = 0; k < kGuestEventKinds; ++k)
    t.count(std::string("events.") + to_string(static_cast<GuestEventKind>(k)), e.by_kind[k]);
  t.count("events.cycles", e.cycles);
  t.count("events.entries_written", e.entries_written);
  t.count("events.table_frames", e.table_frames);
  t.count("events.leaf_splits", e.leaf_splits);
  t.count("events.balloon.frames_freed", e.balloon_frames_freed);
  t.count("events.balloon.pages_kept", e.balloon_pages_kept);
  t.count("events.balloon.frames_allocated", e.balloon_frames_allocated);
  t.count("events.dirty_log.write_faults", e.dirty_write_faults);
  t.count("events.dirty_log.rounds", e.dirty_rounds);
  t.count("events.dirty_log.pages_logged", e.dirty_pages_logged);
}

}  // namespace nptsim
