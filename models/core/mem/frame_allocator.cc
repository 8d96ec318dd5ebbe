#include "models/core/mem/frame_allocator.h"

namespace nptsim {

std::optional<HostPhysAddr> BumpFrameAllocator::alloc_frames(size_t num, uint64_t align) {
  uint64_t start = align_up(next_, align < kFrameBytes ? kFrameBytes : align);
  if (num == 0 || stats_.allocs + num > limit_ || start < next_) {
    ++stats_.failed_allocs;
    return std::nullopt;
  }
  next_ = start + num * kFrameBytes;
  stats_.allocs += num;
  return HostPhysAddr(start);
}

void BumpFrameAllocator::dealloc_frames(HostPhysAddr /*pa*/, size_t num) { stats_.deallocs += num; }

std::optional<uint64_t> FreeListFrameAllocator::take_from_free_list(size_t num, uint64_t align) {
  const uint64_t align_frames = align / kFrameBytes;
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    uint64_t first = *it;
    if (((base_ / kFrameBytes) + first) % align_frames != 0) continue;
    auto run_end = it;
    size_t run = 1;
    while (run < num) {
      auto nx = std::next(run_end);
      if (nx == free_.end() || *nx != *run_end + 1) break;
      run_end = nx;
      ++run;
    }
    if (run == num) {
      free_.erase(it, std::next(run_end));
      return first;
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> FreeListFrameAllocator::find_unused_block(size_t num,
                                                                  uint64_t align) const {
  uint64_t from = bump_;
  while (true) {
    const uint64_t start = align_up(base_ + from * kFrameBytes, align);
    if (start < base_) return std::nullopt;
    const uint64_t first = (start - base_) / kFrameBytes;
    if (first + num > capacity_) return std::nullopt;
    auto p = pinned_.lower_bound(first);
    if (p == pinned_.end() || *p >= first + num) return first;
    from = *p + 1;  // the block holds a pinned frame: look past it
  }
}

std::optional<HostPhysAddr> FreeListFrameAllocator::alloc_frames(size_t num, uint64_t align) {
  if (align < kFrameBytes) align = kFrameBytes;
  if (num > 0) {
    if (auto idx = take_from_free_list(num, align)) {
      stats_.allocs += num;
      return HostPhysAddr(base_ + *idx * kFrameBytes);
    }
    if (auto first = find_unused_block(num, align)) {
      for (uint64_t skipped = bump_; skipped < *first; ++skipped) {
        if (!pinned_.count(skipped)) free_.insert(skipped);
      }
      bump_ = *first + num;
      stats_.allocs += num;
      return HostPhysAddr(base_ + *first * kFrameBytes);
    }
  }
  ++stats_.failed_allocs;
  return std::nullopt;
}

void FreeListFrameAllocator::dealloc_frames(HostPhysAddr pa, size_t num) {
  uint64_t first = (pa.value() - base_) / kFrameBytes;
  for (size_t i = 0; i < num; ++i) free_.insert(first + i);
  stats_.deallocs += num;
}

}  // namespace nptsim
