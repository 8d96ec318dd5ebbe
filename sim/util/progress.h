// Progress: a progress line on stderr for long runs. Silent for the first 2 seconds; then, on a
// terminal, one line updated in place twice a second, elsewhere a line every 30 seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace nptsim {

class Progress {
 public:
  // `what` names the unit ("records"); `total` 0 when unknown; `enabled` false for --quiet.
  Progress(std::string what, uint64_t total, bool enabled);
  // Cheap to call often: it looks at the clock only every 64 K units.
  void update(uint64_t done) {
    if (enabled_ && done - last_checked_ >= 65536) tick(done);
  }
  // Clears the in-place line, if one was shown.
  void finish();

 private:
  void tick(uint64_t done);
  using Clock = std::chrono::steady_clock;
  std::string what_;
  uint64_t total_;
  bool enabled_;
  bool tty_;
  bool shown_ = false;
  uint64_t last_checked_ = 0;
  Clock::time_point start_, last_print_;
};

}  // namespace nptsim
