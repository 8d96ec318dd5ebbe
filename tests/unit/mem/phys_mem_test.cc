// PhysMem: sparse, zero-filled, little-endian host-physical memory.
#include "models/core/mem/phys_mem.h"

#include <gtest/gtest.h>

#include <vector>

namespace nptsim {
namespace {

TEST(PhysMem, UntouchedMemoryReadsZeroAndCostsNothing) {
  PhysMem m;
  EXPECT_EQ(m.read_u64(HostPhysAddr(0x1234'5678'9000)), 0u);
  uint8_t buf[16] = {1, 2, 3};
  m.read(HostPhysAddr(0xfff8), buf, sizeof buf);
  for (uint8_t b : buf) EXPECT_EQ(b, 0);
  EXPECT_EQ(m.touched_frames(), 0u);
}

TEST(PhysMem, LittleEndianWords) {
  PhysMem m;
  m.write_u64(HostPhysAddr(0x1000), 0x1122'3344'5566'7788);
  uint8_t b[8];
  m.read(HostPhysAddr(0x1000), b, 8);
  EXPECT_EQ(b[0], 0x88);
  EXPECT_EQ(b[7], 0x11);
  EXPECT_EQ(m.read_u64(HostPhysAddr(0x1000)), 0x1122'3344'5566'7788u);
  EXPECT_EQ(m.read_u64(HostPhysAddr(0x1004)), 0x1122'3344u);
}

TEST(PhysMem, AccessesCrossFrameBoundaries) {
  PhysMem m;
  m.write_u64(HostPhysAddr(0x1ffc), 0xaabb'ccdd'eeff'0011);
  EXPECT_EQ(m.touched_frames(), 2u);
  EXPECT_EQ(m.read_u64(HostPhysAddr(0x1ffc)), 0xaabb'ccdd'eeff'0011u);
  std::vector<uint8_t> big(3 * PhysMem::kFrameSize, 0x5a);
  m.write(HostPhysAddr(0x10'0800), big.data(), big.size());
  EXPECT_EQ(m.touched_frames(), 6u);
  std::vector<uint8_t> back(big.size());
  m.read(HostPhysAddr(0x10'0800), back.data(), back.size());
  EXPECT_EQ(back, big);
}

TEST(PhysMem, DiscardZeroesAndReleases) {
  PhysMem m;
  m.fill(HostPhysAddr(0x5000), 0xaa, 0x1000);
  EXPECT_EQ(m.read_u64(HostPhysAddr(0x5ff8)), 0xaaaa'aaaa'aaaa'aaaau);
  m.discard_frame(HostPhysAddr(0x5123));
  EXPECT_EQ(m.read_u64(HostPhysAddr(0x5ff8)), 0u);
  EXPECT_EQ(m.touched_frames(), 0u);
  EXPECT_EQ(m.frame_if_touched(HostPhysAddr(0x5000)), nullptr);
}

// A 1 TiB guest with 100 touched pages holds 100 frames (one chunk of backing store).
TEST(PhysMem, CostIsProportionalToTouchedFrames) {
  PhysMem m;
  const uint64_t tib = uint64_t{1} << 40;
  for (uint64_t i = 0; i < 100; ++i)
    m.write_u64(HostPhysAddr(i * (tib / 100) & ~uint64_t{7}), i + 1);
  EXPECT_EQ(m.touched_frames(), 100u);
  for (uint64_t i = 0; i < 100; ++i) {
    EXPECT_EQ(m.read_u64(HostPhysAddr(i * (tib / 100) & ~uint64_t{7})), i + 1);
  }
}

// Backing store is reused after a discard: the frame written next reads zero except where it
// is written, and the discarded frame stays zero.
TEST(PhysMem, ReusedBackingStoreStartsZeroed) {
  PhysMem m;
  m.fill(HostPhysAddr(0x7000), 0xff, 0x1000);
  const PhysMem::Frame* old = m.frame_if_touched(HostPhysAddr(0x7000));
  m.discard_frame(HostPhysAddr(0x7000));
  m.write_u64(HostPhysAddr(0x9'0010), 0x42);
  EXPECT_EQ(m.frame_if_touched(HostPhysAddr(0x9'0000)), old);  // the same store, handed out again
  for (uint64_t off = 0; off < PhysMem::kFrameSize; off += 8) {
    EXPECT_EQ(m.read_u64(HostPhysAddr(0x9'0000 + off)), off == 0x10 ? 0x42u : 0u) << off;
    EXPECT_EQ(m.read_u64(HostPhysAddr(0x7000 + off)), 0u) << off;
  }
}

// More frames than one chunk of backing store: every frame keeps its own contents.
TEST(PhysMem, FramesBeyondOneChunkAreDistinct) {
  PhysMem m;
  const uint64_t n = 3 * PhysMem::kChunkFrames + 7;
  for (uint64_t i = 0; i < n; ++i) m.write_u64(HostPhysAddr(i * 0x3000 + 0x18), i * 3 + 1);
  EXPECT_EQ(m.touched_frames(), n);
  for (uint64_t i = 0; i < n; ++i) {
    ASSERT_EQ(m.read_u64(HostPhysAddr(i * 0x3000 + 0x18)), i * 3 + 1) << i;
    ASSERT_EQ(m.read_u64(HostPhysAddr(i * 0x3000 + 0x10)), 0u) << i;
  }
}

}  // namespace
}  // namespace nptsim
