#include "models/core/guest/guest_memory.h"

#include <algorithm>
#include <vector>

namespace nptsim {

std::optional<HostPhysAddr> GuestMemory::backing(GuestPhysAddr gpa) const {
  auto t = space_.translate(gpa);
  if (!t.ok()) return std::nullopt;
  return *t;
}

void GuestMemory::write_u64(GuestPhysAddr gpa, uint64_t v) {
  const uint64_t page = gpa.value() >> 12;
  auto it = pending_.find(page);
  if (it == pending_.end()) {
    if (auto hpa = backing(gpa)) {
      mem_.write_u64(*hpa, v);
      return;
    }
    it = pending_.emplace(page, std::map<uint32_t, uint64_t>()).first;
  }
  it->second[static_cast<uint32_t>(gpa.value() & 0xFFF)] = v;
}

uint64_t GuestMemory::read_u64(GuestPhysAddr gpa) const {
  auto it = pending_.find(gpa.value() >> 12);
  if (it != pending_.end()) {
    auto e = it->second.find(static_cast<uint32_t>(gpa.value() & 0xFFF));
    return e == it->second.end() ? 0 : e->second;
  }
  auto hpa = backing(gpa);
  return hpa ? mem_.read_u64(*hpa) : 0;
}

bool GuestMemory::on_backed(GuestPhysAddr gpa) {
  auto it = pending_.find(gpa.value() >> 12);
  if (it == pending_.end()) return false;
  auto hpa = backing(GuestPhysAddr(gpa.value() & ~uint64_t{0xFFF}));
  if (!hpa) return false;
  mem_.discard_frame(*hpa);
  for (const auto& [off, v] : it->second) mem_.write_u64(*hpa + off, v);
  pending_.erase(it);
  return true;
}

size_t GuestMemory::land_backed() {
  std::vector<uint64_t> pages;
  for (const auto& kv : pending_) pages.push_back(kv.first);
  std::sort(pages.begin(), pages.end());  // a fixed order, whatever the hash map's
  size_t landed = 0;
  for (uint64_t page : pages) landed += on_backed(GuestPhysAddr(page << 12)) ? 1 : 0;
  return landed;
}

}  // namespace nptsim
