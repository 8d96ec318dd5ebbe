#include "models/core/platform/functional_platform.h"

#include <algorithm>
#include <optional>
#include <random>

namespace nptsim {

namespace {

MappingFlags access_flags(AccessKind k) {
  switch (k) {
    case AccessKind::Read:
      return MappingFlags(MappingFlags::READ);
    case AccessKind::Write:
      return MappingFlags(MappingFlags::WRITE);
    case AccessKind::Fetch:
      return MappingFlags(MappingFlags::EXECUTE);
  }
  return MappingFlags();
}

}  // namespace

bool PlatformConfig::guest_tables() const {
  const SchemeInfo* s = find_scheme(scheme);
  return s && s->guest_tables;
}

namespace {

// The host allocator over the layout's frame pool, fragmented as the policy says: a share of
// its 2 MiB regions each hold one frame in use elsewhere (at a seeded offset), so no 2 MiB block
// can come from them.
std::unique_ptr<FrameAllocator> make_host_allocator(const PlatformConfig& c) {
  const HostPhysAddr base(c.layout.frame_pool_hpa);
  if (c.policy.allocator == HostAllocator::Bump)
    return std::make_unique<BumpFrameAllocator>(c.layout.frame_pool_frames, base);
  auto a = std::make_unique<FreeListFrameAllocator>(base, c.layout.frame_pool_frames);
  if (c.policy.fragmentation > 0) {
    constexpr uint64_t kRegion = kPageSize2M / kFrameBytes;
    std::mt19937_64 rng(c.seed * 7919 + 17);
    std::uniform_real_distribution<double> share(0.0, 1.0);
    for (uint64_t r = 0; r + kRegion <= c.layout.frame_pool_frames; r += kRegion) {
      const uint64_t offset = rng() % kRegion;
      if (share(rng) < c.policy.fragmentation) a->pin(r + offset);
    }
  }
  return a;
}

}  // namespace

AxStatus map_layout_area(AddrSpace& space, const AreaSpec& a, const HypervisorPolicy& policy) {
  const GuestPhysAddr gpa(a.gpa);
  if (a.backend == BackendKind::Linear) {
    // The crate's Linear backend, or its checks (an unaligned HPA is refused there).
    if (policy.linear_max_leaf >= kPageSize1G || a.hpa % kPageSize4K != 0)
      return space.map_linear(gpa, HostPhysAddr(a.hpa), a.size, a.flags);
    return space.map_area(gpa, a.size, a.flags,
                          LinearBackend{a.gpa - a.hpa, policy.linear_max_leaf});
  }
  const bool populate = a.backend == BackendKind::Alloc;
  if (policy.crate_alloc()) return space.map_alloc(gpa, a.size, a.flags, populate);
  return space.map_area(
      gpa, a.size, a.flags,
      PolicyAllocBackend{populate, policy.alloc_block, policy.fault_around, policy.prefault});
}

FunctionalPlatform::FunctionalPlatform(const PlatformConfig& c)
    : cfg_(c),
      frames_(make_host_allocator(c)),
      shared_mem_(c.mem, c.core.freq_ghz, c.seed * 1000 + 999) {}

uint64_t fault_work_cycles(const FaultCosts& costs, const FaultWork& work, uint64_t table_frames) {
  return uint64_t{costs.vm_exit} + costs.handler + costs.alloc * (work.data_allocs + table_frames) +
         costs.zero_page * (work.data_frames + table_frames) +
         uint64_t{costs.entry_write} * (work.leaves + table_frames);
}

FaultHandling handle_nested_fault(AddrSpace& space, const FaultCosts& costs, GuestPhysAddr gpa,
                                  AccessKind kind, const Fault& fault) {
  FaultHandling h;
  const uint64_t frames_before = space.frame_stats().allocs;
  if (fault.kind == FaultKind::Translation &&
      space.handle_page_fault(gpa, access_flags(kind), &h.work)) {
    h.handled = true;
    h.table_frames = space.frame_stats().allocs - frames_before - h.work.data_frames;
    h.cycles = fault_work_cycles(costs, h.work, h.table_frames);
    return h;
  }
  h.cycles = uint64_t{costs.vm_exit} + costs.mmio_exit;
  return h;
}

std::unique_ptr<FunctionalPlatform> FunctionalPlatform::create(const PlatformConfig& c,
                                                               std::string& error,
                                                               PortFactory port_factory) {
  auto geometry = stage2_geometry(c.stage2);
  auto walk_geometry = hardware_walk_geometry(c.stage2);
  if (!geometry || !walk_geometry) {
    error = std::string(to_string(c.stage2.arch)) + " has no " + std::to_string(c.stage2.levels) +
            "-level stage-2 table in " + to_string(c.stage2.mode) + " geometry";
    return nullptr;
  }
  const SchemeInfo* scheme = find_scheme(c.scheme);
  if (!scheme) {
    error = "unknown translation scheme '" + c.scheme + "'";
    return nullptr;
  }
  if (c.guest.huge_pages && !scheme->guest_huge_pages) {
    error = "translation.scheme = " + c.scheme +
            " does not model the guest's 2 MiB pages (guest.huge_pages): turn them off";
    return nullptr;
  }
  if (auto e = validate(c.translation())) {
    error = *e;
    return nullptr;
  }
  if (auto e = validate(c.mem)) {
    error = *e;
    return nullptr;
  }
  if (c.policy.fault_around == 0 || (c.policy.fault_around & (c.policy.fault_around - 1)) != 0) {
    error = "hypervisor.fault_around: " + std::to_string(c.policy.fault_around) +
            " is not a power of two";
    return nullptr;
  }
  // The guest-physical space: what both the tables (crate geometry may index fewer bits) and
  // the hardware walk cover.
  const unsigned bits = std::min(geometry->input_bits(), walk_geometry->input_bits());
  const uint64_t space = bits >= 64 ? ~uint64_t{0} : uint64_t{1} << bits;
  if (auto e = validate(c.layout, space)) {
    error = *e;
    return nullptr;
  }
  std::unique_ptr<FunctionalPlatform> p(new FunctionalPlatform(c));
  p->scheme_info_ = scheme;
  p->port_factory_ = std::move(port_factory);
  auto as =
      AddrSpace::new_empty(c.stage2, GuestPhysAddr(0), space, Hal{p->frames_.get(), &p->mem_});
  if (!as.ok()) {
    error = std::string("cannot create the address space: ") + as.error().reason;
    return nullptr;
  }
  p->space_ = std::move(as.value());
  for (const AreaSpec& a : c.layout.areas) {
    const AxStatus st = map_layout_area(*p->space_, a, c.policy);
    if (!st.ok()) {
      error = "cannot map the " + std::string(to_string(a.backend)) + " area at " + to_hex(a.gpa) +
              " (" + to_string(st.error().code) + ": " + st.error().reason + ")";
      if (a.backend == BackendKind::Alloc) error += "; is the host frame pool large enough?";
      return nullptr;
    }
  }
  p->regime_ = c.stage2_controls;
  p->regime_.geometry = *walk_geometry;
  p->regime_.root = p->space_->page_table_root();
  if (scheme->guest_tables) {
    std::vector<GuestPhysAddrRange> ram;
    for (const AreaSpec& a : c.layout.areas)
      ram.push_back({GuestPhysAddr(a.gpa), GuestPhysAddr(a.gpa + a.size)});
    std::sort(ram.begin(), ram.end(),
              [](const auto& x, const auto& y) { return x.start < y.start; });
    p->guest_mem_ = std::make_unique<GuestMemory>(*p->space_, p->mem_);
    p->guest_os_ = std::make_unique<GuestOs>(c.stage2.arch, c.guest, *p->guest_mem_, ram);
    if (!p->guest_os_->ok()) {
      error = p->guest_os_->error();
      return nullptr;
    }
  }
  p->frames_after_build_ = p->frames_->stats().allocs;
  return p;
}

FunctionalPlatform::Vcpu& FunctionalPlatform::make_vcpu(uint16_t id) {
  if (id >= vcpus_.size()) vcpus_.resize(id + 1u);
  if (!vcpus_[id]) {
    const uint64_t seed = cfg_.seed * 1000 + id;
    auto v = std::make_unique<Vcpu>(cfg_, shared_mem_, seed);
    v->port = port_factory_ ? port_factory_(id, mem_, v->caches)
                            : std::make_unique<LatencyPteMemory>(mem_, v->caches);
    const TranslationConfig tc = cfg_.translation();
    const SchemeContext ctx{
        tc,       cfg_.stage2.arch, regime_,       guest_os_ ? &guest_os_->regime() : nullptr,
        *v->port, seed + 100,       frames_.get(), &mem_};
    v->scheme = scheme_info_->make(ctx);
    v->repeat_hits = v->scheme->tlbs().l1_enabled();
    vcpus_[id] = std::move(v);
  }
  return *vcpus_[id];
}

FaultHandling FunctionalPlatform::resolve(uint16_t vcpu, uint64_t addr, AccessKind kind,
                                          const Fault& f) {
  if (f.stage == Stage::Stage1) {  // the guest OS: demand paging
    const GuestTableWrites writes_before = guest_table_writes();
    if (f.kind != FaultKind::Translation || !guest_os_ ||
        !guest_os_->handle_fault(GuestVirtAddr(addr)))
      return {false, 0, {}, 0};
    ++stats_.guest_faults;
    uint64_t cycles = cfg_.guest.fault_cost;
    if (const uint64_t trapped = trapped_writes(writes_before)) {  // write-protected tables
      stats_.guest_table_write_exits += trapped;
      cycles += trapped * (uint64_t{cfg_.costs.vm_exit} + cfg_.costs.handler);
    }
    return {true, cycles, {}, 0};
  }
  // The hypervisor; a stage-2 fault on a guest table read is reported as a read.
  ++stats_.hypervisor_exits;
  const AccessKind k = f.on_stage1_table ? AccessKind::Read : kind;
  const FaultHandling h = dirty_.active && k == AccessKind::Write && dirty_.logs(f.gpa)
                              ? dirty_write_fault(vcpu, addr, f)
                              : nested_fault(vcpu, f.gpa, k, f);
  if (h.handled) {
    // Guest tables written before their pages were backed: the faulting page's, or every page
    // the handler backed (the policies back more than one).
    if (guest_mem_ && h.work.data_frames <= 1) {
      guest_mem_->on_backed(f.gpa);
    } else if (guest_mem_) {
      guest_mem_->land_backed();
    }
    ++stats_.faults_handled;
    stats_.fault_data_frames += h.work.data_frames;
    stats_.fault_table_frames += h.table_frames;
    stats_.fault_entries += h.work.leaves + h.table_frames;
    if (f.on_stage1_table) ++stats_.stage2_faults_on_tables;
  }
  return h;
}

AccessOutcome FunctionalPlatform::access(uint16_t vcpu_id, uint64_t addr, AccessKind kind) {
  ++stats_.accesses;
  Vcpu& v = vcpu(vcpu_id);
  v.caches.set_now(v.timeline.now());
  AccessOutcome o;
  Translation t = v.scheme->translate(addr, kind);
  add_translation(o, t);
  o.lookup_cycles = t.cycles - t.walk_cycles;
  o.walk_cycles = t.walk_cycles;
  o.page_shift = t.page_shift;
  if (!t.ok) resolve_faults(*v.scheme, vcpu_id, addr, kind, t, o);
  o.fault_cycles = o.cycles - t.cycles;
  stats_.cycles += o.cycles;
  if (o.ok) o.data_cycles = access_data(v, o.hpa, kind, o.data_missed_l1);
  time_access(v, addr, o);
  return o;
}

uint64_t FunctionalPlatform::access_data(Vcpu& v, HostPhysAddr hpa, AccessKind kind,
                                         bool& missed_l1) {
  if (!cfg_.mem.data_caches || cfg_.mem.fixed) return 0;
  const MemClass cls = kind == AccessKind::Fetch ? MemClass::Fetch : MemClass::Data;
  const uint64_t cycles = v.caches.access(hpa, cls, &missed_l1);
  stats_.data_cycles += cycles;
  return cycles;
}

bool FunctionalPlatform::repeat_hit_access(Vcpu& v, uint64_t addr, AccessKind kind) {
  HostPhysAddr hpa;
  uint64_t cycles = 0;
  v.caches.set_now(v.timeline.now());
  if (!v.scheme->repeat_hit(addr, kind, hpa, cycles)) return false;
  // What access() does for this translation, without building its outcome.
  ++stats_.accesses;
  stats_.cycles += cycles;
  AccessTiming a;
  a.data_cycles = access_data(v, hpa, kind, a.data_missed_l1);
  a.addr = addr;
  a.lookup_cycles = cycles;
  v.timeline.access(a);
  return true;
}

uint64_t FunctionalPlatform::record(uint16_t vcpu_id, uint64_t addr, AccessKind kind, uint32_t size,
                                    uint64_t gap, AccessOutcome* outcome) {
  Vcpu& v = vcpu(vcpu_id);
  const uint64_t before = v.timeline.end();
  retire(vcpu_id, gap, kind == AccessKind::Fetch);
  if (outcome) {
    *outcome = access(vcpu_id, addr, kind, size);
  } else if (!v.repeat_hits || !within_page(addr, size) || !repeat_hit_access(v, addr, kind)) {
    access(vcpu_id, addr, kind, size);
  }
  return v.timeline.end() - before;
}

void FunctionalPlatform::time_access(Vcpu& v, uint64_t addr, const AccessOutcome& o) {
  AccessTiming a;
  a.data_cycles = o.data_cycles;
  a.data_missed_l1 = o.data_missed_l1;
  a.addr = addr;
  a.lookup_cycles = o.lookup_cycles;
  a.walk_cycles = o.walk_cycles;
  a.fault_cycles = o.fault_cycles;
  a.walked = o.walked;
  a.page_shift = o.page_shift;
  v.timeline.access(a);
}

AccessOutcome FunctionalPlatform::access_crossing(uint16_t vcpu_id, uint64_t addr,
                                                  AccessKind kind) {
  ++stats_.page_crossings;
  AccessOutcome first = access(vcpu_id, addr, kind);
  const uint64_t next_page = (addr | 0xFFF) + 1;
  const AccessOutcome second = access(vcpu_id, next_page, kind);
  --stats_.accesses;  // one access of the trace, two translations
  first.cycles += second.cycles;
  first.lookup_cycles += second.lookup_cycles;
  first.walk_cycles += second.walk_cycles;
  first.fault_cycles += second.fault_cycles;
  first.data_cycles += second.data_cycles;
  first.walked = first.walked || second.walked;
  first.fault_handled = first.fault_handled || second.fault_handled;
  if (first.ok && !second.ok) {
    first.ok = false;
    first.fault = second.fault;
  }
  return first;
}

void FunctionalPlatform::add_translation(AccessOutcome& o, const Translation& t) {
  o.cycles += t.cycles;
  if (t.source == TranslationSource::Walk) o.walked = true;
  if (t.ok) {
    o.ok = true;
    o.hpa = t.hpa;
  }
}

void FunctionalPlatform::resolve_faults(TranslationScheme& scheme, uint16_t vcpu_id, uint64_t addr,
                                        AccessKind kind, Translation t, AccessOutcome& o) {
  // A first touch can take a guest fault, then stage-2 faults for new guest tables and for the
  // data page: a few rounds at most. A stage-2 fault at a GPA already resolved in this access is
  // not delivered again: the retry faulted again, an unhandled exit.
  constexpr int kMaxRounds = 12;
  std::optional<uint64_t> resolved_gpa;
  for (int round = 1;; ++round) {
    o.fault = t.fault;
    const bool again = t.fault.stage == Stage::Stage2 && resolved_gpa == t.fault.gpa.value();
    const FaultHandling h =
        again ? FaultHandling{false, uint64_t{cfg_.costs.vm_exit} + cfg_.costs.mmio_exit, {}, 0}
              : resolve(vcpu_id, addr, kind, t.fault);
    o.cycles += h.cycles;
    stats_.fault_cycles += h.cycles;
    if (!h.handled) return count_unhandled(t.fault);
    if (t.fault.stage == Stage::Stage2) {
      o.fault_handled = true;
      resolved_gpa = t.fault.gpa.value();
    }
    if (round == kMaxRounds) return count_unhandled(t.fault);  // faults kept coming back: give up
    t = scheme.translate(addr, kind);
    add_translation(o, t);
    if (t.ok) return;
  }
}

uint64_t FunctionalPlatform::retire_some(uint16_t vcpu_id, uint64_t gap, bool fetch) {
  Vcpu& v = vcpu(vcpu_id);
  const uint64_t n = gap + (fetch ? 1 : 0);
  stats_.gap_instructions += gap;
  if (fetch) ++stats_.fetch_instructions;
  const double cpi = cfg_.core.base_cpi;
  const auto before = static_cast<uint64_t>(static_cast<double>(v.instructions) * cpi);
  v.instructions += n;
  const uint64_t cycles = static_cast<uint64_t>(static_cast<double>(v.instructions) * cpi) - before;
  stats_.core_cycles += cycles;
  v.timeline.dispatch(n);
  return cycles;
}

void FunctionalPlatform::prepare_vcpus(uint16_t n) {
  for (uint16_t i = 0; i < n; ++i) vcpu(i);
}

void FunctionalPlatform::reset_stats() {
  stats_ = PlatformStats{};
  event_stats_ = EventStats{};
  shared_mem_.reset_stats();
  for (auto& v : vcpus_) {
    if (!v) continue;
    v->scheme->reset_stats();
    v->caches.reset_stats();
    v->instructions = 0;
    v->timeline.reset();
  }
}

uint64_t FunctionalPlatform::total_cycles() const {
  uint64_t n = 0;
  for (const auto& v : vcpus_) n += v ? v->timeline.end() : 0;
  return n;
}

uint64_t FunctionalPlatform::ideal_cycles() const {
  uint64_t n = 0;
  for (const auto& v : vcpus_) n += v ? v->timeline.ideal_end() : 0;
  return n;
}

uint64_t FunctionalPlatform::table_bytes() const {
  uint64_t bytes = 0;
  space_->page_table()->for_each_table([&](HostPhysAddr, int depth) {
    bytes += depth == 0 ? space_->page_table()->geometry().root_bytes() : kFrameBytes;
  });
  return bytes;
}

uint64_t FunctionalPlatform::data_bytes() const {
  return frames_->stats().outstanding() * kFrameBytes - table_bytes();
}

void FunctionalPlatform::report(StatTree& t) const {
  t.count("accesses", stats_.accesses);
  t.count("cycles", stats_.cycles);
  t.count("core.fetch_instructions", stats_.fetch_instructions);
  t.count("core.gap_instructions", stats_.gap_instructions);
  t.count("core.cycles", stats_.core_cycles);
  t.count("core.total_cycles", total_cycles());
  t.count("core.ideal_cycles", ideal_cycles());
  t.count("data_cycles", stats_.data_cycles);
  t.count("fault_cycles", stats_.fault_cycles);
  t.count("faults.handled", stats_.faults_handled);
  t.count("faults.unhandled", stats_.faults_unhandled);
  for (int k = 0; k < kFaultKindCount; ++k) {
    t.count(std::string("faults.unhandled_by_kind.") + to_string(static_cast<FaultKind>(k)),
            stats_.unhandled_by_kind[k]);
  }
  t.count("hypervisor.exits.nested_fault", stats_.hypervisor_exits);
  t.count("hypervisor.exits.guest_table_write", stats_.guest_table_write_exits);
  t.count("page_crossings", stats_.page_crossings);
  t.count("hypervisor.invalidations", stats_.invalidations);
  t.count("hypervisor.shootdown_ipis", stats_.shootdown_ipis);
  t.count("hypervisor.invalidation_cycles", stats_.invalidation_cycles);
  t.count("hypervisor.fault_work.data_frames", stats_.fault_data_frames);
  t.count("hypervisor.fault_work.table_frames", stats_.fault_table_frames);
  t.count("hypervisor.fault_work.entries_written", stats_.fault_entries);
  report_events(t);
  if (guest_os_) {
    const GuestOsStats& g = guest_os_->stats();
    t.count("guest_os.faults", stats_.guest_faults);
    t.count("guest_os.pages_4k", g.pages_4k);
    t.count("guest_os.pages_2m", g.pages_2m);
    t.count("guest_os.table_pages", g.table_pages);
    t.count("guest_os.stage2_faults_on_tables", stats_.stage2_faults_on_tables);
  }
  t.count("frames.allocated", frames_->stats().allocs);
  t.count("frames.after_build", frames_after_build_);
  t.count("memory.table_bytes", table_bytes());
  t.count("memory.data_bytes", data_bytes());
  t.count("memory.dram_accesses", shared_mem_.dram_accesses());
  for (size_t v = 0; v < vcpus_.size(); ++v) {
    if (!vcpus_[v]) continue;
    const std::string prefix = "vcpu" + std::to_string(v);
    vcpus_[v]->scheme->report(t, prefix);
    vcpus_[v]->caches.report(t, prefix + ".caches");
    vcpus_[v]->timeline.report(t, prefix + ".core");
    t.count(prefix + ".core.end_cycles", vcpus_[v]->timeline.end());
    t.count(prefix + ".core.ideal_cycles", vcpus_[v]->timeline.ideal_end());
  }
}

uint64_t FunctionalPlatform::invalidate(uint16_t vcpu_id, const InvalidationOp& op, uint64_t addr,
                                        bool broadcast) {
  const Invalidation what{op.scope, addr};
  vcpu(vcpu_id).scheme->invalidate(what);
  uint64_t remote = 0;
  if (broadcast) {
    for (size_t v = 0; v < vcpus_.size(); ++v) {
      if (v == vcpu_id || !vcpus_[v]) continue;
      vcpus_[v]->scheme->invalidate(what);
      ++remote;
    }
  }
  ++stats_.invalidations;
  stats_.shootdown_ipis += remote;
  const uint64_t cycles = cfg_.costs.invalidate + remote * cfg_.costs.shootdown_ipi;
  stats_.invalidation_cycles += cycles;
  return cycles;
}

AxResult<uint64_t> FunctionalPlatform::unmap(uint16_t vcpu_id, GuestPhysAddr gpa, uint64_t size) {
  AxStatus st = space_->unmap(gpa, size);
  if (!st.ok()) return fail(st.error());
  return shootdown(vcpu_id, gpa, size);
}

}  // namespace nptsim
