// Seeded random map/unmap/query sequences against a simple oracle, per format and geometry
// (spec §8.1 aliasing above the indexed bits, §8.3 lookups, §8.4 operations, §8.5 errors,
// §8.6 drop). The oracle keeps the present leaves (keyed by their base GPA, reduced to the
// indexed bits) and the set of tables that exist; tables are never freed by unmap (§8.4).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "models/core/arch/arch_registry.h"
#include "models/core/arch/arm64_s2/s2_pte.h"
#include "models/core/arch/riscv_gstage/gstage_pte.h"
#include "models/core/arch/x86_ept/ept_pte.h"
#include "models/core/mem/frame_allocator.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/pt/any_page_table.h"

namespace nptsim {
namespace {

constexpr uint64_t k2M = kPageSize2M, k1G = kPageSize1G;
constexpr int kSteps = 3000;

// How a format reads back the flags it was given (spec §9 reverse mappings).
template <class Pte>
MappingFlags expect_flags(MappingFlags f, bool huge) {
  return *Pte::flags(Pte::new_page(HostPhysAddr(0x1000), f, huge));
}

struct RandomCase {
  const char* name;
  Stage2Config cfg;
  uint64_t seed;
  MappingFlags (*expect)(MappingFlags, bool huge);
};
void PrintTo(const RandomCase& c, std::ostream* os) { *os << c.name; }

struct Leaf {
  uint64_t hpa;  // base
  PageSize size;
  MappingFlags flags;
};

// The reference model: which leaves are present and which tables exist.
class Oracle {
 public:
  explicit Oracle(const Geometry& g)
      : g_(g), mask_((uint64_t{1} << g.input_bits()) - 1), tables_(g.levels) {}

  uint64_t norm(uint64_t gpa) const { return gpa & mask_; }  // bits above the root alias (§8.1)

  // The present leaf covering `gpa`, with its base GPA.
  std::optional<std::pair<uint64_t, Leaf>> covering(uint64_t gpa) const {
    const uint64_t n = norm(gpa);
    for (PageSize s : {PageSize::Size1G, PageSize::Size2M, PageSize::Size4K}) {
      auto it = leaves_.find(align_down(n, bytes(s)));
      if (it != leaves_.end() && it->second.size == s) return *it;
    }
    return std::nullopt;
  }

  // The expected result of map (§8.3 create walk, §8.4 map), applied when it succeeds.
  std::optional<PagingError> map(uint64_t gpa, uint64_t hpa, PageSize s, MappingFlags f) {
    const uint64_t n = norm(gpa);
    const int target = depth_of(s);
    for (int d = 0; d < target; ++d) {  // a block above the target level
      const uint64_t cover = uint64_t{1} << g_.level[d].shift;
      auto it = leaves_.find(align_down(n, cover));
      if (it != leaves_.end() && bytes(it->second.size) == cover)
        return PagingError::MappedToHugePage;
    }
    if (leaves_.count(align_down(n, bytes(s)))) return PagingError::AlreadyMapped;
    if (target + 1 < g_.levels && tables_[target + 1].count(n >> g_.level[target].shift)) {
      return PagingError::AlreadyMapped;  // the target entry points to a table
    }
    for (int d = 1; d <= target; ++d) tables_[d].insert(n >> g_.level[d - 1].shift);
    leaves_[align_down(n, bytes(s))] = Leaf{align_down(hpa, bytes(s)), s, f};
    return std::nullopt;
  }

  void erase(uint64_t base) { leaves_.erase(base); }
  const std::map<uint64_t, Leaf>& leaves() const { return leaves_; }
  size_t table_count() const {  // excluding the root
    size_t t = 0;
    for (const auto& s : tables_) t += s.size();
    return t;
  }

 private:
  int depth_of(PageSize s) const {
    for (int d = 0; d < g_.levels; ++d) {
      if ((uint64_t{1} << g_.level[d].shift) == bytes(s)) return d;
    }
    ADD_FAILURE() << "no level for size";
    return g_.levels - 1;
  }

