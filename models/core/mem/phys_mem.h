// PhysMem: sparse simulated host-physical memory.
//
// Contract: every byte of the 64-bit host-physical space reads as 0 until written. A 4 KiB frame
// gets backing store on its first write, handed out of 2 MiB chunks, so host memory is
// proportional to the frames actually touched, rounded up to whole chunks (a 1 TiB guest with
// 100 touched pages costs one chunk). Multi-byte values are little-endian, whatever the host.
// Accesses may cross frame boundaries.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "models/core/common/addr.h"

namespace nptsim {

class PhysMem {
 public:
  static constexpr uint64_t kFrameSize = 0x1000;
  static constexpr size_t kChunkFrames =
      512;  // frames of backing store taken from the host at once
  using Frame = std::array<uint8_t, kFrameSize>;

  uint64_t read_u64(HostPhysAddr pa) const;
  void write_u64(HostPhysAddr pa, uint64_t value);
  void read(HostPhysAddr pa, void* dst, size_t len) const;
  void write(HostPhysAddr pa, const void* src, size_t len);
  void fill(HostPhysAddr pa, uint8_t byte, size_t len);

  // Makes the 4 KiB frame containing `pa` read as zero again and releases its backing store.
  void discard_frame(HostPhysAddr pa);
  // Called with a frame's address just before the frame is discarded (whoever holds direct
  // pointers into frames, e.g. the SystemC memory target's DMI grants, drops them here).
  void set_discard_listener(std::function<void(HostPhysAddr)> f) { on_discard_ = std::move(f); }

  // Number of frames that currently have backing store.
  size_t touched_frames() const { return frames_.size(); }

  // The backing store of the frame containing `pa`, or nullptr when it was never written.
  // Valid until that frame is discarded.
  const Frame* frame_if_touched(HostPhysAddr pa) const;

 private:
  Frame& frame_for_write(uint64_t frame_number);
  const Frame* lookup(uint64_t frame_number) const;

  // A zeroed frame of backing store: a discarded one, or the next one of the current chunk.
  Frame* new_frame();

  std::unordered_map<uint64_t, Frame*> frames_;
  // Backing store comes in chunks of kChunkFrames frames (2 MiB), which the host may back with
  // huge pages: walks read page-table entries scattered over many frames, and with one host
  // TLB entry per 4 KiB frame most of those reads missed the host TLB. Discarded frames are
  // reused before a new chunk is taken.
  struct ChunkFree {
    void operator()(Frame* p) const;
  };
  std::vector<std::unique_ptr<Frame, ChunkFree>> chunks_;
  size_t chunk_used_ = kChunkFrames;  // frames handed out of chunks_.back()
  std::vector<Frame*> free_frames_;
  std::function<void(HostPhysAddr)> on_discard_;
  // A small direct-mapped cache of frame lookups: page-table walks hit the same few dozen
  // frames over and over. Frames never move (chunks are never freed before the PhysMem).
  struct CacheSlot {
    uint64_t number = ~uint64_t{0};
    Frame* frame = nullptr;
  };
  static constexpr size_t kCacheSlots = 1024;
  mutable std::array<CacheSlot, kCacheSlots> cache_{};
};

}  // namespace nptsim
