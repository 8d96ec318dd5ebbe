// The hypervisor's memory policies (addrspace/policy_backend.h), each worked out by hand on small
// guests: large-block backing, fault-around, pre-fault, Linear leaf caps, a fragmented host, and
// the cost of a fault following from what its handler did.
#include <gtest/gtest.h>

#include <algorithm>

#include "models/core/mem/frame_allocator.h"
#include "platform_test_util.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t k4K = kPageSize4K, k2M = kPageSize2M;

// x86_64 EPT, 4 levels, guest-physical accesses, the guest's RAM at GPA 0.
PlatformConfig config(BackendKind backend, uint64_t ram = 16 * kMiB) {
  PlatformConfig c;
  c.stage2 = Stage2Config{Arch::X86_64, 4, GeometryMode::Hardware, 0};
  c.layout = default_layout(ram, backend);
  c.layout.frame_pool_frames = 1 << 18;  // 1 GiB of host frames
  return c;
}

// Reads one word in each 4 KiB page of [0, bytes); returns the largest leaf (page shift) the
// walks found.
uint8_t touch_pages(FunctionalPlatform& p, uint64_t bytes) {
  uint8_t shift = 0;
  for (uint64_t a = 0; a < bytes; a += k4K) {
    const AccessOutcome o = p.access(0, GuestPhysAddr(a + 8), AccessKind::Read);
    EXPECT_TRUE(o.ok) << a;
    if (o.walked) shift = std::max(shift, o.page_shift);
  }
  return shift;
}

// The size of the stage-2 leaf mapping `gpa`.
PageSize leaf_at(const FunctionalPlatform& p, uint64_t gpa) {
  auto q = p.space().page_table()->query(GuestPhysAddr(gpa));
  EXPECT_TRUE(q.ok()) << gpa;
  return q.ok() ? q->size : PageSize::Size4K;
}

TEST(Policies, TheCratesLazyAllocFaultsOncePerPage) {
  auto p = testutil::build(config(BackendKind::Lazy));
  touch_pages(*p, 6 * kMiB);
  EXPECT_EQ(p->stats().faults_handled, 6 * kMiB / k4K);
  EXPECT_EQ(p->stats().fault_data_frames, 6 * kMiB / k4K);
  EXPECT_EQ(p->stats().fault_table_frames, 0u);  // the crate maps placeholder leaves up front
}

TEST(Policies, TwoMegabyteBackingFaultsOncePerTwoMegabyteRegion) {
  PlatformConfig c = config(BackendKind::Lazy);
  c.policy.alloc_block = k2M;
  auto p = testutil::build(c);
  touch_pages(*p, 6 * kMiB);
  EXPECT_EQ(leaf_at(*p, 5 * kMiB), PageSize::Size2M);
  EXPECT_EQ(p->stats().faults_handled, 3u);
  EXPECT_EQ(p->stats().fault_data_frames, 3 * 512u);
  // The first fault made the tables down to the 2 MiB level (PDPT, PD); the others only leaves.
  EXPECT_EQ(p->stats().fault_table_frames, 2u);
  EXPECT_EQ(p->stats().fault_entries, 3u + 2u);
}

TEST(Policies, EagerTwoMegabyteBackingNeedsNoFault) {
  PlatformConfig c = config(BackendKind::Alloc);
  c.policy.alloc_block = k2M;
  auto p = testutil::build(c);
  EXPECT_EQ(touch_pages(*p, 16 * kMiB), 21);
  EXPECT_EQ(p->stats().faults_handled, 0u);
}

TEST(Policies, FaultAroundMapsTheAlignedWindowOfPages) {
  PlatformConfig c = config(BackendKind::Lazy);
  c.policy.fault_around = 16;
  auto p = testutil::build(c);
  touch_pages(*p, 64 * k4K);
  EXPECT_EQ(leaf_at(*p, 63 * k4K), PageSize::Size4K);
  EXPECT_EQ(p->stats().faults_handled, 4u);  // pages 0, 16, 32 and 48
  EXPECT_EQ(p->stats().fault_data_frames, 64u);
  // The window is aligned: a fault on page 100 maps pages 96..111.
  const uint64_t before = p->stats().faults_handled;
  ASSERT_TRUE(p->access(0, GuestPhysAddr(100 * k4K), AccessKind::Read).ok);
  for (uint64_t page = 96; page < 112; ++page)
    ASSERT_TRUE(p->access(0, GuestPhysAddr(page * k4K), AccessKind::Read).ok);
  EXPECT_EQ(p->stats().faults_handled, before + 1);
  ASSERT_TRUE(p->access(0, GuestPhysAddr(112 * k4K), AccessKind::Read).ok);
  EXPECT_EQ(p->stats().faults_handled, before + 2);
}

