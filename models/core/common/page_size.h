// Page sizes of the three nested formats (spec §1.4): 4 KiB pages, 2 MiB and 1 GiB blocks.
#pragma once

#include <cstdint>

namespace nptsim {

constexpr uint64_t kPageSize4K = 0x1000;
constexpr uint64_t kPageSize2M = 0x20'0000;
constexpr uint64_t kPageSize1G = 0x4000'0000;

enum class PageSize : uint64_t {
  Size4K = kPageSize4K,
  Size2M = kPageSize2M,
  Size1G = kPageSize1G,
};

constexpr uint64_t bytes(PageSize s) { return static_cast<uint64_t>(s); }
constexpr bool is_huge(PageSize s) { return s != PageSize::Size4K; }

// The page size of an entry at a level whose entries each cover 2^shift bytes, if it is one of
// the three sizes (shift 12, 21 or 30).
constexpr bool page_size_for_shift(unsigned shift, PageSize* out) {
  switch (shift) {
    case 12:
      *out = PageSize::Size4K;
      return true;
    case 21:
      *out = PageSize::Size2M;
      return true;
    case 30:
      *out = PageSize::Size1G;
      return true;
    default:
      return false;
  }
}

const char* to_string(PageSize s);

}  // namespace nptsim
