// TLB entries hold the permissions and dirty state the walk found, not the access that filled
// them (issue 17, case 1). Counts worked out by hand:
//
// 1,000 pages, three rounds in the same shuffled page order, each page read then written at the
// same address. L1D is fully associative with 64 entries (every read after the first round has
// a reuse distance of 999 pages: an L1D miss), L2 fully associative with 1,024 entries (every
// page of rounds 2 and 3 is still there: an L2 hit that refills L1D with the L2 entry's
// permissions). Without a dirty flag to set, the write after each read hits the entry the read
// filled: 3,000 L1D hits, 3,000 L1D misses, 2,000 L2 hits, 1,000 L2 misses, 1,000 walks.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "models/core/arch/arm64_s1/s1_pte.h"
#include "models/core/arch/arm64_s2/s2_walk.h"
#include "models/core/arch/riscv_gstage/gstage_walk.h"
#include "models/core/arch/riscv_sv/sv_pte.h"
#include "models/core/arch/x86_64/x86_pte.h"
#include "models/core/arch/x86_ept/ept_walk.h"
#include "models/core/platform/functional_platform.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr int kPages = 1000;
constexpr uint64_t kGpaBase = 0x100000;
constexpr uint64_t kGvaBase = 0x7f00'0000'0000;

PlatformConfig config(Arch arch, bool two_dimensional) {
  PlatformConfig c;
  c.stage2 = Stage2Config{arch, arch == Arch::X86_64 ? 4 : 3, GeometryMode::Hardware, 0};
  c.layout = default_layout(64 * kMiB, BackendKind::Alloc);
  c.layout.frame_pool_frames = 1 << 16;
  c.mmu.l1d = CacheConfig{true, 64, 64, Replacement::Lru, 1};
  c.mmu.l2 = CacheConfig{true, 1024, 1024, Replacement::Lru, 12};
  c.scheme = two_dimensional ? "nested" : "stage2";
  c.guest.levels = 4;
  return c;
}

std::vector<uint64_t> shuffled_pages() {
  std::vector<uint64_t> pages(kPages);
  std::iota(pages.begin(), pages.end(), 0);
  std::shuffle(pages.begin(), pages.end(), std::mt19937_64(17));
  return pages;
}

struct Counts {
  uint64_t l1d_hits, l1d_misses, l2_hits, l2_misses, walks, guest_faults, pte_writes;
};

// Three rounds of read-then-write over the pages, through `access`.
Counts read_then_write(const PlatformConfig& c) {
  std::string err;
  auto p = FunctionalPlatform::create(c, err);
  EXPECT_TRUE(p) << err;
  if (!p) return {};
  const uint64_t base = c.guest_tables() ? kGvaBase : kGpaBase;
  const std::vector<uint64_t> pages = shuffled_pages();
  for (int round = 0; round < 3; ++round) {
    for (uint64_t page : pages) {
      const uint64_t addr = base + page * 4096 + 0x40;
      EXPECT_TRUE(p->access(0, addr, AccessKind::Read).ok);
      EXPECT_TRUE(p->access(0, addr, AccessKind::Write).ok);
    }
  }
  const TranslationScheme* m = p->scheme(0);
  const TlbFront& t = m->tlbs();
  return {t.l1d().stats().hits,  t.l1d().stats().misses, t.l2().stats().hits,
          t.l2().stats().misses, m->stats().walks,       p->stats().guest_faults,
          m->stats().pte_writes};
}

class TlbPermissions : public ::testing::TestWithParam<Arch> {};

// Stage 2 only (no guest tables), stage-2 A/D not tracked (EPT A/D off; the crate presets the
// AArch64 AF and the RISC-V A/D bits): the write hits the entry its read filled.
TEST_P(TlbPermissions, WriteAfterReadHitsTheEntryStageTwoOnly) {
  const Counts n = read_then_write(config(GetParam(), false));
  EXPECT_EQ(n.l1d_hits, 3000u);
  EXPECT_EQ(n.l1d_misses, 3000u);
  EXPECT_EQ(n.l2_hits, 2000u);
  EXPECT_EQ(n.l2_misses, 1000u);
  EXPECT_EQ(n.walks, 1000u);
}