  Geometry g_;
  uint64_t mask_;
  std::map<uint64_t, Leaf> leaves_;
  std::vector<std::set<uint64_t>> tables_;  // per depth: keys gpa >> shift of the parent level
};

// One random sequence against a table: the oracle, the seeded choices and the outcomes seen.
// The steps use ASSERT_*: after one, the caller checks HasFatalFailure().
class RandomRun {
 public:
  // Three windows of four 1 GiB slots (bottom, middle, top of the indexed space), each optionally
  // seen through an alias above the indexed bits (gpa_in).
  RandomRun(const RandomCase& tc, const Geometry& g, AnyPageTable& pt)
      : tc_(tc),
        pt_(pt),
        oracle_(g),
        rng_(tc.seed),
        ib_(g.input_bits()),
        windows_{0, uint64_t{256} * k1G, (uint64_t{1} << ib_) - 4 * k1G} {}

  // One random operation, checked against the oracle.
  void step() {
    const uint64_t op = pick(100);
    if (op < 40) {
      map_random();
    } else if (op < 60 && !oracle_.leaves().empty()) {
      unmap_leaf();
    } else if (op < 70) {
      unmap_random();
    } else {
      query_random();
    }
  }

  // The table's whole leaf set against the oracle's.
  void compare_all() {
    std::map<uint64_t, Leaf> seen;
    pt_.for_each_leaf([&](GuestPhysAddr gpa, const Mapping& m) {
      seen[gpa.value()] = Leaf{m.hpa.value(), m.size, m.flags};
    });
    ASSERT_EQ(seen.size(), oracle_.leaves().size());
    for (const auto& [base, l] : oracle_.leaves()) {
      auto it = seen.find(base);
      ASSERT_NE(it, seen.end()) << std::hex << base;
      check_mapping(Mapping{HostPhysAddr(it->second.hpa), it->second.flags, it->second.size}, l,
                    l.hpa, "for_each_leaf");
    }
  }

  // The sequence exercised every outcome and every leaf size.
  void expect_every_outcome() {
    EXPECT_GT(maps_ok_[PageSize::Size4K], 100);
    EXPECT_GT(maps_ok_[PageSize::Size2M], 10);
    EXPECT_GT(maps_ok_[PageSize::Size1G], 5);
    EXPECT_GT(maps_refused_, 100);
    EXPECT_GT(unmaps_, 100);
    EXPECT_GT(queries_hit_, 50);
    std::printf("  [%s] maps 4K/2M/1G %d/%d/%d, refused %d, unmaps %d, query hits %d, tables %zu\n",
                tc_.name, maps_ok_[PageSize::Size4K], maps_ok_[PageSize::Size2M],
                maps_ok_[PageSize::Size1G], maps_refused_, unmaps_, queries_hit_,
                oracle_.table_count());
  }

  size_t table_count() const { return oracle_.table_count(); }

 private:
  uint64_t pick(uint64_t n) { return static_cast<uint64_t>(rng_() % n); }

  // 4K maps use 1G slots 0-1, 2M slots 0-3; 2M maps use 1G slots 0-2, 2M slots 0-7; 1G maps use
  // all four, so every size keeps succeeding.
  uint64_t gpa_in(uint64_t slots1g, uint64_t slots2m, uint64_t pages) {
    uint64_t gpa =
        windows_[pick(3)] + pick(slots1g) * k1G + pick(slots2m) * k2M + pick(pages) * 0x1000;
    if (ib_ < 63 && pick(4) == 0) gpa += uint64_t{1} << ib_;  // alias
    return gpa;
  }

  void check_mapping(const Mapping& m, const Leaf& l, uint64_t hpa, const char* what) {
    EXPECT_EQ(m.hpa.value(), hpa) << what;
    EXPECT_EQ(m.size, l.size) << what;
    EXPECT_EQ(m.flags, tc_.expect(l.flags, is_huge(l.size))) << what;
  }

