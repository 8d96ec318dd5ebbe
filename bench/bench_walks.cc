// Functional walks per architecture (one- and two-dimensional, with and without walk caches)
// and TLB lookups by size, associativity and policy. Fixed seeds; items = walks or lookups.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "models/core/platform/functional_platform.h"

namespace nptsim {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

PlatformConfig platform(Arch a, bool two_d, bool walk_caches) {
  PlatformConfig c;
  c.stage2 = Stage2Config{a, a == Arch::X86_64 ? 4 : 3, GeometryMode::Hardware, 0};
  c.layout = default_layout(256 * kMiB, BackendKind::Alloc);  // 4 KiB stage-2 pages
  c.layout.frame_pool_frames = 1 << 18;
  c.mem.fixed = true;  // walks, not the PTE cache model
  c.mmu.l1d.enabled = c.mmu.l1i.enabled = c.mmu.l2.enabled = c.nested_tlb.enabled = false;
  c.mmu.walk_cache.set_enabled(walk_caches);
  c.s1_walk_cache.set_enabled(walk_caches);
  c.scheme = two_d ? "nested" : "stage2";
  return c;
}

// Every access is a walk (TLBs off); addresses uniform over 64 MiB of guest memory, all mapped
// before timing starts.
void BM_Walk(benchmark::State& state) {
  const auto arch = static_cast<Arch>(state.range(0));
  const bool two_d = state.range(1) != 0, wc = state.range(2) != 0;
  std::string err;
  auto p = FunctionalPlatform::create(platform(arch, two_d, wc), err);
  if (!p) {
    state.SkipWithError(err.c_str());
    return;
  }
  const uint64_t base = two_d ? 0x7f00'0000'0000 : 0;
  std::mt19937_64 rng(1);
  std::vector<uint64_t> addrs(1 << 14);
  for (auto& a : addrs) a = base + (rng() % (64 * kMiB));
  for (uint64_t a : addrs) p->access(0, a, AccessKind::Read);  // map (demand paging) first
  size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(p->access(0, addrs[i++ & (addrs.size() - 1)], AccessKind::Read).ok);
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(to_string(arch)) + (two_d ? " 2D" : " 1D") +
                 (wc ? " walk caches" : " no walk caches"));
}
BENCHMARK(BM_Walk)->ArgsProduct({{0, 1, 2}, {0, 1}, {0, 1}});

// TLB lookups that hit, by entries/ways and policy, over a working set that fits.
void BM_TlbLookup(benchmark::State& state) {
  CacheConfig c{true, static_cast<uint32_t>(state.range(0)), static_cast<uint32_t>(state.range(1)),
                static_cast<Replacement>(state.range(2)), 1};
  Tlb tlb(c, 1);
  std::vector<uint64_t> pages(c.entries / 2);
  std::mt19937_64 rng(2);
  for (auto& p : pages) p = (rng() & 0xFFFFFFF) << 12;
  for (uint64_t p : pages) tlb.insert(1, p, 12, HostPhysAddr(p), kAllAccess, kAllAccess);
  size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(tlb.lookup(1, pages[i++ % pages.size()] | 0x123, AccessKind::Read));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(c.entries) + " entries " + std::to_string(c.ways) + "-way " +
                 to_string(c.policy));
}
BENCHMARK(BM_TlbLookup)->ArgsProduct({{64, 1536}, {4, 12}, {0, 1, 2}});

}  // namespace
}  // namespace nptsim