// The same with a guest (GVA) trace. Round 1 per page: the read walks and takes a guest page
// fault (demand paging), walks again after the guest mapped the page. AArch64 and RISC-V
// guests set A/D (AF) when they map a page (ad.guest_hw off), so the write then hits:
// 2,000 walks, 3,000 L1D hits. An x86-64 guest leaves A/D to the walker: the read sets A, and
// the first write to the clean page walks again to set D (SDM vol. 3A §4.8): one more walk, L1D
// and L2 miss per page; rounds 2 and 3 hit. 3,000 walks, 2,000 L1D hits.
TEST_P(TlbPermissions, WriteAfterReadHitsTheEntryTwoDimensional) {
  const Arch a = GetParam();
  const Counts n = read_then_write(config(a, true));
  const uint64_t dirty_rewalks = a == Arch::X86_64 ? 1000 : 0;
  EXPECT_EQ(n.guest_faults, 1000u);
  EXPECT_EQ(n.walks, 2000u + dirty_rewalks);
  EXPECT_EQ(n.l1d_hits, 3000u - dirty_rewalks);
  EXPECT_EQ(n.l1d_misses, 4000u + dirty_rewalks);  // 2 per first read, 1 per later read
  EXPECT_EQ(n.l2_hits, 2000u);
  EXPECT_EQ(n.l2_misses, 2000u + dirty_rewalks);
}

INSTANTIATE_TEST_SUITE_P(Formats, TlbPermissions, ::testing::ValuesIn(kAllArchs),
                         [](const auto& p) { return std::string(to_string(p.param)); });

// Hardware dirty-flag update at stage 2 (EPT A/D on): the first write to a clean page walks again
// and writes back exactly one entry (the leaf's dirty flag; the read set every accessed flag);
// later writes hit. Over the three rounds: 2,000 walks, 2,000 L1D hits, 1,000 dirty write-backs.
TEST(TlbDirtyFlag, EptAdFirstWriteRewalksOnceThenHits) {
  PlatformConfig c = config(Arch::X86_64, false);
  c.stage2_controls.ept_ad_enabled = true;
  std::string err;
  auto p = FunctionalPlatform::create(c, err);
  ASSERT_TRUE(p) << err;
  const GuestPhysAddr gpa(kGpaBase + 0x40);
  ASSERT_TRUE(p->access(0, gpa, AccessKind::Read).ok);
  ASSERT_TRUE(p->scheme(0));  // vCPUs come to be at their first access
  const TranslationScheme& m = *p->scheme(0);
  ASSERT_EQ(m.stats().walks, 1u);
  const uint64_t writes_after_read = m.stats().pte_writes;
  ASSERT_TRUE(p->access(0, gpa, AccessKind::Write).ok);
  EXPECT_EQ(m.stats().walks, 2u);
  EXPECT_EQ(m.stats().pte_writes - writes_after_read, 1u);
  ASSERT_TRUE(p->access(0, gpa, AccessKind::Write).ok);
  ASSERT_TRUE(p->access(0, gpa, AccessKind::Read).ok);
  EXPECT_EQ(m.stats().walks, 2u);
  EXPECT_EQ(m.tlbs().l1d().stats().hits, 2u);

  const Counts n = read_then_write(c);
  EXPECT_EQ(n.walks, 2000u);
  EXPECT_EQ(n.l1d_hits, 2000u);
  EXPECT_EQ(n.l2_hits, 2000u);
}

// Guest A/D by hardware (ad.guest_hw: RISC-V Svadu, AArch64 TCR_EL1.HA): the guest maps pages
// with A/D (AF) clear. RISC-V: the read sets A, the first write walks again to set D, as on x86
// (3,000 walks, 2,000 L1D hits). AArch64: the read sets AF; dirty state is not modelled, so the
// write hits (2,000 walks, 3,000 L1D hits).
TEST(TlbDirtyFlag, GuestHardwareAdRewalksWhereTheFormatTracksDirty) {
  for (Arch a : {Arch::RiscV64, Arch::AArch64}) {
    PlatformConfig c = config(a, true);
    c.guest.hw_ad = true;
    const Counts n = read_then_write(c);
    const uint64_t dirty_rewalks = a == Arch::RiscV64 ? 1000 : 0;
    EXPECT_EQ(n.walks, 2000u + dirty_rewalks) << to_string(a);
    EXPECT_EQ(n.l1d_hits, 3000u - dirty_rewalks) << to_string(a);
  }
}

// The entry's masks per format, from a leaf as the walk left it (walk/stage2_walker.h,
// set_access_masks): permitted kinds, and those served without a walk.
template <class Rules, class Regime>
std::pair<AccessMask, AccessMask> masks(uint64_t leaf, uint32_t path, const Regime& regime) {
  WalkResult r;
  set_access_masks<Rules>(r, leaf, path, regime);
  return {r.permitted, r.tlb_servable};
}
constexpr AccessMask R = access_bit(AccessKind::Read), W = access_bit(AccessKind::Write),
                     X = access_bit(AccessKind::Fetch);