  // Map a random size at an aligned random GPA.
  void map_random() {
    const uint64_t r = pick(20);
    const PageSize s = r < 13 ? PageSize::Size4K : r < 18 ? PageSize::Size2M : PageSize::Size1G;
    uint64_t gpa = s == PageSize::Size4K   ? gpa_in(2, 4, 16)
                   : s == PageSize::Size2M ? gpa_in(3, 8, 1)
                                           : gpa_in(4, 1, 1);
    const uint64_t hpa = align_down(rng_() & ((uint64_t{1} << 44) - 1), bytes(s)) + pick(bytes(s));
    const MappingFlags f = pick(2) ? MappingFlags(MappingFlags::READ | MappingFlags::WRITE)
                                   : MappingFlags(MappingFlags::READ);
    const auto want = oracle_.map(gpa, hpa, s, f);
    const auto got = pt_.map(GuestPhysAddr(gpa), HostPhysAddr(hpa), s, f);
    if (want) {
      ++maps_refused_;
      ASSERT_FALSE(got.ok()) << std::hex << "map " << gpa;
      EXPECT_EQ(got.error().code, *want) << std::hex << "map " << gpa;
    } else {
      ++maps_ok_[s];
      ASSERT_TRUE(got.ok()) << std::hex << "map " << gpa << ": " << to_string(got.error().code);
    }
  }

  // Unmap a whole present leaf via any GPA in it.
  void unmap_leaf() {
    auto it = oracle_.leaves().begin();
    std::advance(it, static_cast<long>(pick(oracle_.leaves().size())));
    const uint64_t base = it->first;
    const Leaf l = it->second;
    uint64_t gpa = base + pick(bytes(l.size));
    if (ib_ < 63 && pick(2)) gpa += uint64_t{1} << ib_;
    auto got = pt_.unmap(GuestPhysAddr(gpa));
    ASSERT_TRUE(got.ok()) << std::hex << "unmap " << gpa;
    check_mapping(*got, l, l.hpa, "unmap");
    oracle_.erase(base);
    ++unmaps_;
  }

  // Unmap a random GPA: whatever is there, or NotMapped.
  void unmap_random() {
    const uint64_t gpa = gpa_in(4, 8, 16);
    const auto want = oracle_.covering(gpa);
    auto got = pt_.unmap(GuestPhysAddr(gpa));
    if (want) {
      ASSERT_TRUE(got.ok()) << std::hex << "unmap " << gpa;
      check_mapping(*got, want->second, want->second.hpa, "unmap");
      oracle_.erase(want->first);
    } else {
      ASSERT_FALSE(got.ok()) << std::hex << "unmap " << gpa;
      EXPECT_EQ(got.error().code, PagingError::NotMapped);
    }
  }

  // Query a random GPA.
  void query_random() {
    const uint64_t gpa = gpa_in(4, 8, 16) + pick(0x1000);
    const auto want = oracle_.covering(gpa);
    auto got = pt_.query(GuestPhysAddr(gpa));
    if (want) {
      ++queries_hit_;
      ASSERT_TRUE(got.ok()) << std::hex << "query " << gpa;
      check_mapping(*got, want->second, want->second.hpa + (oracle_.norm(gpa) - want->first),
                    "query");
    } else {
      ASSERT_FALSE(got.ok()) << std::hex << "query " << gpa;
      EXPECT_EQ(got.error().code, PagingError::NotMapped);
    }
  }

