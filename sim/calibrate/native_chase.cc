#include "sim/calibrate/native_chase.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "sim/calibrate/host_info.h"

namespace nptsim::calibrate {

namespace {

void* volatile g_sink;  // where chase results go, so the loads cannot be removed

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Follows the chain from `p` for `steps` dependent loads; returns where it ended. Not inlined so
// the compiler sees neither the chain nor the step count.
__attribute__((noinline)) void* chase(void* p, uint64_t steps) {
  for (; steps >= 8; steps -= 8) {
    p = *static_cast<void**>(p);
    p = *static_cast<void**>(p);
    p = *static_cast<void**>(p);
    p = *static_cast<void**>(p);
    p = *static_cast<void**>(p);
    p = *static_cast<void**>(p);
    p = *static_cast<void**>(p);
    p = *static_cast<void**>(p);
  }
  for (; steps > 0; --steps) p = *static_cast<void**>(p);
  return p;
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// An anonymous mapping of `bytes` in pages of `page_bytes`, unmapped on destruction.
class Region {
 public:
  Region() = default;
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;
  ~Region() {
    if (map_ != MAP_FAILED) munmap(map_, map_len_);
  }

  std::optional<std::string> map(uint64_t bytes, uint64_t page_bytes) {
    const bool huge = page_bytes >= kHugePageBytes;
    const uint64_t align = huge ? kHugePageBytes : 4096;
    len_ = (bytes + align - 1) / align * align;
    map_len_ = len_ + (huge ? kHugePageBytes : 0);
    map_ = mmap(nullptr, map_len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map_ == MAP_FAILED) return errno_text("mmap");
    const uintptr_t a = reinterpret_cast<uintptr_t>(map_);
    base_ = reinterpret_cast<char*>((a + align - 1) / align * align);
    // MADV_HUGEPAGE fails (EINVAL) on kernels without THP: the region is then measured as it
    // is, and the smaps check reports it unbacked.
    madvise(base_, len_, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    for (uint64_t off = 0; off < len_; off += 4096) base_[off] = 0;  // fault every page in now
    return std::nullopt;
  }

  char* base() const { return base_; }
  uint64_t len() const { return len_; }

 private:
  void* map_ = MAP_FAILED;
  uint64_t map_len_ = 0, len_ = 0;
  char* base_ = nullptr;
};

// Share of [base, base + len) that /proc/self/smaps shows backed by transparent huge pages.
double huge_fraction(const Region& r) {
  const uint64_t start = reinterpret_cast<uintptr_t>(r.base());
  const uint64_t huge =
      smaps_anon_huge_bytes(read_text_file("/proc/self/smaps"), start, start + r.len());
  return std::min(1.0, static_cast<double>(huge) / static_cast<double>(r.len()));
}

// Seconds for `steps` loads from `*p`, which advances.
double timed_chase(void*& p, uint64_t steps) {
  const double t0 = now_seconds();
  p = chase(p, steps);
  const double t1 = now_seconds();
  g_sink = p;
  return t1 - t0;
}

// Steps of one timed run: at least min_accesses and min_seconds, sized by timing growing runs
// from `p`, which advances (these runs also warm up). Not whole laps: the runs continue the
// cycle where the last one stopped and the order is random, so a part of a lap is a fair
// sample of it, and runs stay short (within a time slice) even over the largest footprints.
uint64_t run_steps(void*& p, const ChaseTiming& timing) {
  uint64_t steps = std::max<uint64_t>(timing.min_accesses, 64);
  for (int tries = 0; tries < 20; ++tries) {
    const double t = timed_chase(p, steps);
    if (t >= timing.min_seconds) break;
    const double scale = std::min(timing.min_seconds / std::max(t, 1e-7) * 1.2, 1000.0);
    steps = static_cast<uint64_t>(std::ceil(static_cast<double>(steps) * scale));
  }
  return steps;
}

}  // namespace

long involuntary_switches() {
  rusage u{};
  if (getrusage(RUSAGE_THREAD, &u) != 0) return 0;
  return u.ru_nivcsw;
}

std::optional<std::string> measure_chase(const ChaseSpec& spec, const ChaseTiming& timing,
                                         ChaseMeasurement& out) {
  if (auto e = validate(spec)) return e;
  if (spec.line_bytes < sizeof(void*)) return std::string("line smaller than a pointer");
  const std::vector<uint64_t> lap = chase_lap(spec);
  const uint64_t n = lap.size();
  Region region;
  if (auto e = region.map(spec.footprint_bytes, spec.page_bytes)) return e;
  out = ChaseMeasurement{};
  if (spec.page_bytes >= kHugePageBytes) out.huge_fraction = huge_fraction(region);
  char* const base = region.base();
  for (uint64_t k = 0; k < n; ++k)
    *reinterpret_cast<void**>(base + lap[k]) = base + lap[k + 1 == n ? 0 : k + 1];

  void* p = base + lap[0];
  g_sink = chase(p, n);  // warm-up lap: fills the caches and TLBs as far as they go
  const uint64_t steps = run_steps(p, timing);
  out.accesses = steps;
  // Runs the scheduler preempted (another process ran on this core meanwhile, refilling its
  // caches and TLBs) are set aside while clean ones are possible.
  std::vector<double> clean, preempted;
  const size_t want = static_cast<size_t>(std::max(1, timing.repeat));
  for (size_t attempt = 0; attempt < 4 * want && clean.size() < want; ++attempt) {
    const long switches = involuntary_switches();
    const double ns = timed_chase(p, steps) * 1e9 / static_cast<double>(steps);
    (involuntary_switches() == switches ? clean : preempted).push_back(ns);
    if (timing.on_accesses) timing.on_accesses(steps);
  }
  std::vector<double>& ns = clean.empty() ? preempted : clean;
  std::sort(ns.begin(), ns.end());
  out.clean_runs = static_cast<int>(clean.size());
  out.ns_min = ns.front();
  out.ns_median =
      ns.size() % 2 ? ns[ns.size() / 2] : (ns[ns.size() / 2 - 1] + ns[ns.size() / 2]) / 2;
  return std::nullopt;
}

}  // namespace nptsim::calibrate
