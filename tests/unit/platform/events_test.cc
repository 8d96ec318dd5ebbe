// Trace events on the platform (platform/platform_events.cc, platform_dirty_log.cc), each worked
// out by hand on a few accesses, on all three stage-2 formats: dirty logging (one write fault per
// page per round), an unmap followed by an access faulting on every vCPU, ballooning per
// backend, protection changes, mapping new ranges, and the guest's context switches, TLB flushes
// and migrations.
#include <gtest/gtest.h>

#include "platform_test_util.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t k4K = kPageSize4K;

struct Case {
  Arch arch;
  BackendKind backend;
};

PlatformConfig config(const Case& k) {
  PlatformConfig c;
  c.stage2 = Stage2Config{k.arch, k.arch == Arch::X86_64 ? 4 : 3, GeometryMode::Hardware, 0};
  c.layout = default_layout(16 * kMiB, k.backend);
  c.layout.frame_pool_frames = 1 << 16;
  c.costs = FaultCosts{1000, 500, 100, 10, 2500, 200, 3000, 7};
  return c;
}

GuestEvent range_event(GuestEventKind k, uint64_t gpa, uint64_t pages, uint32_t prot = 0) {
  return GuestEvent{k, gpa, pages, MappingFlags(prot)};
}
GuestEvent simple_event(GuestEventKind k, uint64_t addr = 0) {
  return GuestEvent{k, addr, 0, MappingFlags()};
}

// Applies `e` on `vcpu`, failing the test if the platform refuses it.
void apply(FunctionalPlatform& p, const GuestEvent& e, uint16_t vcpu = 0) {
  std::string error;
  p.event(vcpu, e, error);
  EXPECT_EQ(error, "") << to_string(e.kind);
}

bool write(FunctionalPlatform& p, uint64_t gpa, uint16_t vcpu = 0) {
  return p.access(vcpu, GuestPhysAddr(gpa), AccessKind::Write).ok;
}
bool read(FunctionalPlatform& p, uint64_t gpa, uint16_t vcpu = 0) {
  return p.access(vcpu, GuestPhysAddr(gpa), AccessKind::Read).ok;
}

class Events : public ::testing::TestWithParam<Case> {};

// Round 1 writes pages 0, 1, 2, 0, 1 (vCPU 0) and page 2 (vCPU 1): three write faults, one per
// page, whichever vCPU writes. Round 2 writes pages 1, 1, 5: two. After the stop, no write
// faults. A lazy page first written during logging takes one fault too (faulted in, then made
// writable), so the counts hold for every backend.
TEST_P(Events, DirtyLoggingTakesOneWriteFaultPerPagePerRound) {
  auto p = testutil::build(config(GetParam()));
  apply(*p, simple_event(GuestEventKind::DirtyStart));
  for (uint64_t page : {0, 1, 2, 0, 1}) ASSERT_TRUE(write(*p, page * k4K));
  ASSERT_TRUE(write(*p, 2 * k4K + 64, 1));
  ASSERT_TRUE(read(*p, 3 * k4K));  // a read is no write fault
  EXPECT_EQ(p->event_stats().dirty_write_faults, 3u);
  EXPECT_EQ(p->dirty_log().dirty.size(), 3u);
  apply(*p, simple_event(GuestEventKind::DirtySync));
  EXPECT_EQ(p->event_stats().dirty_pages_logged, 3u);
  for (uint64_t page : {1, 1, 5}) ASSERT_TRUE(write(*p, page * k4K));
  EXPECT_EQ(p->event_stats().dirty_write_faults, 5u);
  apply(*p, simple_event(GuestEventKind::DirtyStop));
  EXPECT_EQ(p->event_stats().dirty_rounds, 2u);
  EXPECT_EQ(p->event_stats().dirty_pages_logged, 5u);
  for (uint64_t page : {0, 1, 2, 5, 7}) ASSERT_TRUE(write(*p, page * k4K));
  EXPECT_EQ(p->event_stats().dirty_write_faults, 5u);
  EXPECT_EQ(p->stats().faults_unhandled, 0u);
}