TEST(TlbEntryMasks, EptDirtyTrackedOnlyWithAdEnabled) {
  using P = x86_ept::EptPte;
  Stage2Regime s2;
  const uint64_t clean = P::kRead | P::kWrite | P::kAccessed;
  s2.ept_ad_enabled = false;
  EXPECT_EQ(masks<x86_ept::EptWalkRules>(clean, 3, s2),
            std::make_pair(AccessMask(R | W), AccessMask(R | W)));
  s2.ept_ad_enabled = true;  // SDM vol. 3C §29.3.5: a write sets D, so it must walk
  EXPECT_EQ(masks<x86_ept::EptWalkRules>(clean, 3, s2),
            std::make_pair(AccessMask(R | W), AccessMask(R)));
  EXPECT_EQ(masks<x86_ept::EptWalkRules>(clean | P::kDirty, 3, s2),
            std::make_pair(AccessMask(R | W), AccessMask(R | W)));
}

TEST(TlbEntryMasks, RiscvSvadeFaultsSvaduRewalks) {
  using P = riscv_gstage::GstagePte;
  Stage2Regime s2;
  const uint64_t clean = P::kV | P::kR | P::kW | P::kU | P::kA;
  for (bool svadu : {false, true}) {  // either way a store to a D-clear page may not use the entry
    s2.riscv_hw_ad = svadu;
    EXPECT_EQ(masks<riscv_gstage::GstageWalkRules>(clean, 0, s2),
              std::make_pair(AccessMask(R | W), AccessMask(R)));
  }
  EXPECT_EQ(masks<riscv_gstage::GstageWalkRules>(clean | P::kD | P::kX, 0, s2),
            std::make_pair(AccessMask(R | W | X), AccessMask(R | W | X)));
}

TEST(TlbEntryMasks, Arm64NoDirtyStateWritesHit) {
  using P = arm64_s2::S2Pte;
  Stage2Regime s2;
  const uint64_t rw =
      P::kValid | P::kNonBlock | P::kS2apRead | P::kS2apWrite | P::kAccessFlag | P::kXn;
  EXPECT_EQ(masks<arm64_s2::S2WalkRules>(rw, 0, s2),
            std::make_pair(AccessMask(R | W), AccessMask(R | W)));
  const uint64_t ro = rw & ~P::kS2apWrite;
  EXPECT_EQ(masks<arm64_s2::S2WalkRules>(ro, 0, s2), std::make_pair(AccessMask(R), AccessMask(R)));
}

TEST(TlbEntryMasks, X86GuestDirtyFlagByHardware) {
  using P = x86_64::X86Pte;
  Stage1Regime s1;
  const uint64_t leaf = P::kP | P::kRW | P::kUS | P::kA | P::kNX;
  const uint32_t path = x86_64::X86WalkRules::path_bits(leaf);
  EXPECT_EQ(masks<x86_64::X86WalkRules>(leaf, path, s1),
            std::make_pair(AccessMask(R | W), AccessMask(R)));
  EXPECT_EQ(masks<x86_64::X86WalkRules>(leaf | P::kD, path, s1),
            std::make_pair(AccessMask(R | W), AccessMask(R | W)));
}

// Tags carry the full VMID and ASID (VMID << 16 | ASID): (VMID 1, ASID 257) and (VMID 2,
// ASID 0), one tag under the old VMID x 257 + ASID, keep separate entries.
TEST(TlbTags, VmidAndAsidNeverAlias) {
  Tlb tlb(CacheConfig{true, 64, 4, Replacement::Lru, 1}, 1);
  const uint32_t a = uint32_t{1} << 16 | 257, b = uint32_t{2} << 16;
  tlb.insert(a, 0x7000, 12, HostPhysAddr(0xA000), kAllAccess, kAllAccess);
  EXPECT_FALSE(tlb.lookup(b, 0x7000, AccessKind::Read));
  tlb.insert(b, 0x7000, 12, HostPhysAddr(0xB000), kAllAccess, kAllAccess);
  EXPECT_EQ(tlb.lookup(a, 0x7008, AccessKind::Read)->hpa.value(), 0xA008u);
  EXPECT_EQ(tlb.lookup(b, 0x7008, AccessKind::Read)->hpa.value(), 0xB008u);
}

}  // namespace
}  // namespace nptsim
