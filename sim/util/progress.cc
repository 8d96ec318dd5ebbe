#include "sim/util/progress.h"

#include <unistd.h>

#include <cstdio>

namespace nptsim {

Progress::Progress(std::string what, uint64_t total, bool enabled)
    : what_(std::move(what)),
      total_(total),
      enabled_(enabled),
      tty_(isatty(2) != 0),
      start_(Clock::now()),
      last_print_(start_) {}

void Progress::tick(uint64_t done) {
  last_checked_ = done;
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  if (elapsed < 2.0 || since < (tty_ ? 0.5 : 30.0)) return;
  last_print_ = now;
  const double rate = static_cast<double>(done) / elapsed;
  char line[160];
  if (total_) {
    std::snprintf(line, sizeof line, "%llu / %llu %s (%.0f%%), %.1f M/s",
                  static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                  what_.c_str(), 100.0 * static_cast<double>(done) / static_cast<double>(total_),
                  rate / 1e6);
  } else {
    std::snprintf(line, sizeof line, "%llu %s, %.1f M/s", static_cast<unsigned long long>(done),
                  what_.c_str(), rate / 1e6);
  }
  std::fprintf(stderr, tty_ ? "\r%s\033[K" : "%s\n", line);
  shown_ = true;
}

void Progress::finish() {
  if (shown_ && tty_) std::fprintf(stderr, "\r\033[K");
  shown_ = false;
}

}  // namespace nptsim
