#include "sim/run/run_driver.h"

#include <stdexcept>

#include "models/sysc/trace_mapping.h"
#include "sim/util/progress.h"
#include "traces/io/trace_error.h"

namespace nptsim {

namespace {

// An event record: applied, or a TraceError naming the record (cold: off the access path).
[[gnu::noinline]] void apply_event(FunctionalPlatform& p, uint16_t vcpu,
                                   const trace::TraceRecord& rec, uint64_t index) {
  std::string error;
  p.event(vcpu, guest_event(rec), error);
  if (!error.empty()) throw_event_failed(index, error);
}

RunResult run_functional(const PlatformConfig& pc, const RunJob& job, Progress* progress) {
  std::string error;
  auto p = FunctionalPlatform::create(pc, error);
  if (!p) throw std::runtime_error(error);
  auto src = job.source();

  std::vector<trace::TraceRecord> batch(4096);
  uint64_t index = 0;
  uint64_t frames_at_start = p->frames().stats().allocs;
  while (size_t n = src->next(batch.data(), batch.size())) {
    for (size_t i = 0; i < n; ++i, ++index) {
      if (index == job.warmup && job.warmup != 0) {
        p->reset_stats();
        frames_at_start = p->frames().stats().allocs;
      }
      const trace::TraceRecord& rec = batch[i];
      const uint16_t vcpu = vcpu_of(rec, index);
      if (trace::is_event(rec)) {
        apply_event(*p, vcpu, rec, index);
        continue;
      }
      p->record(vcpu, rec.addr, access_kind(rec.type), rec.size, rec.gap);
    }
    if (progress) progress->update(index);
  }
  if (index <= job.warmup) p->reset_stats();  // the whole trace was warm-up
  RunResult r = collect(*p, false);
  r.warmup_accesses = index < job.warmup ? index : job.warmup;
  r.frames_during_run = p->frames().stats().allocs - frames_at_start;
  return r;
}

}  // namespace

TraceCount count_trace(const trace::SourceFactory& source) {
  auto src = source();
  std::vector<trace::TraceRecord> batch(4096);
  uint64_t index = 0;
  uint16_t most = 0;
  while (size_t n = src->next(batch.data(), batch.size())) {
    for (size_t i = 0; i < n; ++i, ++index)
      most = std::max<uint16_t>(most, vcpu_of(batch[i], index));
  }
  return TraceCount{index, static_cast<uint16_t>(most + 1)};
}

std::vector<RunResult> run_job(const RunJob& job) {
  std::vector<RunResult> out;
  if (!job.timing) {
    for (size_t i = 0; i < job.platforms.size(); ++i) {
      Progress progress("accesses (" + std::string(to_string(job.platforms[i].stage2.arch)) + ", " +
                            to_string(job.platforms[i].layout.areas.front().backend) + ")",
                        0, job.progress);
      out.push_back(run_functional(job.platforms[i], job, &progress));
      progress.finish();
    }
    return out;
  }
  std::vector<sysc::TimedRun> runs;
  const uint16_t vcpus = job.vcpus ? job.vcpus : count_trace(job.source).vcpus;
  for (const PlatformConfig& pc : job.platforms)
    runs.push_back(sysc::TimedRun{pc, job.warmup, job.source, vcpus});
  Progress progress("accesses of the first run (all runs advance together)", 0, job.progress);
  out = sysc::run_timed(runs, [&](uint64_t n) { progress.update(n); });
  progress.finish();
  return out;
}

}  // namespace nptsim