// A write to a page under a huge leaf (Linear RAM: 2 MiB blocks) splits it: the written page
// becomes a 4 KiB leaf, its neighbours stay read-only until written (a second write fault).
TEST(EventsDirtyLog, SplitsHugeLeavesOnTheFirstWrite) {
  for (Arch arch : {Arch::X86_64, Arch::AArch64, Arch::RiscV64}) {
    SCOPED_TRACE(to_string(arch));
    auto p = testutil::build(config({arch, BackendKind::Linear}));
    ASSERT_EQ(p->space().page_table()->query(GuestPhysAddr(0))->size, PageSize::Size2M);
    apply(*p, simple_event(GuestEventKind::DirtyStart));
    ASSERT_TRUE(write(*p, 5 * k4K));
    EXPECT_EQ(p->space().page_table()->query(GuestPhysAddr(5 * k4K))->size, PageSize::Size4K);
    EXPECT_EQ(p->event_stats().leaf_splits, 1u);
    ASSERT_TRUE(write(*p, 6 * k4K));
    EXPECT_EQ(p->event_stats().dirty_write_faults, 2u);
    EXPECT_EQ(p->event_stats().leaf_splits, 1u);
  }
}

// vCPUs 0 and 1 both cache page 0x3000; the hypervisor unmaps it on vCPU 0; the next access of
// each vCPU faults (a stale translation would have let it through), and the neighbouring pages of
// the huge leaf it was split out of still translate.
TEST_P(Events, AnUnmapFollowedByAnAccessFaultsOnEveryVcpu) {
  auto p = testutil::build(config(GetParam()));
  for (uint16_t v : {0, 1}) ASSERT_TRUE(read(*p, 0x3000, v));
  const uint64_t unhandled = p->stats().faults_unhandled;
  apply(*p, range_event(GuestEventKind::Unmap, 0x3000, 1));
  EXPECT_EQ(p->stats().shootdown_ipis, 1u);  // vCPU 1 reached
  for (uint16_t v : {0, 1}) EXPECT_FALSE(read(*p, 0x3000, v)) << "vCPU " << v;
  EXPECT_EQ(p->stats().faults_unhandled, unhandled + 2);
  for (uint16_t v : {0, 1}) EXPECT_TRUE(read(*p, 0x2000, v) && read(*p, 0x4000, v));
}

// Inflating 4 of 8 touched pages: Alloc areas give their frames back (a lazy page faults in
// again on the next touch, an eager one is populated again by the deflate), Linear areas keep
// their memory.
TEST_P(Events, BalloonInflateFreesAllocFramesAndDeflateGivesThemBack) {
  const BackendKind b = GetParam().backend;
  auto p = testutil::build(config(GetParam()));
  for (uint64_t page = 0; page < 8; ++page) ASSERT_TRUE(read(*p, page * k4K));
  const uint64_t handled = p->stats().faults_handled;
  apply(*p, range_event(GuestEventKind::BalloonInflate, 2 * k4K, 4));
  const EventStats& e = p->event_stats();
  EXPECT_EQ(e.balloon_frames_freed, b == BackendKind::Linear ? 0u : 4u);
  EXPECT_EQ(e.balloon_pages_kept, b == BackendKind::Linear ? 4u : 0u);
  apply(*p, range_event(GuestEventKind::BalloonDeflate, 2 * k4K, 4));
  EXPECT_EQ(e.balloon_frames_allocated, b == BackendKind::Alloc ? 4u : 0u);
  for (uint64_t page = 0; page < 8; ++page) ASSERT_TRUE(read(*p, page * k4K));
  EXPECT_EQ(p->stats().faults_handled, handled + (b == BackendKind::Lazy ? 4u : 0u));
}

// Under nptsim's lazy policies (2 MiB blocks, fault-around) the ballooned pages fault in again
// too: the block is split, 4 frames freed, and the next touches are resolved.
TEST(EventsBalloon, LazyPolicyPagesFaultInAgainAfterAnInflate) {
  for (const Arch arch : {Arch::X86_64, Arch::AArch64, Arch::RiscV64})
    for (const uint64_t block : {kPageSize4K, kPageSize2M}) {
      SCOPED_TRACE(std::string(to_string(arch)) + " block " + std::to_string(block));
      PlatformConfig c = config({arch, BackendKind::Lazy});
      c.policy.alloc_block = block;
      c.policy.fault_around = 16;
      auto p = testutil::build(c);
      for (uint64_t page = 0; page < 8; ++page) ASSERT_TRUE(read(*p, page * k4K));
      apply(*p, range_event(GuestEventKind::BalloonInflate, 2 * k4K, 4));
      EXPECT_EQ(p->event_stats().balloon_frames_freed, 4u);
      const uint64_t handled = p->stats().faults_handled;
      for (uint64_t page = 0; page < 8; ++page) ASSERT_TRUE(read(*p, page * k4K));
      EXPECT_GT(p->stats().faults_handled, handled);
      EXPECT_EQ(p->stats().faults_unhandled, 0u);
    }
}