  const RandomCase& tc_;
  AnyPageTable& pt_;
  Oracle oracle_;
  std::mt19937_64 rng_;
  const unsigned ib_;
  const uint64_t windows_[3];
  int maps_refused_ = 0, unmaps_ = 0, queries_hit_ = 0;
  std::map<PageSize, int> maps_ok_;
};

class PageTableRandom : public ::testing::TestWithParam<RandomCase> {};

// §8.3/§8.4/§8.5/§8.6: at least 2000 random steps per format; every result is compared with the
// oracle, the whole leaf set is compared periodically, and the frame counts at the end.
TEST_P(PageTableRandom, MatchesOracle) {
  const RandomCase& tc = GetParam();
  const auto g = stage2_geometry(tc.cfg);
  ASSERT_TRUE(g);
  BumpFrameAllocator frames(1u << 16);
  PhysMem mem;
  auto created = create_stage2_table(tc.cfg, *g, Hal{&frames, &mem});
  ASSERT_TRUE(created.ok());
  std::unique_ptr<AnyPageTable> pt = std::move(created.value());
  RandomRun run(tc, *g, *pt);

  for (int step = 0; step < kSteps; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    run.step();
    if (HasFatalFailure()) return;
    if (step % 500 == 499) {
      run.compare_all();
      if (HasFatalFailure()) return;
    }
  }
  run.compare_all();
  run.expect_every_outcome();

  // §8.4/§8.6 frame accounting: the table allocates only tables, frees none of them before the
  // drop, and every one of them (root included) at the drop.
  size_t tables = 0;
  pt->for_each_table([&](HostPhysAddr, int) { ++tables; });
  EXPECT_EQ(tables, 1 + run.table_count());
  EXPECT_EQ(frames.stats().allocs, g->root_frames() + run.table_count());
  EXPECT_EQ(frames.stats().deallocs, 0u);
  pt.reset();
  EXPECT_EQ(frames.stats().allocs, frames.stats().deallocs);
  EXPECT_EQ(mem.touched_frames(), 0u);
}

constexpr Stage2Config C(Arch a, int levels, GeometryMode m, unsigned ipa = 0) {
  return Stage2Config{a, levels, m, ipa};
}
using Ept = x86_ept::EptPte;
using S2 = arm64_s2::S2Pte;
using Gs = riscv_gstage::GstagePte;
constexpr GeometryMode kCrate = GeometryMode::Crate;
constexpr GeometryMode kHw = GeometryMode::Hardware;

INSTANTIATE_TEST_SUITE_P(
    AllFormats, PageTableRandom,
    ::testing::Values(
        RandomCase{"x86_64_4_crate", C(Arch::X86_64, 4, kCrate), 1, &expect_flags<Ept>},
        RandomCase{"aarch64_3_crate", C(Arch::AArch64, 3, kCrate), 2, &expect_flags<S2>},
        RandomCase{"aarch64_4_crate", C(Arch::AArch64, 4, kCrate), 3, &expect_flags<S2>},
        RandomCase{"riscv64_3_crate", C(Arch::RiscV64, 3, kCrate), 4, &expect_flags<Gs>},
        RandomCase{"riscv64_4_crate", C(Arch::RiscV64, 4, kCrate), 5, &expect_flags<Gs>},
        RandomCase{"x86_64_5_hardware", C(Arch::X86_64, 5, kHw), 6, &expect_flags<Ept>},
        RandomCase{"aarch64_3_hardware_ipa40", C(Arch::AArch64, 3, kHw, 40), 7, &expect_flags<S2>},
        RandomCase{"aarch64_3_hardware_ipa43", C(Arch::AArch64, 3, kHw, 43), 8, &expect_flags<S2>},
        RandomCase{"aarch64_4_hardware", C(Arch::AArch64, 4, kHw, 48), 9, &expect_flags<S2>},
        RandomCase{"riscv64_3_hardware", C(Arch::RiscV64, 3, kHw), 10, &expect_flags<Gs>},
        RandomCase{"riscv64_4_hardware", C(Arch::RiscV64, 4, kHw), 11, &expect_flags<Gs>}),
    [](const ::testing::TestParamInfo<RandomCase>& pi) { return std::string(pi.param.name); });

}  // namespace
}  // namespace nptsim
