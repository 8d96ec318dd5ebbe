#include "models/core/mem/phys_mem.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace nptsim {

const PhysMem::Frame* PhysMem::lookup(uint64_t frame_number) const {
  CacheSlot& c = cache_[frame_number % kCacheSlots];
  if (c.number == frame_number) return c.frame;
  auto it = frames_.find(frame_number);
  if (it == frames_.end()) return nullptr;  // untouched frames are not cached
  c = CacheSlot{frame_number, it->second};
  return c.frame;
}

const PhysMem::Frame* PhysMem::frame_if_touched(HostPhysAddr pa) const {
  return lookup(pa.value() / kFrameSize);
}

namespace {
constexpr size_t kChunkBytes = PhysMem::kChunkFrames * PhysMem::kFrameSize;

// kChunkBytes of zeroed memory aligned to kChunkBytes, or nullptr. On Linux fresh anonymous
// pages read as zero and are backed on first touch, with huge pages where the host allows.
void* alloc_chunk() {
#if defined(__linux__)
  // Over-map by one chunk and trim, so the chunk is aligned (huge pages need that).
  void* raw =
      mmap(nullptr, 2 * kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto base = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (base + kChunkBytes - 1) & ~(uintptr_t{kChunkBytes} - 1);
  if (aligned > base) munmap(raw, aligned - base);
  const uintptr_t end = base + 2 * kChunkBytes;
  if (end > aligned + kChunkBytes)
    munmap(reinterpret_cast<void*>(aligned + kChunkBytes), end - aligned - kChunkBytes);
#if defined(MADV_HUGEPAGE)
  madvise(reinterpret_cast<void*>(aligned), kChunkBytes, MADV_HUGEPAGE);  // a hint only
#endif
  return reinterpret_cast<void*>(aligned);
#else
  void* p = std::aligned_alloc(kChunkBytes, kChunkBytes);
  if (p) std::memset(p, 0, kChunkBytes);
  return p;
#endif
}
}  // namespace

void PhysMem::ChunkFree::operator()(Frame* p) const {
#if defined(__linux__)
  munmap(p, kChunkBytes);
#else
  std::free(p);
#endif
}

PhysMem::Frame* PhysMem::new_frame() {
  if (!free_frames_.empty()) {
    Frame* f = free_frames_.back();
    free_frames_.pop_back();
    f->fill(0);
    return f;
  }
  if (chunk_used_ == kChunkFrames) {
    void* p = alloc_chunk();
    if (!p) throw std::bad_alloc();
    chunks_.emplace_back(static_cast<Frame*>(p));
    chunk_used_ = 0;
  }
  return chunks_.back().get() + chunk_used_++;
}

PhysMem::Frame& PhysMem::frame_for_write(uint64_t frame_number) {
  CacheSlot& c = cache_[frame_number % kCacheSlots];
  if (c.number == frame_number) return *c.frame;
  Frame*& slot = frames_[frame_number];
  if (!slot) slot = new_frame();
  c = CacheSlot{frame_number, slot};
  return *slot;
}

void PhysMem::read(HostPhysAddr pa, void* dst, size_t len) const {
  auto* out = static_cast<uint8_t*>(dst);
  uint64_t addr = pa.value();
  while (len > 0) {
    uint64_t off = addr % kFrameSize;
    size_t chunk = std::min<uint64_t>(len, kFrameSize - off);
    const Frame* f = frame_if_touched(HostPhysAddr(addr));
    if (f) {
      std::memcpy(out, f->data() + off, chunk);
    } else {
      std::memset(out, 0, chunk);
    }
    out += chunk;
    addr += chunk;
    len -= chunk;
  }
}

void PhysMem::write(HostPhysAddr pa, const void* src, size_t len) {
  const auto* in = static_cast<const uint8_t*>(src);
  uint64_t addr = pa.value();
  while (len > 0) {
    uint64_t off = addr % kFrameSize;
    size_t chunk = std::min<uint64_t>(len, kFrameSize - off);
    std::memcpy(frame_for_write(addr / kFrameSize).data() + off, in, chunk);
    in += chunk;
    addr += chunk;
    len -= chunk;
  }
}

void PhysMem::fill(HostPhysAddr pa, uint8_t byte, size_t len) {
  uint64_t addr = pa.value();
  while (len > 0) {
    uint64_t off = addr % kFrameSize;
    size_t chunk = std::min<uint64_t>(len, kFrameSize - off);
    std::memset(frame_for_write(addr / kFrameSize).data() + off, byte, chunk);
    addr += chunk;
    len -= chunk;
  }
}

// Memory is little-endian; on a little-endian host a word is copied as it is.
constexpr bool kHostLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

uint64_t PhysMem::read_u64(HostPhysAddr pa) const {
  uint8_t b[8];
  const uint64_t off = pa.value() % kFrameSize;
  if (off <= kFrameSize - 8) {
    const Frame* f = frame_if_touched(pa);
    if (!f) return 0;
    if (kHostLittleEndian) {
      uint64_t v;
      std::memcpy(&v, f->data() + off, 8);
      return v;
    }
    std::memcpy(b, f->data() + off, 8);
  } else {
    read(pa, b, 8);
  }
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

void PhysMem::write_u64(HostPhysAddr pa, uint64_t value) {
  const uint64_t off = pa.value() % kFrameSize;
  if (kHostLittleEndian && off <= kFrameSize - 8) {
    std::memcpy(frame_for_write(pa.value() / kFrameSize).data() + off, &value, 8);
    return;
  }
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(value >> (8 * i));
  write(pa, b, 8);
}

void PhysMem::discard_frame(HostPhysAddr pa) {
  const uint64_t n = pa.value() / kFrameSize;
  if (on_discard_ && frames_.count(n)) on_discard_(HostPhysAddr(n * kFrameSize));
  CacheSlot& c = cache_[n % kCacheSlots];
  if (c.number == n) c = CacheSlot{};
  auto it = frames_.find(n);
  if (it == frames_.end()) return;
  free_frames_.push_back(it->second);
  frames_.erase(it);
}

}  // namespace nptsim