// Read-only: a write is a permission fault nobody resolves, a read goes through; writable again
// after a second protect.
TEST_P(Events, ProtectChangesStageTwoPermissions) {
  auto p = testutil::build(config(GetParam()));
  ASSERT_TRUE(write(*p, 0x5000));
  apply(*p, range_event(GuestEventKind::Protect, 0x5000, 1, MappingFlags::READ));
  EXPECT_FALSE(write(*p, 0x5000));
  EXPECT_EQ(p->stats().unhandled_by_kind[static_cast<int>(FaultKind::Permission)], 1u);
  EXPECT_TRUE(read(*p, 0x5000));
  EXPECT_TRUE(write(*p, 0x6000));  // the neighbour keeps its permissions
  apply(*p,
        range_event(GuestEventKind::Protect, 0x5000, 1, MappingFlags::READ | MappingFlags::WRITE));
  EXPECT_TRUE(write(*p, 0x5000));
}

// A new range above RAM (in the unmapped device window before): accesses fault there before the
// map and translate after it; mapping over RAM is refused with a reason.
TEST_P(Events, MapAddsARangeWithTheRamBackend) {
  auto p = testutil::build(config(GetParam()));
  const uint64_t gpa = 64 * kMiB;
  EXPECT_FALSE(read(*p, gpa));
  apply(*p, range_event(GuestEventKind::Map, gpa, 16, MappingFlags::READ | MappingFlags::WRITE));
  EXPECT_TRUE(read(*p, gpa));
  EXPECT_TRUE(write(*p, gpa + 15 * k4K));
  std::string error;
  p->event(0, range_event(GuestEventKind::Map, 0, 1, MappingFlags::READ), error);
  EXPECT_NE(error.find("map 0x0"), std::string::npos) << error;
}

// The cost of an unmap of one 4 KiB page of a lazy area: an exit (1000) and the handler (500),
// one entry cleared (7), one invalidation on the issuing vCPU (INVEPT single-context: x86 has no
// by-address form; 200) and one other vCPU reached (3000).
TEST(EventsCost, AnUnmapCostsAnExitItsEntriesAndItsShootdown) {
  auto p = testutil::build(config({Arch::X86_64, BackendKind::Lazy}));
  for (uint16_t v : {0, 1}) ASSERT_TRUE(read(*p, 0x3000, v));
  std::string error;
  p->event(0, range_event(GuestEventKind::Unmap, 0x3000, 1), error);
  EXPECT_EQ(p->event_stats().cycles, 1000u + 500 + 7 + 200 + 3000);
}

// With a by-address stage-2 operation (AArch64's TLBI IPAS2E1IS), more pages than Linux's
// single-page flush ceiling (33) take one whole-context invalidation, fewer one per page.
TEST(EventsCost, LargeRangesTakeOneWholeContextInvalidation) {
  auto p = testutil::build(config({Arch::AArch64, BackendKind::Alloc}));
  apply(*p, range_event(GuestEventKind::Unmap, 0, 34));
  EXPECT_EQ(p->stats().invalidations, 1u);
  apply(*p, range_event(GuestEventKind::Unmap, 1 * kMiB, 33));
  EXPECT_EQ(p->stats().invalidations, 1u + 33);
}

// Guest-virtual accesses through the guest's tables (scheme nested or shadow).
PlatformConfig guest_config(const std::string& scheme) {
  PlatformConfig c = config({Arch::X86_64, BackendKind::Linear});
  c.layout = default_layout(64 * kMiB, BackendKind::Linear);
  c.scheme = scheme;
  c.guest.levels = 4;
  return c;
}
constexpr uint64_t kGva = 0x7f00'0040'0000;

