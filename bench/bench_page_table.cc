// PageTable map / query throughput per format, 4 KiB pages and 2 MiB blocks (fixed seed).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

#include "models/core/arch/arch_registry.h"

namespace nptsim {
namespace {

struct Fixture {
  explicit Fixture(Arch arch)
      : frames(HostPhysAddr(0x1'0000'0000), uint64_t{1} << 24),
        cfg{arch, 4, GeometryMode::Crate, 0},
        pt(std::move(create_stage2_table(cfg, *stage2_geometry(cfg), Hal{&frames, &mem}).value())) {
  }
  FreeListFrameAllocator frames;
  PhysMem mem;
  Stage2Config cfg;
  std::unique_ptr<AnyPageTable> pt;
};

// Maps N distinct pages of `size` at random aligned GPAs of a 64 GiB window, in a fresh table.
void BM_Map(benchmark::State& state) {
  const auto arch = static_cast<Arch>(state.range(0));
  const PageSize ps = state.range(1) ? PageSize::Size2M : PageSize::Size4K;
  const MappingFlags rw(MappingFlags::READ | MappingFlags::WRITE);
  std::mt19937_64 rng(1);
  std::vector<uint64_t> gpas(4096);
  for (uint64_t i = 0; i < gpas.size(); ++i) gpas[i] = i * bytes(ps);
  std::shuffle(gpas.begin(), gpas.end(), rng);
  for (auto _ : state) {
    state.PauseTiming();
    Fixture f(arch);
    state.ResumeTiming();
    for (uint64_t g : gpas) {
      benchmark::DoNotOptimize(f.pt->map(GuestPhysAddr(g), HostPhysAddr(g), ps, rw).ok());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(gpas.size()));
  state.SetLabel(std::string(to_string(arch)) + (ps == PageSize::Size4K ? " 4K" : " 2M"));
}

// Queries random GPAs of a table whose 16 K pages are mapped.
void BM_Query(benchmark::State& state) {
  const auto arch = static_cast<Arch>(state.range(0));
  Fixture f(arch);
  const MappingFlags rw(MappingFlags::READ | MappingFlags::WRITE);
  const uint64_t pages = 16384;
  for (uint64_t i = 0; i < pages; ++i) {
    f.pt->map(GuestPhysAddr(i << 12), HostPhysAddr(0x80'0000'0000 + (i << 12)), PageSize::Size4K,
              rw);
  }
  std::mt19937_64 rng(2);
  std::vector<uint64_t> probes(4096);
  for (auto& p : probes) p = (rng() % pages) << 12 | (rng() & 0xfff);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.pt->query(GuestPhysAddr(probes[i++ & 4095])).ok());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(to_string(arch));
}

BENCHMARK(BM_Map)->ArgsProduct({{0, 1, 2}, {0, 1}})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Query)->DenseRange(0, 2);

}  // namespace
}  // namespace nptsim
