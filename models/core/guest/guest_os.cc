#include "models/core/guest/guest_os.h"

namespace nptsim {

GuestOs::GuestOs(Arch arch, const GuestOsConfig& c, GuestMemory& mem,
                 std::vector<GuestPhysAddrRange> ram)
    : arch_(arch), cfg_(c), mem_(mem), ram_(std::move(ram)) {
  auto g = stage1_geometry(arch, c.levels);
  if (!g) {
    ok_ = false;
    error_ = std::string(to_string(arch)) + " guests have no " + std::to_string(c.levels) +
             "-level page tables";
    return;
  }
  if (ram_.empty()) {
    ok_ = false;
    error_ = "the guest has no RAM area for its page tables";
    return;
  }
  low_ = ram_.front().start.value();
  high_ = align_down(ram_.back().end.value(), kPageSize2M);
  regime_.geometry = *g;
  regime_.arm_hw_af = c.hw_ad;
  regime_.riscv_hw_ad = c.hw_ad;
  auto root = alloc_4k();
  if (!root) {
    ok_ = false;
    error_ = "guest RAM too small for a page-table root";
    return;
  }
  regime_.root = *root;
  ++stats_.table_pages;
}

std::optional<GuestPhysAddr> GuestOs::alloc_4k() {
  while (low_range_ < ram_.size()) {
    const GuestPhysAddrRange& r = ram_[low_range_];
    const uint64_t limit =
        low_range_ + 1 == ram_.size() ? std::min(high_, r.end.value()) : r.end.value();
    if (low_ + kPageSize4K <= limit) {
      GuestPhysAddr p(low_);
      low_ += kPageSize4K;
      return p;
    }
    if (++low_range_ < ram_.size()) low_ = ram_[low_range_].start.value();
  }
  return std::nullopt;
}

std::optional<GuestPhysAddr> GuestOs::alloc_2m() {
  const GuestPhysAddrRange& last = ram_.back();
  if (high_ < kPageSize2M || high_ - kPageSize2M < last.start.value()) return std::nullopt;
  const uint64_t floor = low_range_ + 1 == ram_.size() ? low_ : last.start.value();
  if (high_ - kPageSize2M < floor) return std::nullopt;
  high_ -= kPageSize2M;
  return GuestPhysAddr(high_);
}

GuestPhysAddr GuestOs::next_table_of(uint64_t raw) const {
  return stage1_table_address(arch_, raw);
}

bool GuestOs::handle_fault(GuestVirtAddr gva) {
  ++stats_.faults;
  const Geometry& g = regime_.geometry;
  std::optional<GuestPhysAddr> page;
  bool huge = false;
  if (cfg_.huge_pages) {
    page = alloc_2m();
    huge = page.has_value();
  }
  if (!page) page = alloc_4k();
  if (!page) return false;
  const int leaf_depth = huge ? g.levels - 2 : g.levels - 1;
  GuestPhysAddr table = regime_.root;
  for (int d = 0; d < leaf_depth; ++d) {
    const GuestPhysAddr e = table + g.index(d, gva.value()) * 8;
    uint64_t raw = mem_.read_u64(e);
    if (raw == 0) {
      auto t = alloc_4k();
      if (!t) return false;
      ++stats_.table_pages;
      raw = stage1_table_entry(arch_, *t);
      mem_.write_u64(e, raw);
    }
    table = next_table_of(raw);
  }
  const MappingFlags rwxu(MappingFlags::READ | MappingFlags::WRITE | MappingFlags::EXECUTE |
                          MappingFlags::USER);
  mem_.write_u64(table + g.index(leaf_depth, gva.value()) * 8,
                 stage1_leaf_entry(arch_, *page, rwxu, huge, !cfg_.hw_ad));
  ++(huge ? stats_.pages_2m : stats_.pages_4k);
  return true;
}

}  // namespace nptsim
