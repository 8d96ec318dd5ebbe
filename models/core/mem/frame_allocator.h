// Frame-allocator HAL (spec §6) and two implementations.
//
// The crate's PagingHandler hands out 4 KiB host-physical frames one at a time; nptsim's
// interface also offers contiguous, aligned multi-frame blocks (v0.6's alloc_frames), which
// the hardware geometries need for 16 KiB RISC-V x4 roots and concatenated AArch64 roots.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>

#include "models/core/common/addr.h"

namespace nptsim {

constexpr uint64_t kFrameBytes = 0x1000;

// Cumulative counters, as the conformance contract defines them.
struct FrameStats {
  uint64_t allocs = 0;         // frames handed out
  uint64_t deallocs = 0;       // frames given back (one per frame)
  uint64_t failed_allocs = 0;  // requests refused
  uint64_t outstanding() const { return allocs - deallocs; }
};

class FrameAllocator {
 public:
  virtual ~FrameAllocator() = default;

  // `num` contiguous frames whose first address is a multiple of `align` bytes (a power of two,
  // at least 4 KiB), or nothing when the request cannot be met (counted as failed).
  virtual std::optional<HostPhysAddr> alloc_frames(size_t num, uint64_t align) = 0;
  // Gives back `num` frames starting at `pa`, as returned by alloc_frames.
  virtual void dealloc_frames(HostPhysAddr pa, size_t num) = 0;

  std::optional<HostPhysAddr> alloc_frame() { return alloc_frames(1, kFrameBytes); }
  void dealloc_frame(HostPhysAddr pa) { dealloc_frames(pa, 1); }
  const FrameStats& stats() const { return stats_; }

 protected:
  FrameStats stats_;
};

// The conformance contract's mock allocator (conformance README, "Mock HAL contract"): frames in
// strictly increasing order from `base`; at most `limit` frames ever handed out; a refused
// request uses up no address; freed frames are never reused (a free only counts).
// An aligned multi-frame request skips addresses up to its alignment.
class BumpFrameAllocator final : public FrameAllocator {
 public:
  static constexpr uint64_t kDefaultBase = 0x1000'0000;
  explicit BumpFrameAllocator(uint64_t limit_frames, HostPhysAddr base = HostPhysAddr(kDefaultBase))
      : next_(base.value()), limit_(limit_frames) {}

  std::optional<HostPhysAddr> alloc_frames(size_t num, uint64_t align) override;
  void dealloc_frames(HostPhysAddr pa, size_t num) override;

 private:
  uint64_t next_;
  uint64_t limit_;
};

// A reusing allocator over [base, base + capacity frames). Single frames come from the lowest
// freed frame first, then from never-used space; multi-frame blocks from never-used space or
// from a contiguous, aligned run of freed frames. Exhaustion is reported, never fatal.
// Pinned frames (pin(): held by someone else, a fragmented host) are never handed out, so no
// block containing one can be either.
class FreeListFrameAllocator final : public FrameAllocator {
 public:
  FreeListFrameAllocator(HostPhysAddr base, uint64_t capacity_frames)
      : base_(base.value()), capacity_(capacity_frames) {}

  std::optional<HostPhysAddr> alloc_frames(size_t num, uint64_t align) override;
  void dealloc_frames(HostPhysAddr pa, size_t num) override;
  uint64_t capacity_frames() const { return capacity_; }
  uint64_t free_frames() const { return capacity_ - stats_.outstanding() - pinned_.size(); }
  // Frame `index` (counted from base) is never handed out. Call before it was.
  void pin(uint64_t index) { pinned_.insert(index); }

 private:
  std::optional<uint64_t> take_from_free_list(size_t num, uint64_t align);
  // The first frame of the lowest aligned block of `num` never-used frames without a pinned
  // one, or nothing.
  std::optional<uint64_t> find_unused_block(size_t num, uint64_t align) const;

  uint64_t base_;
  uint64_t capacity_;
  uint64_t bump_ = 0;        // frames [0, bump_) have been handed out at least once
  std::set<uint64_t> free_;  // indices of freed frames below bump_
  std::set<uint64_t> pinned_;
};

}  // namespace nptsim
