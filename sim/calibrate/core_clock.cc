// measure_core_clock (native_chase.h): cycles per ns from a chain of dependent adds.
#include <time.h>

#include <algorithm>
#include <cstdlib>

#include "sim/calibrate/host_info.h"
#include "sim/calibrate/native_chase.h"

namespace nptsim::calibrate {

namespace {

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

#define NPTSIM_X10(s) s s s s s s s s s s
#define NPTSIM_X100(s) NPTSIM_X10(NPTSIM_X10(s))

constexpr uint64_t kAddsPerIteration = 100;

// `iterations` x 100 register-register adds, each depending on the one before (x += one). The
// loop counter runs beside the chain, so a 1-cycle add makes an iteration 100 cycles. A register
// operand, not an immediate: some renamers fold chains of immediate adds.
[[maybe_unused]] __attribute__((noinline)) uint64_t add_chain(uint64_t iterations) {
  uint64_t x = 0;
  const uint64_t one = 1;
  for (uint64_t i = 0; i < iterations; ++i) {
#if defined(__x86_64__)
    asm volatile(NPTSIM_X100("add %1, %0\n\t") : "+r"(x) : "r"(one));
#elif defined(__aarch64__)
    asm volatile(NPTSIM_X100("add %0, %0, %1\n\t") : "+r"(x) : "r"(one));
#endif
  }
  return x;
}

// GHz from the first "cpu MHz" line of /proc/cpuinfo; 0 when there is none.
[[maybe_unused]] double cpuinfo_ghz() {
  const std::string text = read_text_file("/proc/cpuinfo");
  const size_t at = text.find("cpu MHz");
  if (at == std::string::npos) return 0;
  const size_t colon = text.find(':', at);
  if (colon == std::string::npos) return 0;
  return std::strtod(text.c_str() + colon + 1, nullptr) / 1000.0;
}

}  // namespace

CoreClock measure_core_clock(double seconds) {
#if defined(__x86_64__) || defined(__aarch64__)
  // Size 1 ms runs from a short probe, warm up, then keep the fastest clean run.
  uint64_t iterations = 1000;
  double t0 = now_seconds();
  volatile uint64_t sink = add_chain(iterations);
  const double probe = std::max(now_seconds() - t0, 1e-7);
  iterations = std::max<uint64_t>(iterations, static_cast<uint64_t>(1000 * 1e-3 / probe));
  for (t0 = now_seconds(); now_seconds() - t0 < seconds;) sink = add_chain(iterations);
  double clean = 0, any = 0;
  for (t0 = now_seconds(); now_seconds() - t0 < seconds;) {
    const long switches = involuntary_switches();
    const double start = now_seconds();
    sink = add_chain(iterations);
    const double t = now_seconds() - start;
    const double ghz = static_cast<double>(iterations * kAddsPerIteration) / (t * 1e9);
    any = std::max(any, ghz);
    if (involuntary_switches() == switches) clean = std::max(clean, ghz);
  }
  (void)sink;
  return {clean > 0 ? clean : any,
          "timed chain of dependent register adds (1 cycle each), fastest 1 ms run"};
#else
  const double ghz = cpuinfo_ghz();
  return {ghz, ghz > 0 ? "/proc/cpuinfo 'cpu MHz' (no add-chain timing on this architecture: "
                         "the nominal or current clock, not measured)"
                       : "unknown: no add-chain timing on this architecture and no cpu MHz"};
#endif
}

}  // namespace nptsim::calibrate
