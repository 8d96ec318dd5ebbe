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

namespace {
// The class of a leaf size: 0 for 4 KiB (and anything below 2 MiB), 1 for 2 MiB, 2 for 1 GiB
// and larger.
int size_class(uint8_t shift) { return shift >= 30 ? 2 : shift >= 21 ? 1 : 0; }
constexpr uint8_t kClassShift[kTlbLargeClasses + 1] = {12, 21, 30};
}  // namespace

const char* tlb_large_class_name(int c) { return c == 0 ? "2M" : "1G"; }

const std::vector<std::pair<TlbLargePages::Mode, std::string>>& tlb_large_mode_names() {
  static const std::vector<std::pair<TlbLargePages::Mode, std::string>> names = {
      {TlbLargePages::Own, "own"},
      {TlbLargePages::Shared, "shared"},
      {TlbLargePages::Splinter, "splinter"}};
  return names;
}

Tlb::Tlb(const CacheConfig& c, uint64_t seed, const TlbLargePages& large, SetIndex index)
    : cfg_(c), large_(large) {
  arrays_.push_back(Array{
      SetAssoc<Entry>(c.enabled ? c.entries : 1, c.enabled ? c.ways : 1, c.policy, seed, index)});
  for (int k = 0; k < kTlbLargeClasses; ++k) {
    if (large.mode[k] == TlbLargePages::Own && c.enabled) {
      array_of_class_[k + 1] = static_cast<int>(arrays_.size());
      arrays_.push_back(Array{
          SetAssoc<Entry>(large.entries[k], large.ways[k], c.policy, seed + 7 * (k + 1), index)});
    } else if (large.mode[k] == TlbLargePages::Shared) {
      array_of_class_[k + 1] = 0;
    }
  }
}

std::pair<Tlb::Array*, uint8_t> Tlb::home(uint8_t shift) {
  // A splintered size is kept as the largest smaller size the level holds (4 KiB always).
  for (int k = size_class(shift); k >= 0; --k) {
    if (array_of_class_[k] >= 0) {
      const uint8_t stored = k == size_class(shift) ? shift : kClassShift[k];
      return {&arrays_[static_cast<size_t>(array_of_class_[k])], stored};
    }
  }
  return {&arrays_[0], kClassShift[0]};
}

std::optional<Tlb::Hit> Tlb::lookup_arrays(uint32_t vmid, uint64_t addr, AccessKind a) {
  if (!cfg_.enabled) return std::nullopt;
  const AccessMask bit = access_bit(a);
  for (Array& arr : arrays_) {                             // in hardware, probed in parallel
    for (uint64_t sizes = arr.shifts_seen; sizes != 0;) {  // each size held, largest first
      const int shift = 63 - __builtin_clzll(sizes);
      sizes &= ~(uint64_t{1} << shift);
      const uint64_t vpn = addr >> shift;
      Entry* e = arr.entries.lookup(tag(vmid, vpn, static_cast<uint8_t>(shift)));
      if (e && e->vmid == vmid && e->vpn == vpn && e->shift == shift && (e->servable & bit)) {
        ++stats_.hits;
        ++arr.hits;
        last_ = e;
        last_hits_ = &arr.hits;
        return Hit{HostPhysAddr(e->base + (addr & ((uint64_t{1} << shift) - 1))), e->shift,
                   e->permitted, e->servable};
      }
    }
  }
  ++stats_.misses;
  return std::nullopt;
}

void Tlb::insert(uint32_t vmid, uint64_t addr, uint8_t shift, HostPhysAddr leaf_base,
                 AccessMask permitted, AccessMask servable) {
  if (!cfg_.enabled) return;
  last_ = nullptr;
  const auto [arr, stored] = home(shift);
  // A splintered entry maps the part of the leaf that holds `addr`.
  const uint64_t base =
      leaf_base.value() + (addr & ((uint64_t{1} << shift) - 1) & ~((uint64_t{1} << stored) - 1));
  const uint64_t vpn = addr >> stored;
  if (arr->entries.insert(tag(vmid, vpn, stored),
                          Entry{vmid, stored, permitted, servable, vpn, base})) {
    ++stats_.evictions;
  }
  arr->shifts_seen |= uint64_t{1} << stored;
}

void Tlb::invalidate_page(uint32_t vmid, uint64_t addr) {
  last_ = nullptr;
  for (Array& arr : arrays_) {
    for (uint64_t sizes = arr.shifts_seen; sizes != 0;) {
      const int shift = 63 - __builtin_clzll(sizes);
      sizes &= ~(uint64_t{1} << shift);
      arr.entries.invalidate(tag(vmid, addr >> shift, static_cast<uint8_t>(shift)));
    }
  }
}

void Tlb::report(StatTree& t, const std::string& prefix) const {
  t.count(prefix + ".hits", stats_.hits);
  t.count(prefix + ".misses", stats_.misses);
  t.count(prefix + ".evictions", stats_.evictions);
  for (int k = 0; k < kTlbLargeClasses; ++k) {
    const int a = array_of_class_[k + 1];
    if (a > 0) t.count(prefix + "." + tlb_large_class_name(k) + ".hits", arrays_[a].hits);
  }
}

std::optional<TlbPathHit> lookup_l2_path(Tlb& l1, Tlb& l2, uint32_t tag, uint64_t addr,
                                         AccessKind a, uint64_t& cycles) {
  if (l2.config().enabled) {
    cycles += l2.config().hit_latency;
    if (auto hit = l2.lookup(tag, addr, a)) {
      // Refill L1 with what L2 holds (an L2 entry may itself be a splinter of a larger page).
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
