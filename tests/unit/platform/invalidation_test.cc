// TLB maintenance through the platform API: each architecture's operations by name, what they
// drop on the issuing vCPU and, broadcast, on every other one, their cost, and a stage-2 unmap
// that shoots the page down everywhere (counts worked out by hand).
#include <gtest/gtest.h>

#include "models/core/platform/functional_platform.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kPageP = 0x10'0000, kPageQ = 0x20'0000;

std::unique_ptr<FunctionalPlatform> build(Arch a, const std::string& scheme = "stage2") {
  PlatformConfig c;
  c.stage2 = Stage2Config{a, default_stage2_levels(a), GeometryMode::Hardware, 0};
  c.layout = default_layout(64 * kMiB, BackendKind::Alloc);  // 4 KiB stage-2 pages
  c.layout.frame_pool_frames = 1 << 16;
  c.scheme = scheme;
  std::string err;
  auto p = FunctionalPlatform::create(c, err);
  EXPECT_TRUE(p) << err;
  return p;
}

uint64_t walks(const FunctionalPlatform& p, uint16_t v) { return p.scheme(v)->stats().walks; }

// Both vCPUs cache P and Q; the stage-2 operation for P on vCPU 0, broadcast, makes both walk
// P again. Q stays cached where the operation has an address form (AArch64, RISC-V); x86 has
// none (INVEPT drops the whole context), so Q walks again too. Cost: 200 + 3000 per other vCPU.
TEST(Invalidation, Stage2OperationReachesEveryVcpu) {
  for (Arch a : kAllArchs) {
    SCOPED_TRACE(to_string(a));
    auto p = build(a);
    for (uint16_t v : {0, 1}) {
      for (uint64_t page : {kPageP, kPageQ})
        ASSERT_TRUE(p->access(v, GuestPhysAddr(page), AccessKind::Read).ok);
    }
    const InvalidationOp* op =
        a == Arch::X86_64    ? find_invalidation_op(a, "INVEPT single-context", false)
        : a == Arch::AArch64 ? find_invalidation_op(a, "TLBI IPAS2E1IS", true)
                             : find_invalidation_op(a, "HFENCE.GVMA", true);
    ASSERT_TRUE(op);
    EXPECT_EQ(p->invalidate(0, *op, kPageP, true), 200u + 3000u);
    const bool by_address = a != Arch::X86_64;
    for (uint16_t v : {0, 1}) {
      const uint64_t before = walks(*p, v);
      ASSERT_TRUE(p->access(v, GuestPhysAddr(kPageP + 8), AccessKind::Read).ok);
      EXPECT_EQ(walks(*p, v), before + 1);
      ASSERT_TRUE(p->access(v, GuestPhysAddr(kPageQ + 8), AccessKind::Read).ok);
      EXPECT_EQ(walks(*p, v), before + (by_address ? 1 : 2));
    }
    EXPECT_EQ(p->stats().invalidations, 1u);
    EXPECT_EQ(p->stats().shootdown_ipis, 1u);
  }
}

// Without broadcast only the issuing vCPU drops the translation.
TEST(Invalidation, LocalOperationLeavesOtherVcpus) {
  auto p = build(Arch::AArch64);
  for (uint16_t v : {0, 1}) ASSERT_TRUE(p->access(v, GuestPhysAddr(kPageP), AccessKind::Read).ok);
  EXPECT_EQ(
      p->invalidate(0, *find_invalidation_op(Arch::AArch64, "TLBI IPAS2E1IS", true), kPageP, false),
      200u);
  const uint64_t w0 = walks(*p, 0), w1 = walks(*p, 1);
  ASSERT_TRUE(p->access(0, GuestPhysAddr(kPageP), AccessKind::Read).ok);
  ASSERT_TRUE(p->access(1, GuestPhysAddr(kPageP), AccessKind::Read).ok);
  EXPECT_EQ(walks(*p, 0), w0 + 1);
  EXPECT_EQ(walks(*p, 1), w1);
}

// A stage-2 unmap shoots the page down: the next access faults on every vCPU (an eager Alloc
// area does not fault pages back in: an unhandled translation fault each), other pages still hit.
TEST(Invalidation, UnmapFaultsAgainOnEveryVcpu) {
  for (Arch a : kAllArchs) {
    SCOPED_TRACE(to_string(a));
    auto p = build(a);
    for (uint16_t v : {0, 1, 2}) {
      for (uint64_t page : {kPageP, kPageQ})
        ASSERT_TRUE(p->access(v, GuestPhysAddr(page), AccessKind::Read).ok);
    }
    auto cycles = p->unmap(0, GuestPhysAddr(kPageP), 0x1000);
    ASSERT_TRUE(cycles.ok());
    EXPECT_EQ(*cycles, 200u + 2 * 3000u);
    for (uint16_t v : {0, 1, 2}) {
      const AccessOutcome o = p->access(v, GuestPhysAddr(kPageP), AccessKind::Read);
      EXPECT_FALSE(o.ok);
      EXPECT_EQ(o.fault.kind, FaultKind::Translation);
    }
    EXPECT_EQ(p->stats().faults_unhandled, 3u);
    EXPECT_TRUE(p->access(1, GuestPhysAddr(kPageQ), AccessKind::Read).ok);
  }
}

// Stage-1 operations in the nested scheme drop one guest-virtual page (INVVPID
// individual-address, TLBI VAE1IS, HFENCE.VVMA with vaddr): that page walks again, another
// page of the guest still hits.
TEST(Invalidation, Stage1AddressDropsOneGuestPage) {
  const uint64_t gva_a = 0x7f00'0000'0000, gva_b = gva_a + 0x5000;
  for (Arch a : kAllArchs) {
    SCOPED_TRACE(to_string(a));
    auto p = build(a, "nested");
    for (uint64_t g : {gva_a, gva_b})
      ASSERT_TRUE(p->access(0, GuestVirtAddr(g), AccessKind::Read).ok);
    const char* name = a == Arch::X86_64    ? "INVVPID individual-address"
                       : a == Arch::AArch64 ? "TLBI VAE1IS"
                                            : "HFENCE.VVMA";
    const InvalidationOp* op = find_invalidation_op(a, name, true);
    ASSERT_TRUE(op);
    p->invalidate(0, *op, gva_a, false);
    const uint64_t before = walks(*p, 0);
    ASSERT_TRUE(p->access(0, GuestVirtAddr(gva_b), AccessKind::Read).ok);
    EXPECT_EQ(walks(*p, 0), before);
    ASSERT_TRUE(p->access(0, GuestVirtAddr(gva_a), AccessKind::Read).ok);
    EXPECT_EQ(walks(*p, 0), before + 1);
  }
}

TEST(Invalidation, OperationsBelongToTheirArchitecture) {
  EXPECT_TRUE(find_invalidation_op(Arch::RiscV64, "HFENCE.GVMA", false));
  EXPECT_FALSE(find_invalidation_op(Arch::X86_64, "HFENCE.GVMA", true));
  EXPECT_FALSE(find_invalidation_op(Arch::AArch64, "INVEPT single-context", false));
  EXPECT_FALSE(
      find_invalidation_op(Arch::X86_64, "INVEPT single-context", true));  // no address form
}

}  // namespace
}  // namespace nptsim