bool walked(FunctionalPlatform& p, uint16_t vcpu = 0) {
  return p.access(vcpu, GuestVirtAddr(kGva), AccessKind::Read).walked;
}

// TLB entries are tagged with the ASID: after a switch to ASID 2 the page misses, back on ASID 1
// it hits again. Nested paging switches without an exit; shadow paging traps the switch.
TEST(EventsGuest, AContextSwitchChangesTheTlbTag) {
  for (const char* scheme : {"nested", "shadow"}) {
    SCOPED_TRACE(scheme);
    auto p = testutil::build(guest_config(scheme));
    ASSERT_TRUE(walked(*p));
    ASSERT_FALSE(walked(*p));
    apply(*p, simple_event(GuestEventKind::ContextSwitch, 2));
    EXPECT_TRUE(walked(*p));
    apply(*p, simple_event(GuestEventKind::ContextSwitch, 1));
    EXPECT_FALSE(walked(*p));
    EXPECT_EQ(p->event_stats().cycles, std::string(scheme) == "shadow" ? 2u * (1000 + 500) : 0u);
  }
}

// A guest TLB flush (all, or the one page) drops the page's translation on the issuing vCPU only;
// under shadow paging it is also an exit.
TEST(EventsGuest, AGuestTlbFlushDropsTheIssuingVcpusTranslations) {
  for (const char* scheme : {"nested", "shadow"}) {
    SCOPED_TRACE(scheme);
    auto p = testutil::build(guest_config(scheme));
    for (uint16_t v : {0, 1}) ASSERT_TRUE(walked(*p, v));
    apply(*p, GuestEvent{GuestEventKind::TlbFlush, kGva, 1, MappingFlags()});
    EXPECT_TRUE(walked(*p, 0));
    EXPECT_FALSE(walked(*p, 1));
    apply(*p, simple_event(GuestEventKind::TlbFlush));
    EXPECT_TRUE(walked(*p, 0));
    const uint64_t trap = std::string(scheme) == "shadow" ? 1000 + 500 : 0;
    EXPECT_EQ(p->event_stats().cycles, 2 * (200 + trap));
  }
}

// A migrated vCPU finds none of its translations; it costs an exit; the other vCPU keeps its own.
TEST(EventsGuest, AMigratedVcpuStartsWithEmptyTlbs) {
  auto p = testutil::build(guest_config("nested"));
  for (uint16_t v : {0, 1}) ASSERT_TRUE(walked(*p, v));
  apply(*p, simple_event(GuestEventKind::Migrate, 3), 1);
  EXPECT_FALSE(walked(*p, 0));
  EXPECT_TRUE(walked(*p, 1));
  EXPECT_EQ(p->event_stats().cycles, 1000u);
  EXPECT_EQ(p->event_stats().by_kind[static_cast<int>(GuestEventKind::Migrate)], 1u);
}

// Dirty logging under shadow paging: the shadow leaf of a logged page is read-only too, so the
// first write of a round exits to the dirty-log handler once.
TEST(EventsGuest, DirtyLoggingUnderShadowPagingFaultsOncePerPage) {
  auto p = testutil::build(guest_config("shadow"));
  ASSERT_TRUE(p->access(0, GuestVirtAddr(kGva), AccessKind::Write).ok);
  apply(*p, simple_event(GuestEventKind::DirtyStart));
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(p->access(0, GuestVirtAddr(kGva + 8 * i), AccessKind::Write).ok);
  EXPECT_EQ(p->event_stats().dirty_write_faults, 1u);
  EXPECT_EQ(p->stats().faults_unhandled, 0u);
}

INSTANTIATE_TEST_SUITE_P(Formats, Events,
                         ::testing::Values(Case{Arch::X86_64, BackendKind::Linear},
                                           Case{Arch::X86_64, BackendKind::Alloc},
                                           Case{Arch::X86_64, BackendKind::Lazy},
                                           Case{Arch::AArch64, BackendKind::Linear},
                                           Case{Arch::AArch64, BackendKind::Lazy},
                                           Case{Arch::RiscV64, BackendKind::Linear},
                                           Case{Arch::RiscV64, BackendKind::Lazy}),
                         [](const auto& p) {
                           return std::string(to_string(p.param.arch)) + "_" +
                                  to_string(p.param.backend);
                         });

}  // namespace
}  // namespace nptsim
