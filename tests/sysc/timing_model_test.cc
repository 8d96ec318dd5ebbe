// The SystemC timing model against the functional model: the same counters and cycles, SystemC
// time that advances by the cycles of each access; PTE reads through TLM DMI or b_transport alike.
#include <gtest/gtest.h>

#include "models/core/platform/run_result.h"
#include "models/sysc/sysc_run.h"
#include "models/sysc/trace_mapping.h"

namespace nptsim {
namespace {

PlatformConfig platform(Arch a, BackendKind b) {
  PlatformConfig c;
  c.stage2 = Stage2Config{a, a == Arch::X86_64 ? 4 : 3, GeometryMode::Hardware, 0};
  c.layout = default_layout(uint64_t{256} << 20, b);
  c.layout.frame_pool_frames = 1 << 18;
  return c;
}

trace::GenConfig workload(uint64_t count, uint64_t seed = 5) {
  trace::GenConfig g;
  g.pattern = trace::Pattern::Zipf;
  g.count = count;
  g.footprint = uint64_t{256} << 20;
  g.write_ratio = 0.3;
  g.seed = seed;
  return g;
}

RunResult functional(const PlatformConfig& pc, const trace::GenConfig& g) {
  std::string err;
  auto p = FunctionalPlatform::create(pc, err);
  EXPECT_TRUE(p) << err;
  trace::Generator gen(g);
  std::vector<trace::TraceRecord> batch(4096);
  uint64_t i = 0;
  while (size_t n = gen.next(batch.data(), batch.size())) {
    for (size_t k = 0; k < n; ++k, ++i)
      p->access(vcpu_of(batch[k], i), batch[k].addr, access_kind(batch[k].type));
  }
  return collect(*p, false);
}

TEST(TimingModel, AgreesWithTheFunctionalModel) {
  std::vector<sysc::TimedRun> runs;
  std::vector<PlatformConfig> configs;
  for (Arch a : kAllArchs) {
    for (BackendKind b : {BackendKind::Linear, BackendKind::Lazy}) {
      configs.push_back(platform(a, b));
      runs.push_back(
          sysc::TimedRun{configs.back(), 0, trace::generator_source(workload(50000)), 1});
    }
  }
  const std::vector<RunResult> timed = sysc::run_timed(runs, nullptr);
  ASSERT_EQ(timed.size(), configs.size());
  for (size_t i = 0; i < configs.size(); ++i) {
    const RunResult f = functional(configs[i], workload(50000));
    const RunResult& t = timed[i];
    SCOPED_TRACE(t.arch + " " + t.backend);
    EXPECT_EQ(t.accesses, 50000u);
    EXPECT_EQ(t.total_cycles, f.total_cycles);
    EXPECT_EQ(t.ideal_cycles, f.ideal_cycles);
    EXPECT_EQ(t.data_cycles, f.data_cycles);
    EXPECT_EQ(t.walks, f.walks);
    EXPECT_EQ(t.pte_reads, f.pte_reads);
    EXPECT_EQ(t.l2.misses, f.l2.misses);
    EXPECT_EQ(t.faults_handled, f.faults_handled);
    EXPECT_EQ(t.walk_cycles.max(), f.walk_cycles.max());
    // One vCPU: SystemC time is the core model's completion time, each cycle one clock period
    // (1 / 3.3 GHz rounded to SystemC's 1 ps resolution: 303 ps).
    EXPECT_LE(t.ideal_cycles, t.total_cycles);
    EXPECT_DOUBLE_EQ(t.sim_seconds, static_cast<double>(t.total_cycles * 303) * 1e-12);
    EXPECT_GT(t.total_cycles, 0u);
  }
}

// Several vCPUs (from the records' vCPU ids) interleave deterministically; each has its own TLBs.
// PTE reads through DMI and through one b_transport each give the same counters and cycles (the
// same latency model charges both), also with lazy frames allocated and freed during the run.
TEST(TimingModel, DmiAndTransportsAgree) {
  std::vector<sysc::TimedRun> runs;
  std::vector<PlatformConfig> configs;
  for (Arch a : kAllArchs) {
    for (bool dmi : {true, false}) {
      PlatformConfig pc = platform(a, BackendKind::Lazy);
      pc.pte_dmi = dmi;
      configs.push_back(pc);
      runs.push_back(
          sysc::TimedRun{configs.back(), 0, trace::generator_source(workload(30000, 9)), 1});
    }
  }
  const std::vector<RunResult> r = sysc::run_timed(runs, nullptr);
  ASSERT_EQ(r.size(), runs.size());
  for (size_t i = 0; i < r.size(); i += 2) {
    SCOPED_TRACE(r[i].arch);
    EXPECT_GT(r[i].pte_reads, 0u);
    EXPECT_EQ(r[i].pte_reads, r[i + 1].pte_reads);
    EXPECT_EQ(r[i].total_cycles, r[i + 1].total_cycles);
    EXPECT_EQ(r[i].walk_cycles.max(), r[i + 1].walk_cycles.max());
    EXPECT_EQ(r[i].faults_handled, r[i + 1].faults_handled);
    EXPECT_DOUBLE_EQ(r[i].sim_seconds, r[i + 1].sim_seconds);
  }
}

TEST(TimingModel, VcpusAreDeterministic) {
  auto run_once = [] {
    PlatformConfig pc = platform(Arch::AArch64, BackendKind::Lazy);
    trace::GenConfig g = workload(40000, 11);
    // Spread the generated records over 4 vCPUs by their position.
    auto source = [g]() -> std::unique_ptr<trace::RecordSource> {
      struct Spread : trace::RecordSource {
        explicit Spread(const trace::GenConfig& c) : gen(c) {}
        size_t next(trace::TraceRecord* out, size_t max) override {
          size_t n = gen.next(out, max);
          for (size_t i = 0; i < n; ++i) out[i].vcpu = static_cast<uint16_t>((idx++ / 1000) % 4);
          return n;
        }
        trace::AddrKind addr_kind() const override { return trace::AddrKind::GuestPhysical; }
        trace::Generator gen;
        uint64_t idx = 0;
      };
      return std::make_unique<Spread>(g);
    };
    return sysc::run_timed({sysc::TimedRun{pc, 0, source, 4}}, nullptr);
  };
  const auto r = run_once();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].vcpus, 4u);
  EXPECT_EQ(r[0].accesses, 40000u);
  // Sim time is the slowest vCPU's, less than the sum over all vCPUs.
  EXPECT_LT(r[0].sim_seconds, static_cast<double>(r[0].total_cycles * 303) * 1e-12);
  EXPECT_GT(r[0].sim_seconds, 0.0);
}