TEST(Policies, PrefaultMapsTheWholeAreaOnItsFirstFault) {
  PlatformConfig c = config(BackendKind::Lazy, 8 * kMiB);
  c.policy.prefault = true;
  auto p = testutil::build(c);
  touch_pages(*p, 8 * kMiB);
  EXPECT_EQ(p->stats().faults_handled, 1u);
  EXPECT_EQ(p->stats().fault_data_frames, 8 * kMiB / k4K);
}

TEST(Policies, AFragmentedHostFallsBackToFourKilobytePagesOverTheSameWindow) {
  PlatformConfig c = config(BackendKind::Lazy);
  c.policy.alloc_block = k2M;
  c.policy.fragmentation = 1.0;  // every 2 MiB region of the host holds a pinned frame
  auto p = testutil::build(c);
  touch_pages(*p, 4 * kMiB);
  EXPECT_EQ(leaf_at(*p, 3 * kMiB), PageSize::Size4K);
  EXPECT_EQ(p->stats().faults_handled, 2u);  // still one fault per 2 MiB window
  EXPECT_EQ(p->stats().fault_data_frames, 2 * 512u);
}

TEST(Policies, LinearLeavesAreCappedAtTheChosenSize) {
  for (const auto& [cap, shift] : {std::pair{kPageSize1G, 30}, {k2M, 21}, {k4K, 12}}) {
    PlatformConfig c = config(BackendKind::Linear, uint64_t{1} << 30);
    c.policy.linear_max_leaf = cap;
    auto p = testutil::build(c);
    const AccessOutcome o = p->access(0, GuestPhysAddr(0x1234'5678), AccessKind::Read);
    ASSERT_TRUE(o.ok);
    EXPECT_EQ(o.page_shift, shift) << cap;
    EXPECT_EQ(o.hpa.value(), kDefaultLinearHpa + 0x1234'5678);
  }
}

// A fault's cost is what its handler did: one exit, the handler, and per allocation, frame and
// entry written their costs.
TEST(Policies, AFaultCostsWhatItsHandlerDid) {
  PlatformConfig c = config(BackendKind::Lazy);
  c.costs = FaultCosts{1000, 500, 100, 10, 2500, 200, 3000, 7};
  c.policy.alloc_block = k2M;
  auto p = testutil::build(c);
  Fault f;
  f.kind = FaultKind::Translation;
  const FaultHandling h =
      handle_nested_fault(p->space_mut(), c.costs, GuestPhysAddr(0x1000), AccessKind::Read, f);
  ASSERT_TRUE(h.handled);
  EXPECT_EQ(h.work.leaves, 1u);
  EXPECT_EQ(h.work.data_allocs, 1u);
  EXPECT_EQ(h.work.data_frames, 512u);
  EXPECT_EQ(h.table_frames, 2u);
  EXPECT_EQ(h.cycles, 1000u + 500u + 100u * (1 + 2) + 10u * (512 + 2) + 7u * (1 + 2));

  // The crate's lazy fault: one frame, one leaf rewritten over its placeholder.
  PlatformConfig crate = config(BackendKind::Lazy);
  crate.costs = c.costs;
  auto q = testutil::build(crate);
  const FaultHandling g =
      handle_nested_fault(q->space_mut(), c.costs, GuestPhysAddr(0x1000), AccessKind::Read, f);
  ASSERT_TRUE(g.handled);
  EXPECT_EQ(g.cycles, 1000u + 500u + 100u + 10u + 7u);
}

TEST(Policies, FaultAroundMustBeAPowerOfTwo) {
  PlatformConfig c = config(BackendKind::Lazy);
  c.policy.fault_around = 12;
  std::string error;
  EXPECT_FALSE(FunctionalPlatform::create(c, error));
  EXPECT_NE(error.find("hypervisor.fault_around: 12 is not a power of two"), std::string::npos);
}

TEST(HostFrames, PinnedFramesAreNeverHandedOutNorAnyBlockHoldingThem) {
  FreeListFrameAllocator a(HostPhysAddr(0x1000'0000), 4096);
  a.pin(0);    // in the first 2 MiB region
  a.pin(700);  // in the second
  auto single = a.alloc_frame();
  ASSERT_TRUE(single);
  EXPECT_EQ(single->value(), 0x1000'0000u + k4K);  // frame 0 is pinned
  auto block = a.alloc_frames(512, k2M);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->value(), 0x1000'0000u + 2 * k2M);  // the first two regions hold pins
  EXPECT_EQ(a.free_frames(), 4096u - 2 - 1 - 512);
}

TEST(HostFrames, TheBumpAllocatorNeverReusesAFrame) {
  BumpFrameAllocator a(16, HostPhysAddr(0x1000));
  auto f1 = a.alloc_frame();
  ASSERT_TRUE(f1);
  a.dealloc_frame(*f1);
  auto f2 = a.alloc_frame();
  ASSERT_TRUE(f2);
  EXPECT_NE(f1->value(), f2->value());
}

}  // namespace
}  // namespace nptsim
