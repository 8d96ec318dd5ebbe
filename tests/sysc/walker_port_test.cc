// Stage2WalkerPort with DMI: reads through a cached grant see what PhysMem holds, and a grant
// is dropped when PhysMem discards its frame (the frame's backing store is then reused for
// another frame, so a stale grant would read that frame's data).
#include "models/sysc/walker_port.h"

#include <gtest/gtest.h>

#include "models/sysc/memory_target.h"

namespace nptsim {
namespace {

TEST(WalkerPort, DiscardedFramesLoseTheirDmiGrant) {
  PhysMem mem;
  const sysc::Clock clock(1.0);  // 1 GHz: one cycle is 1000 ps
  sysc::MemoryTarget target("mem", mem, clock);
  sysc::Stage2WalkerPort port("port", clock);
  port.socket.bind(target.socket);
  MemLatencyConfig lc;
  lc.fixed = true;
  lc.fixed_latency = 7;
  SharedMemory shared(lc, 1.0, 1);
  CoreCaches caches(lc, shared, 1);
  target.set_caches(0, &caches);
  port.use_dmi(&caches);
  sc_core::sc_start(sc_core::SC_ZERO_TIME);  // completes the bindings

  const HostPhysAddr a(0x4000'0018), b(0x9000'0018);
  mem.write_u64(a, 0x1111);
  EXPECT_EQ(port.read_pte(a, Stage::Stage2), 0x1111u);  // granted and cached
  mem.write_u64(a, 0x2222);                             // DMI reads see later writes
  EXPECT_EQ(port.read_pte(a, Stage::Stage2), 0x2222u);
  const uint64_t before = target.transactions();
  mem.discard_frame(a);
  mem.write_u64(b, 0x3333);  // takes the discarded frame's backing store
  EXPECT_EQ(port.read_pte(b, Stage::Stage2), 0x3333u);
  EXPECT_EQ(port.read_pte(a, Stage::Stage2),
            0u);  // untouched again: read through b_transport, as zero
  EXPECT_EQ(target.transactions(), before + 1);
  EXPECT_EQ(caches.stats().accesses(MemClass::PteS2), 4u);
  EXPECT_EQ(port.cycles(), 4u * 7u);
}

}  // namespace
}  // namespace nptsim
