#include "models/core/mem/phys_mem.h"

#include <algorithm>
#include <cstring>

namespace nptsim {

const PhysMem::Frame* PhysMem::lookup(uint64_t frame_number) const {
  CacheSlot& c = cache_[frame_number % kCacheSlots];
  if (c.number == frame_number) return c.frame;
  auto it = frames_.find(frame_number);
  if (it == frames_.end()) return nullptr;  // untouched frames are not cached
  c = CacheSlot{frame_number, it->second.get()};
  return c.frame;
}

const PhysMem::Frame* PhysMem::frame_if_touched(HostPhysAddr pa) const { return lookup(pa.value() / kFrameSize); }

PhysMem::Frame& PhysMem::frame_for_write(uint64_t frame_number) {
  CacheSlot& c = cache_[frame_number % kCacheSlots];
  if (c.number == frame_number) return *c.frame;
  auto& slot = frames_[frame_number];
  if (!slot) slot = std::make_unique<Frame>(Frame{});
  c = CacheSlot{frame_number, slot.get()};
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
  frames_.erase(n);
}

}  // namespace nptsim
