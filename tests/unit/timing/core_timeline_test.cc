// CoreTimeline: how accesses overlap. Every expected time is worked out by hand in the comments.
#include "models/core/timing/core_timeline.h"

#include <gtest/gtest.h>

namespace nptsim {
namespace {

CoreTimingConfig window(uint32_t walkers = 2, uint32_t fill_buffers = 10, uint32_t size = 224) {
  CoreTimingConfig c;
  c.model = CoreModel::Window;
  c.window = size;
  c.base_cpi = 1.0;
  c.walkers = walkers;
  c.fill_buffers = fill_buffers;
  return c;
}

// A TLB miss whose walk takes `walk` cycles, then an L1 data hit of 4 cycles.
AccessTiming miss(uint64_t addr, uint64_t walk = 100) {
  AccessTiming a;
  a.walked = true;
  a.walk_cycles = walk;
  a.data_cycles = 4;
  a.addr = addr;
  return a;
}

AccessTiming hit(uint64_t addr, uint64_t data = 4, bool missed_l1 = false) {
  AccessTiming a;
  a.data_cycles = data;
  a.data_missed_l1 = missed_l1;
  a.addr = addr;
  return a;
}

TEST(CoreTimeline, InOrderAddsEveryLatency) {
  CoreTimingConfig c = window();
  c.model = CoreModel::InOrder;
  CoreTimeline t(c);
  t.dispatch(10);               // 10 instructions at CPI 1: cycle 10
  t.access(miss(0x1000));       // 100-cycle walk + 4: 114
  t.dispatch(5);                // 119
  t.access(hit(0x1000));        // 123
  t.access(miss(0x2000, 300));  // 427
  EXPECT_EQ(t.end(), 427u);
}

TEST(CoreTimeline, TwoWalkersFinishIndependentMissesInHalfTheTime) {
  // Four independent misses issued together (no gap), 100-cycle walks, 4-cycle data hits.
  CoreTimeline one(window(1)), two(window(2));
  for (uint64_t p = 0; p < 4; ++p) {
    one.access(miss(p << 12));
    two.access(miss(p << 12));
  }
  // One walker: walks end at 100, 200, 300, 400; the last data at 404.
  EXPECT_EQ(one.end(), 404u);
  EXPECT_EQ(one.stats().walker_wait_cycles, 100u + 200u + 300u);
  // Two walkers: two walks end at 100, two at 200; the last data at 204.
  EXPECT_EQ(two.end(), 204u);
  EXPECT_EQ(two.stats().walker_wait_cycles, 100u + 100u);
}

TEST(CoreTimeline, ADependentChainDoesNotOverlap) {
  // Each access waits for the previous one's data: 4 x (100 + 4).
  CoreTimeline chase(window(2));
  for (uint64_t p = 0; p < 4; ++p) {
    AccessTiming a = miss(p << 12);
    a.dependent = true;
    chase.access(a);
  }
  EXPECT_EQ(chase.end(), 416u);
  // A one-instruction window serialises the same way: each access waits for the previous
  // one to retire.
  CoreTimeline narrow(window(2, 10, 1));
  for (uint64_t p = 0; p < 4; ++p) narrow.access(miss(p << 12));
  EXPECT_EQ(narrow.end(), 416u);
}

TEST(CoreTimeline, AHitOnAPageBeingWalkedWaitsForTheWalk) {
  CoreTimeline t(window());
  t.access(miss(0x5000));  // walk 0..100, data 104
  t.access(hit(0x5abc));   // same page, issued at 0: waits to 100, data 104
  t.access(hit(0x9000));   // another page: no wait, data at 4
  EXPECT_EQ(t.stats().walk_merges, 1u);
  EXPECT_EQ(t.end(), 104u);
  // A 2 MiB walk covers the whole 2 MiB page.
  CoreTimeline big(window());
  AccessTiming m = miss(0x20'0000);
  m.page_shift = 21;
  big.access(m);
  big.access(hit(0x3f'f000));
  EXPECT_EQ(big.stats().walk_merges, 1u);
}

TEST(CoreTimeline, AFullWindowStallsDispatch) {
  // Window of 2, walks of 100 on four walkers, no data latency: the third access cannot
  // dispatch until the first retires at 100; it completes at 200.
  CoreTimingConfig c = window(4, 10, 2);
  CoreTimeline t(c);
  for (uint64_t p = 0; p < 3; ++p) {
    AccessTiming a = miss(p << 12);
    a.data_cycles = 0;
    t.access(a);
  }
  EXPECT_EQ(t.end(), 200u);
  EXPECT_EQ(t.stats().window_stall_cycles, 100u);
}

TEST(CoreTimeline, FillBuffersBoundOverlappingMisses) {
  // Three L1 misses of 50 cycles: one fill buffer serialises them (150), ten overlap them (50).
  CoreTimeline one(window(2, 1)), ten(window(2, 10));
  for (uint64_t p = 0; p < 3; ++p) {
    one.access(hit(p << 12, 50, true));
    ten.access(hit(p << 12, 50, true));
  }
  EXPECT_EQ(one.end(), 150u);
  EXPECT_EQ(one.stats().fill_wait_cycles, 50u + 100u);
  EXPECT_EQ(ten.end(), 50u);
}

TEST(CoreTimeline, AFaultDrainsEverythingInFlight) {
  CoreTimeline t(window());
  t.access(miss(0x1000));  // data at 104
  AccessTiming f = miss(0x2000, 100);
  f.fault_cycles = 1000;  // starts when the first access is done (104): 104 + 100 + 1000 + 4
  t.access(f);
  EXPECT_EQ(t.end(), 1208u);
  t.access(hit(0x3000));  // issued after the fault: 1212
  EXPECT_EQ(t.end(), 1212u);
}

TEST(CoreTimeline, InstructionsDispatchAtTheBaseCpi) {
  CoreTimingConfig c = window();
  c.base_cpi = 0.5;
  CoreTimeline t(c);
  t.dispatch(100);  // 50 cycles
  t.access(hit(0x1000));
  EXPECT_EQ(t.end(), 54u);
  EXPECT_EQ(t.now(), 50u);
  t.reset();
  EXPECT_EQ(t.end(), 0u);
}

}  // namespace
}  // namespace nptsim
