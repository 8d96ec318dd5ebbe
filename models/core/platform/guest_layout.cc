#include "models/core/platform/guest_layout.h"

#include <algorithm>

namespace nptsim {

const char* to_string(BackendKind b) {
  switch (b) {
    case BackendKind::Linear:
      return "linear";
    case BackendKind::Alloc:
      return "alloc";
    case BackendKind::Lazy:
      return "lazy";
  }
  return "?";
}

std::optional<BackendKind> parse_backend_kind(const std::string& s) {
  if (s == "linear") return BackendKind::Linear;
  if (s == "alloc") return BackendKind::Alloc;
  if (s == "lazy") return BackendKind::Lazy;
  return std::nullopt;
}

GuestLayout default_layout(uint64_t ram_bytes, BackendKind backend) {
  GuestLayout l;
  AreaSpec ram;
  ram.gpa = 0;
  ram.size = ram_bytes;
  ram.backend = backend;
  ram.hpa = kDefaultLinearHpa;
  l.areas.push_back(ram);
  l.device_window_gpa = ram_bytes;
  l.device_window_size = uint64_t{16} << 20;
  return l;
}

std::optional<std::string> validate(const GuestLayout& l, uint64_t space_bytes) {
  std::vector<AreaSpec> sorted = l.areas;
  std::sort(sorted.begin(), sorted.end(),
            [](const AreaSpec& a, const AreaSpec& b) { return a.gpa < b.gpa; });
  auto where = [](const AreaSpec& a) {
    return "area [" + to_hex(a.gpa) + ", +" + to_hex(a.size) + ")";
  };
  for (size_t i = 0; i < sorted.size(); ++i) {
    const AreaSpec& a = sorted[i];
    if (a.size == 0) return where(a) + ": size must not be 0";
    if (!is_aligned_4k(a.gpa) || !is_aligned_4k(a.size) || !is_aligned_4k(a.hpa)) {
      return where(a) + ": GPA, size and HPA must be 4 KiB-aligned";
    }
    if (a.gpa + a.size < a.gpa || a.gpa + a.size > space_bytes) {
      return where(a) + ": ends beyond the " + to_hex(space_bytes) +
             "-byte guest-physical space of this table";
    }
    if (i > 0 && sorted[i - 1].gpa + sorted[i - 1].size > a.gpa) {
      return where(a) + " overlaps " + where(sorted[i - 1]);
    }
    const uint64_t pool_end = l.frame_pool_hpa + l.frame_pool_frames * 0x1000;
    if (a.backend == BackendKind::Linear && a.hpa < pool_end && l.frame_pool_hpa < a.hpa + a.size) {
      return where(a) + ": its host-physical range overlaps the host frame pool";
    }
  }
  return std::nullopt;
}

}  // namespace nptsim
