// MemorySet bookkeeping (spec §4): insertion, overlap, find, and the exact unmap algorithm.
#include "models/core/addrspace/memory_set.h"

#include <gtest/gtest.h>

#include "models/core/arch/arch_registry.h"

namespace nptsim {
namespace {

class MemorySetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Stage2Config cfg{Arch::X86_64, 4, GeometryMode::Crate, 0};
    pt_ = std::move(create_stage2_table(cfg, *stage2_geometry(cfg), Hal{&frames_, &mem_}).value());
  }
  BackendContext ctx() { return {pt_.get(), &frames_}; }
  MemoryArea alloc_area(uint64_t start, uint64_t size) {
    return MemoryArea{{GuestPhysAddr(start), GuestPhysAddr(start + size)},
                      MappingFlags(MappingFlags::READ),
                      AllocBackend{true}};
  }
  std::vector<std::pair<uint64_t, uint64_t>> ranges() const {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    for (const auto& [k, a] : set_.areas()) out.emplace_back(a.start().value(), a.end().value());
    return out;
  }

  BumpFrameAllocator frames_{4096};
  PhysMem mem_;
  std::unique_ptr<AnyPageTable> pt_;
  MemorySet set_;
};

TEST_F(MemorySetTest, MapRejectsEmptyAndOverlapping) {
  EXPECT_EQ(set_.map(alloc_area(0x1000, 0), ctx()).error().code, MappingError::InvalidParam);
  ASSERT_TRUE(set_.map(alloc_area(0x4000, 0x2000), ctx()).ok());
  EXPECT_EQ(set_.map(alloc_area(0x5000, 0x1000), ctx()).error().code, MappingError::AlreadyExists);
  EXPECT_EQ(set_.map(alloc_area(0x3000, 0x2000), ctx()).error().code, MappingError::AlreadyExists);
  EXPECT_TRUE(set_.map(alloc_area(0x6000, 0x1000), ctx()).ok());  // adjacent: fine, not merged
  EXPECT_EQ(set_.len(), 2u);
}

TEST_F(MemorySetTest, FindUsesHalfOpenAreas) {
  ASSERT_TRUE(set_.map(alloc_area(0x4000, 0x2000), ctx()).ok());
  EXPECT_NE(set_.find(GuestPhysAddr(0x4000)), nullptr);
  EXPECT_NE(set_.find(GuestPhysAddr(0x5fff)), nullptr);
  EXPECT_EQ(set_.find(GuestPhysAddr(0x6000)), nullptr);
  EXPECT_EQ(set_.find(GuestPhysAddr(0x3fff)), nullptr);
}

TEST_F(MemorySetTest, UnmapShrinksSplitsAndRemoves) {
  ASSERT_TRUE(set_.map(alloc_area(0x10000, 0x4000), ctx()).ok());
  ASSERT_TRUE(set_.map(alloc_area(0x20000, 0x4000), ctx()).ok());
  ASSERT_TRUE(set_.map(alloc_area(0x30000, 0x4000), ctx()).ok());
  // Middle of the first: split. Tail of the second through the head of the third, incl. a hole.
  ASSERT_TRUE(set_.unmap(GuestPhysAddr(0x11000), 0x2000, ctx()).ok());
  ASSERT_TRUE(set_.unmap(GuestPhysAddr(0x23000), 0xe000, ctx()).ok());
  using P = std::pair<uint64_t, uint64_t>;
  EXPECT_EQ(ranges(),
            (std::vector<P>{
                {0x10000, 0x11000}, {0x13000, 0x14000}, {0x20000, 0x23000}, {0x31000, 0x34000}}));
  EXPECT_EQ(frames_.stats().deallocs, 4u);                          // 2 + 1 + 1 populated frames
  ASSERT_TRUE(set_.unmap(GuestPhysAddr(0), 0x100000, ctx()).ok());  // everything
  EXPECT_TRUE(set_.empty());
  EXPECT_EQ(frames_.stats().deallocs, 12u);
  EXPECT_EQ(set_.unmap(GuestPhysAddr(~uint64_t{0}), 2, ctx()).error().code,
            MappingError::InvalidParam);
}

TEST_F(MemorySetTest, ClearUnmapsInOrder) {
  ASSERT_TRUE(set_.map(alloc_area(0x20000, 0x1000), ctx()).ok());
  ASSERT_TRUE(set_.map(alloc_area(0x10000, 0x1000), ctx()).ok());
  ASSERT_TRUE(set_.clear(ctx()).ok());
  EXPECT_TRUE(set_.empty());
  EXPECT_EQ(frames_.stats().deallocs, 2u);
}

}  // namespace
}  // namespace nptsim
