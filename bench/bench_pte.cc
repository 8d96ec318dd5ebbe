// PTE encode/decode throughput per nested format.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "models/core/arch/arm64_s2/s2_pte.h"
#include "models/core/arch/riscv_gstage/gstage_pte.h"
#include "models/core/arch/x86_ept/ept_pte.h"

namespace nptsim {
namespace {

template <class Pte>
void BM_EncodeLeaf(benchmark::State& state) {
  const MappingFlags flags(MappingFlags::READ | MappingFlags::WRITE);
  uint64_t pa = 0x1000'0000, acc = 0;
  for (auto _ : state) {
    acc ^= Pte::new_page(HostPhysAddr(pa), flags, (pa & 0x1000) != 0);
    pa += 0x1000;
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}

template <class Pte>
void BM_DecodeLeaf(benchmark::State& state) {
  uint64_t raw = Pte::new_page(HostPhysAddr(0x1234'5000), MappingFlags(MappingFlags::READ), false);
  uint64_t acc = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(raw);
    acc += Pte::paddr(raw).value() + (Pte::is_present(raw) ? 1 : 0) + (Pte::is_huge(raw) ? 2 : 0) +
           Pte::flags(raw).value_or(MappingFlags()).bits();
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_TEMPLATE(BM_EncodeLeaf, x86_ept::EptPte);
BENCHMARK_TEMPLATE(BM_EncodeLeaf, arm64_s2::S2Pte);
BENCHMARK_TEMPLATE(BM_EncodeLeaf, riscv_gstage::GstagePte);
BENCHMARK_TEMPLATE(BM_DecodeLeaf, x86_ept::EptPte);
BENCHMARK_TEMPLATE(BM_DecodeLeaf, arm64_s2::S2Pte);
BENCHMARK_TEMPLATE(BM_DecodeLeaf, riscv_gstage::GstagePte);

}  // namespace
}  // namespace nptsim