TEST(TimingModel, SecondSimulationIsRefused) {
  PlatformConfig pc = platform(Arch::X86_64, BackendKind::Linear);
  sysc::run_timed({sysc::TimedRun{pc, 0, trace::generator_source(workload(100)), 1}}, nullptr);
  EXPECT_THROW(
      sysc::run_timed({sysc::TimedRun{pc, 0, trace::generator_source(workload(100)), 1}}, nullptr),
      std::runtime_error);
}

TEST(TimingModel, WarmupIsExcluded) {
  PlatformConfig pc = platform(Arch::RiscV64, BackendKind::Lazy);
  const auto r = sysc::run_timed(
      {sysc::TimedRun{pc, 10000, trace::generator_source(workload(30000)), 1}}, nullptr);
  EXPECT_EQ(r[0].accesses, 20000u);
  EXPECT_EQ(r[0].warmup_accesses, 10000u);
  EXPECT_DOUBLE_EQ(r[0].sim_seconds, static_cast<double>(r[0].total_cycles * 303) * 1e-12);
}

// The core model in SystemC time: a record's gap and fetch instructions advance time at
// core.base_cpi, then its translation; at 2 GHz one cycle is 500 ps. Records: gap = index % 5,
// every fourth a fetch (an instruction of its own); CPI 2: core cycles = 2 x instructions.
TEST(TimingModel, CoreTimeAtTheClock) {
  PlatformConfig pc = platform(Arch::RiscV64, BackendKind::Linear);
  pc.core.freq_ghz = 2.0;
  pc.core.base_cpi = 2.0;
  pc.core.model = CoreModel::InOrder;  // every latency in series
  const uint64_t count = 20000;
  auto source = [count]() -> std::unique_ptr<trace::RecordSource> {
    struct WithGaps : trace::RecordSource {
      explicit WithGaps(const trace::GenConfig& c) : gen(c) {}
      size_t next(trace::TraceRecord* out, size_t max) override {
        size_t n = gen.next(out, max);
        for (size_t i = 0; i < n; ++i, ++idx) {
          out[i].gap = static_cast<uint32_t>(idx % 5);
          if (idx % 4 == 0) out[i].type = trace::AccessType::Fetch;
        }
        return n;
      }
      trace::AddrKind addr_kind() const override { return trace::AddrKind::GuestPhysical; }
      trace::Generator gen;
      uint64_t idx = 0;
    };
    return std::make_unique<WithGaps>(workload(count));
  };
  const auto r = sysc::run_timed({sysc::TimedRun{pc, 0, source, 1}}, nullptr);
  ASSERT_EQ(r.size(), 1u);
  uint64_t gaps = 0;
  for (uint64_t i = 0; i < count; ++i) gaps += i % 5;
  EXPECT_EQ(r[0].gap_instructions, gaps);
  EXPECT_EQ(r[0].fetch_instructions, count / 4);
  EXPECT_EQ(r[0].core_cycles, 2 * (gaps + count / 4));
  EXPECT_EQ(r[0].total_cycles, r[0].core_cycles + r[0].translation_cycles + r[0].data_cycles);
  EXPECT_EQ(r[0].ideal_cycles, r[0].core_cycles + r[0].data_cycles);
  EXPECT_DOUBLE_EQ(r[0].sim_seconds, static_cast<double>(r[0].total_cycles * 500) * 1e-12);
  EXPECT_GT(r[0].translation_fraction(), 0.0);
  EXPECT_LT(r[0].translation_fraction(), 1.0);
}

}  // namespace
}  // namespace nptsim
