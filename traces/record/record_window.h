// RecordWindow: the sampling window of `nptsim record --skip N --max-records M` over a stream
// of records: the first `skip` records are dropped, then at most `max` are kept. Header only and
// free of nptsim dependencies, so that the QEMU plugin (a separate module) applies the very same
// rule as the recorder's stream reader (lackey).
#pragma once

#include <cstdint>

namespace nptsim::trace {

struct RecordWindow {
  static constexpr uint64_t kNoLimit = ~uint64_t{0};

  uint64_t skip = 0;        // records dropped at the start of the stream
  uint64_t max = kNoLimit;  // records kept at most after them
  uint64_t seen = 0;        // records offered so far
  uint64_t kept = 0;        // records kept so far (<= max)

  struct Slice {
    uint64_t first;  // index, within the offered run, of the first record kept
    uint64_t count;  // records kept from there on (consecutive)
  };

  // Offers the next `n` records of the stream; the records [first, first + count) of them are in
  // the window. Once full(), every offer keeps nothing.
  Slice offer(uint64_t n) {
    const uint64_t to_skip = seen < skip ? skip - seen : 0;
    const uint64_t first = to_skip < n ? to_skip : n;
    const uint64_t room = max - kept;
    const uint64_t count = n - first < room ? n - first : room;
    seen += n;
    kept += count;
    return {first, count};
  }

  // True once `max` records were kept: the rest of the stream is not wanted.
  bool full() const { return kept >= max; }

  // Records still to offer before full(): the rest of the skip plus the room left; kNoLimit
  // without a maximum. A reader can ask for no more than this and never wait for unwanted input.
  uint64_t wanted() const {
    if (max == kNoLimit) return kNoLimit;
    const uint64_t to_skip = seen < skip ? skip - seen : 0;
    const uint64_t room = max - kept;
    return to_skip > kNoLimit - room ? kNoLimit : to_skip + room;
  }
};

}  // namespace nptsim::trace
