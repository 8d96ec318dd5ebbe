#include "models/core/platform/functional_platform.h"

#include <algorithm>

namespace nptsim {

namespace {

MappingFlags access_flags(AccessKind k) {
  switch (k) {
    case AccessKind::Read: return MappingFlags(MappingFlags::READ);
    case AccessKind::Write: return MappingFlags(MappingFlags::WRITE);
    case AccessKind::Fetch: return MappingFlags(MappingFlags::EXECUTE);
  }
  return MappingFlags();
}

}  // namespace

FunctionalPlatform::FunctionalPlatform(const PlatformConfig& c)
    : cfg_(c), frames_(HostPhysAddr(c.layout.frame_pool_hpa), c.layout.frame_pool_frames) {}

FaultHandling handle_nested_fault(AddrSpace& space, const FaultCosts& costs, GuestPhysAddr gpa,
                                  AccessKind kind, const Fault& fault) {
  if (fault.kind == FaultKind::Translation && space.handle_page_fault(gpa, access_flags(kind))) {
    return {true, uint64_t{costs.vm_exit} + costs.handler + costs.alloc + costs.zero_page};
  }
  return {false, uint64_t{costs.vm_exit} + costs.mmio_exit};
}

std::unique_ptr<FunctionalPlatform> FunctionalPlatform::create(const PlatformConfig& c, std::string& error,
                                                               PortFactory port_factory) {
  auto geometry = stage2_geometry(c.stage2);
  auto walk_geometry = hardware_walk_geometry(c.stage2);
  if (!geometry || !walk_geometry) {
    error = std::string(to_string(c.stage2.arch)) + " has no " + std::to_string(c.stage2.levels) +
            "-level stage-2 table in " + to_string(c.stage2.mode) + " geometry";
    return nullptr;
  }
  if (auto e = validate(c.mmu)) {
    error = *e;
    return nullptr;
  }
  if (auto e = validate(c.mem)) {
    error = *e;
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
  p->port_factory_ = std::move(port_factory);
  auto as = AddrSpace::new_empty(c.stage2, GuestPhysAddr(0), space, Hal{&p->frames_, &p->mem_});
  if (!as.ok()) {
    error = std::string("cannot create the address space: ") + as.error().reason;
    return nullptr;
  }
  p->space_ = std::move(as.value());
  for (const AreaSpec& a : c.layout.areas) {
    AxStatus st = a.backend == BackendKind::Linear
                      ? p->space_->map_linear(GuestPhysAddr(a.gpa), HostPhysAddr(a.hpa), a.size, a.flags)
                      : p->space_->map_alloc(GuestPhysAddr(a.gpa), a.size, a.flags, a.backend == BackendKind::Alloc);
    if (!st.ok()) {
      error = "cannot map the " + std::string(to_string(a.backend)) + " area at " + to_hex(a.gpa) + " (" +
              to_string(st.error().code) + ": " + st.error().reason + ")";
      if (a.backend == BackendKind::Alloc) error += "; is the host frame pool large enough?";
      return nullptr;
    }
  }
  p->regime_.geometry = *walk_geometry;
  p->regime_.root = p->space_->page_table_root();
  p->regime_.ept_ad_enabled = c.ept_ad;
  p->regime_.arm_hw_access_flag = c.arm_hw_af;
  p->regime_.riscv_hw_ad = c.riscv_svadu;
  if (c.two_dimensional) {
    if (auto e = validate(Mmu2DConfig{c.mmu, c.nested_tlb, c.s1_walk_cache, c.guest.asid})) {
      error = *e;
      return nullptr;
    }
    std::vector<GuestPhysAddrRange> ram;
    for (const AreaSpec& a : c.layout.areas) ram.push_back({GuestPhysAddr(a.gpa), GuestPhysAddr(a.gpa + a.size)});
    std::sort(ram.begin(), ram.end(), [](const auto& x, const auto& y) { return x.start < y.start; });
    p->guest_mem_ = std::make_unique<GuestMemory>(*p->space_, p->mem_);
    p->guest_os_ = std::make_unique<GuestOs>(c.stage2.arch, c.guest, *p->guest_mem_, ram);
    if (!p->guest_os_->ok()) {
      error = p->guest_os_->error();
      return nullptr;
    }
  }
  p->frames_after_build_ = p->frames_.stats().allocs;
  return p;
}

FunctionalPlatform::Vcpu& FunctionalPlatform::make_vcpu(uint16_t id) {
  if (id >= vcpus_.size()) vcpus_.resize(id + 1u);
  if (!vcpus_[id]) {
    vcpus_[id] = std::make_unique<Vcpu>(cfg_, mem_, regime_, guest_os_ ? &guest_os_->regime() : nullptr,
                                        cfg_.seed * 1000 + id, id, port_factory_);
  }
  return *vcpus_[id];
}

AccessOutcome FunctionalPlatform::access(uint16_t vcpu_id, GuestPhysAddr gpa, AccessKind kind) {
  ++stats_.accesses;
  Mmu& m = vcpu(vcpu_id).mmu;
  AccessOutcome o;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const Translation t = m.translate(gpa, kind);
    o.cycles += t.cycles;
    if (t.source == TranslationSource::Walk) {
      o.walked = true;
      o.walk_cycles += t.cycles;
    }
    if (t.ok) {
      o.ok = true;
      o.hpa = t.hpa;
      break;
    }
    o.fault = t.fault;
    // A nested fault exits to the hypervisor; a resolved one retries with a fresh walk.
    FaultHandling h{false, uint64_t{cfg_.costs.vm_exit} + cfg_.costs.mmio_exit};  // a retry faulted again
    if (attempt == 0) h = nested_fault(vcpu_id, gpa, kind, t.fault);
    o.cycles += h.cycles;
    stats_.fault_cycles += h.cycles;
    if (h.handled) {
      o.fault_handled = true;
      ++stats_.faults_handled;
      continue;
    }
    ++stats_.faults_unhandled;
    ++stats_.unhandled_by_kind[static_cast<int>(t.fault.kind)];
    break;
  }
  stats_.cycles += o.cycles;
  return o;
}

AccessOutcome FunctionalPlatform::access_gva(uint16_t vcpu_id, GuestVirtAddr gva, AccessKind kind) {
  ++stats_.accesses;
  Mmu2D& m = *vcpu(vcpu_id).mmu2d;
  AccessOutcome o;
  // A first touch can take a guest fault, then stage-2 faults for new guest tables and for the
  // data page: a few rounds at most.
  constexpr int kMaxRounds = 12;
  bool settled = false;  // translated, or counted as unhandled
  for (int round = 0; round < kMaxRounds && !settled; ++round) {
    const Translation2D t = m.translate(gva, kind);
    o.cycles += t.cycles;
    if (t.source == TranslationSource::Walk) {
      o.walked = true;
      o.walk_cycles += t.cycles;
    }
    if (t.ok) {
      o.ok = true;
      o.hpa = t.hpa;
      settled = true;
      break;
    }
    o.fault = t.fault;
    if (t.fault.stage == Stage::Stage1 && t.fault.kind == FaultKind::Translation &&
        guest_os_->handle_fault(gva)) {
      ++stats_.guest_faults;
      o.cycles += cfg_.guest.fault_cost;
      stats_.fault_cycles += cfg_.guest.fault_cost;
      continue;
    }
    if (t.fault.stage == Stage::Stage2) {
      const AccessKind k = t.fault.on_stage1_table ? AccessKind::Read : kind;
      const FaultHandling h = nested_fault(vcpu_id, t.fault.gpa, k, t.fault);
      o.cycles += h.cycles;
      stats_.fault_cycles += h.cycles;
      if (h.handled) {
        guest_mem_->on_backed(t.fault.gpa);  // a guest table written before the page was backed
        o.fault_handled = true;
        ++stats_.faults_handled;
        if (t.fault.on_stage1_table) ++stats_.stage2_faults_on_tables;
        continue;
      }
    }
    ++stats_.faults_unhandled;
    ++stats_.unhandled_by_kind[static_cast<int>(t.fault.kind)];
    settled = true;
  }
  if (!settled) {  // faults kept coming back: give up on this access and count it
    ++stats_.faults_unhandled;
    ++stats_.unhandled_by_kind[static_cast<int>(o.fault.kind)];
  }
  stats_.cycles += o.cycles;
  return o;
}

void FunctionalPlatform::prepare_vcpus(uint16_t n) {
  for (uint16_t i = 0; i < n; ++i) vcpu(i);
}

void FunctionalPlatform::reset_stats() {
  stats_ = PlatformStats{};
  for (auto& v : vcpus_) {
    if (!v) continue;
    v->mmu.reset_stats();
    if (v->mmu2d) v->mmu2d->reset_stats();
    v->latency.reset_stats();
  }
}

uint64_t FunctionalPlatform::table_bytes() const {
  uint64_t bytes = 0;
  space_->page_table()->for_each_table([&](HostPhysAddr, int depth) {
    bytes += depth == 0 ? space_->page_table()->geometry().root_bytes() : kFrameBytes;
  });
  return bytes;
}

uint64_t FunctionalPlatform::data_bytes() const {
  return frames_.stats().outstanding() * kFrameBytes - table_bytes();
}

}  // namespace nptsim
