#include "models/core/tlb/tlb.h"

namespace nptsim {

std::optional<std::string> validate(const CacheConfig& c, const std::string& name) {
  if (!c.enabled) return std::nullopt;
  if (c.entries == 0) return name + ": entries must be at least 1";
  if (c.ways == 0) return name + ": ways must be at least 1";
  if (c.ways > c.entries)
    return name + ": more ways (" + std::to_string(c.ways) + ") than entries (" +
           std::to_string(c.entries) + ")";
  if (c.entries % c.ways)
    return name + ": entries (" + std::to_string(c.entries) + ") must be a multiple of ways (" +
           std::to_string(c.ways) + ")";
  return std::nullopt;
}

Tlb::Tlb(const CacheConfig& c, uint64_t seed)
    : cfg_(c), array_(c.enabled ? c.entries : 1, c.enabled ? c.ways : 1, c.policy, seed) {}

std::optional<Tlb::Hit> Tlb::lookup(uint32_t vmid, uint64_t addr, AccessKind a) {
  if (!cfg_.enabled) return std::nullopt;
  const AccessMask bit = access_bit(a);
  for (uint64_t sizes = shifts_seen_; sizes != 0;) {  // each leaf size present, largest first
    const int shift = 63 - __builtin_clzll(sizes);
    sizes &= ~(uint64_t{1} << shift);
    const uint64_t vpn = addr >> shift;
    Entry* e = array_.lookup(tag(vmid, vpn, static_cast<uint8_t>(shift)));
    if (e && e->vmid == vmid && e->vpn == vpn && e->shift == shift && (e->servable & bit)) {
      ++stats_.hits;
      return Hit{HostPhysAddr(e->base + (addr & ((uint64_t{1} << shift) - 1))), e->shift,
                 e->permitted, e->servable};
    }
  }
  ++stats_.misses;
  return std::nullopt;
}

void Tlb::insert(uint32_t vmid, uint64_t addr, uint8_t shift, HostPhysAddr leaf_base,
                 AccessMask permitted, AccessMask servable) {
  if (!cfg_.enabled) return;
  const uint64_t vpn = addr >> shift;
  if (array_.insert(tag(vmid, vpn, shift),
                    Entry{vmid, shift, permitted, servable, vpn, leaf_base.value()})) {
    ++stats_.evictions;
  }
  shifts_seen_ |= uint64_t{1} << shift;
}

void Tlb::invalidate_page(uint32_t vmid, uint64_t addr) {
  for (uint64_t sizes = shifts_seen_; sizes != 0;) {
    const int shift = 63 - __builtin_clzll(sizes);
    sizes &= ~(uint64_t{1} << shift);
    array_.invalidate(tag(vmid, addr >> shift, static_cast<uint8_t>(shift)));
  }
}

void Tlb::report(StatTree& t, const std::string& prefix) const {
  t.count(prefix + ".hits", stats_.hits);
  t.count(prefix + ".misses", stats_.misses);
  t.count(prefix + ".evictions", stats_.evictions);
}

std::optional<TlbPathHit> lookup_tlb_path(Tlb& l1, Tlb& l2, uint32_t tag, uint64_t addr,
                                          AccessKind a, uint64_t& cycles, bool l1_hidden) {
  if (l1.config().enabled) {
    if (!l1_hidden) cycles += l1.config().hit_latency;
    if (auto hit = l1.lookup(tag, addr, a)) return TlbPathHit{hit->hpa, true};
  }
  if (l2.config().enabled) {
    cycles += l2.config().hit_latency;
    if (auto hit = l2.lookup(tag, addr, a)) {
      const HostPhysAddr base(hit->hpa.value() & ~((uint64_t{1} << hit->shift) - 1));
      l1.insert(tag, addr, hit->shift, base, hit->permitted, hit->servable);
      return TlbPathHit{hit->hpa, false};
    }
  }
  return std::nullopt;
}

void fill_tlb_path(Tlb& l1, Tlb& l2, uint32_t tag, uint64_t addr, const WalkResult& r) {
  const HostPhysAddr base(r.hpa.value() & ~((uint64_t{1} << r.leaf_shift) - 1));
  l2.insert(tag, addr, r.leaf_shift, base, r.permitted, r.tlb_servable);
  l1.insert(tag, addr, r.leaf_shift, base, r.permitted, r.tlb_servable);
}

}  // namespace nptsim
