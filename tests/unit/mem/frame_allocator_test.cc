// Frame-allocator HAL (spec §6) and the conformance contract's bump allocator.
#include "models/core/mem/frame_allocator.h"

#include <gtest/gtest.h>

#include "models/core/mem/phys_frame.h"

namespace nptsim {
namespace {

TEST(BumpFrameAllocator, FollowsTheConformanceContract) {
  BumpFrameAllocator a(3);
  EXPECT_EQ(a.alloc_frame()->value(), 0x1000'0000u);
  EXPECT_EQ(a.alloc_frame()->value(), 0x1000'1000u);
  a.dealloc_frame(HostPhysAddr(0x1000'0000));  // freed frames are never reused
  EXPECT_EQ(a.alloc_frame()->value(), 0x1000'2000u);
  EXPECT_FALSE(a.alloc_frame());  // limit reached: refused, uses no address
  EXPECT_FALSE(a.alloc_frame());
  EXPECT_EQ(a.stats().allocs, 3u);
  EXPECT_EQ(a.stats().deallocs, 1u);
  EXPECT_EQ(a.stats().failed_allocs, 2u);
}

TEST(BumpFrameAllocator, AlignedMultiFrameBlocks) {
  BumpFrameAllocator a(100);
  a.alloc_frame();
  auto block = a.alloc_frames(4, 0x4000);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->value(), 0x1000'4000u);
  EXPECT_EQ(a.alloc_frame()->value(), 0x1000'8000u);
  EXPECT_EQ(a.stats().allocs, 6u);
}

TEST(FreeListFrameAllocator, ReusesLowestFreedFrameAndReportsExhaustion) {
  FreeListFrameAllocator a(HostPhysAddr(0x8000'0000), 4);
  auto f0 = a.alloc_frame(), f1 = a.alloc_frame(), f2 = a.alloc_frame(), f3 = a.alloc_frame();
  ASSERT_TRUE(f0 && f1 && f2 && f3);
  EXPECT_EQ(f3->value(), 0x8000'3000u);
  EXPECT_FALSE(a.alloc_frame());
  EXPECT_EQ(a.stats().failed_allocs, 1u);
  a.dealloc_frame(*f2);
  a.dealloc_frame(*f1);
  EXPECT_EQ(a.free_frames(), 2u);
  EXPECT_EQ(a.alloc_frame()->value(), 0x8000'1000u);
  EXPECT_EQ(a.alloc_frame()->value(), 0x8000'2000u);
  EXPECT_EQ(a.free_frames(), 0u);
}

TEST(FreeListFrameAllocator, AlignedBlocksFromFreshOrFreedSpace) {
  FreeListFrameAllocator a(HostPhysAddr(0x8000'0000), 16);
  a.alloc_frame();                     // frame 0
  auto b = a.alloc_frames(4, 0x4000);  // frames 4..7; 1..3 go to the free list
  ASSERT_TRUE(b);
  EXPECT_EQ(b->value(), 0x8000'4000u);
  EXPECT_EQ(a.alloc_frame()->value(), 0x8000'1000u);  // skipped frames are reusable
  a.dealloc_frames(*b, 4);
  auto again = a.alloc_frames(4, 0x4000);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->value(), 0x8000'4000u);
  EXPECT_FALSE(a.alloc_frames(16, 0x1000));  // more than remains
}

TEST(PhysFrame, AllocZeroFillAndRaii) {
  BumpFrameAllocator a(16);
  PhysMem m;
  m.fill(HostPhysAddr(0x1000'0000), 0x77, 0x1000);  // stale content in the frame-to-be
  {
    auto f = PhysFrame::alloc_zero(a, m);
    ASSERT_TRUE(f.ok());
    HostPhysAddr pa = *f.value().start_paddr();
    EXPECT_EQ(m.read_u64(pa + 0xff8), 0u);
    ASSERT_TRUE(f.value().fill(0xaa).ok());
    EXPECT_EQ(m.read_u64(pa), 0xaaaa'aaaa'aaaa'aaaau);
    EXPECT_EQ(m.read_u64(pa + 0x1000), 0u);  // exactly 4096 bytes
    PhysFrame moved = std::move(f.value());
    EXPECT_FALSE(f.value().initialized());
    EXPECT_TRUE(moved.initialized());
  }
  EXPECT_EQ(a.stats().deallocs, 1u);  // freed once, by the owner
}

TEST(PhysFrame, FailuresAreErrorsNotPanics) {
  BumpFrameAllocator none(0);
  PhysMem m;
  auto f = PhysFrame::alloc(none, m);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, AxError::NoMemory);
  EXPECT_EQ(none.stats().deallocs, 0u);

  PhysFrame u = PhysFrame::uninit();
  EXPECT_FALSE(u.start_paddr());
  EXPECT_FALSE(u.fill(0).ok());

  BumpFrameAllocator at_zero(4, HostPhysAddr(0));  // a HAL that hands out HPA 0
  auto z = PhysFrame::alloc(at_zero, m);
  ASSERT_FALSE(z.ok());
  EXPECT_EQ(z.error().code, AxError::Panic);
}

TEST(PhysFrame, FiveFramesWithDistinctPatterns) {
  BumpFrameAllocator a(16);
  PhysMem m;
  {
    std::vector<PhysFrame> frames;
    for (uint8_t i = 0; i < 5; ++i) {
      auto f = PhysFrame::alloc(a, m);
      ASSERT_TRUE(f.ok());
      ASSERT_TRUE(f.value().fill(static_cast<uint8_t>(0x10 + i)).ok());
      frames.push_back(std::move(f.value()));
    }
    for (uint8_t i = 0; i < 5; ++i) {
      uint8_t b = 0;
      m.read(*frames[i].start_paddr() + 0x800, &b, 1);
      EXPECT_EQ(b, 0x10 + i);
    }
  }
  EXPECT_EQ(a.stats().deallocs, 5u);
}

}  // namespace
}  // namespace nptsim
