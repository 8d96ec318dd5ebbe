// Synthetic access streams, seeded and deterministic (the same config gives the same records on
// every machine: only std::mt19937_64 and integer arithmetic decide them).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "traces/gen/permutation.h"
#include "traces/gen/zipf.h"
#include "traces/record.h"

namespace nptsim::trace {

// seq: consecutive accesses; stride: every `stride` bytes; uniform: uniformly random;
// zipf: pages by a Zipf(s) popularity, hot pages scattered over the footprint; gups: random
// read-modify-write (a read, then a write of the same address); chase: a pointer chase that
// visits every 64-byte slot of the footprint once per lap in a pseudo-random order.
enum class Pattern { Seq, Stride, Uniform, Zipf, Gups, Chase };
const char* to_string(Pattern p);
std::optional<Pattern> parse_pattern(std::string_view s);

constexpr uint64_t kDefaultGvaBase = 0x7f00'0000'0000;  // a typical user-space mmap address

struct GenConfig {
  Pattern pattern = Pattern::Uniform;
  uint64_t count = 1'000'000;              // records
  uint64_t footprint = uint64_t{1} << 30;  // bytes covered, from `base`
  uint64_t stride = 64;                    // bytes, for Pattern::Stride
  double write_ratio = 0.0;                // probability that an access is a write (not gups)
  double zipf_s = 0.99;                    // Zipf exponent
  uint64_t seed = 1;
  AddrKind kind = AddrKind::GuestPhysical;
  uint64_t base = 0;
  uint8_t size = 8;  // bytes per access

  // Events between the accesses (traces/FORMAT.md, "Events"), each off when its `*_every` is 0.
  // "Every N" places an event after accesses N, 2N, 3N, ... (events are not counted in `count`;
  // an event due after the last access is still written). Where several fall after the same
  // access they come in the order of the fields below.
  // A balloon-inflate of `balloon_pages` pages at a seeded random 4 KiB-aligned place inside
  // the footprint after every `balloon_every` accesses, and its balloon-deflate
  // balloon_every / 2 accesses later (guest-physical traces only).
  uint64_t balloon_every = 0;
  uint64_t balloon_pages = 0;
  // Dirty logging: dirty-start after access `dirty_every`, then a dirty-sync every `dirty_every`
  // accesses, `dirty_rounds` rounds of dirty_every accesses in all (rounds - 1 syncs), then
  // dirty-stop after access (dirty_rounds + 1) * dirty_every, which must be within `count`.
  uint64_t dirty_rounds = 0;
  uint64_t dirty_every = 0;
  // A ctxsw every `ctxsw_every` accesses; the i-th (from 0) switches to ASID 1 + i mod `asids`.
  uint64_t ctxsw_every = 0;
  uint64_t asids = 2;
  // A tlb-flush of everything every `tlb_flush_every` accesses.
  uint64_t tlb_flush_every = 0;
  // A migrate every `migrate_every` accesses; the i-th (from 0) moves to physical CPU
  // (i + 1) mod `pcpus` (the vCPU is taken to start on pCPU 0: 1, 2, ..., pcpus - 1, 0, 1, ...).
  uint64_t migrate_every = 0;
  uint64_t pcpus = 2;

  bool has_events() const {
    return balloon_every || dirty_rounds || ctxsw_every || tlb_flush_every || migrate_every;
  }
};

// Returns an error message for an impossible config, or nothing when it is valid. Errors about
// the event fields name the gen command's option ("option '--balloon-pages': ...").
std::optional<std::string> validate(const GenConfig& c);

class Generator {
  __extension__ typedef unsigned __int128 U128;

 public:
  explicit Generator(const GenConfig& c);  // c must be valid
  // Fills up to `max` records (max >= 2), accesses and events; 0 when `count` accesses and the
  // events due after them were produced.
  size_t next(TraceRecord* out, size_t max);
  // Accesses produced so far (events not included).
  uint64_t accesses() const { return produced_; }

 private:
  // Uniform in [0, n): the high half of a 64x64-bit product (Lemire's multiply-shift).
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<U128>(rng_()) * n) >> 64);
  }
  double uniform01() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  bool coin(double p) { return p > 0 && uniform01() < p; }
  uint64_t next_offset();
  // next() without events: the accesses only, a gups pair never split across calls (the loop
  // that bounds the generator's speed). The same accesses as next_access gives one by one.
  size_t next_accesses(TraceRecord* out, size_t max);
  // The next access (with events, where one may follow any access, even a gups read).
  TraceRecord next_access();
  // Queues the events due after access `produced_`.
  void queue_events();
  void push_event(const TraceRecord& r) { pending_[pending_end_++] = r; }
  uint64_t balloon_address();

  GenConfig c_;
  std::mt19937_64 rng_;
  uint64_t produced_ = 0;
  TraceRecord gups_write_;  // gups: the write that follows the read just produced
  bool gups_write_due_ = false;
  // Events due after the last access, not yet returned: pending_[pending_head_, pending_end_).
  TraceRecord pending_[8];
  size_t pending_head_ = 0, pending_end_ = 0;
  std::mt19937_64 event_rng_;   // balloon places (apart from rng_: events leave the accesses as
                                // they are without events)
  uint64_t balloon_slots_ = 0;  // 4 KiB-aligned places a balloon range may start at
  uint64_t balloon_gpa_ = 0, deflate_after_ = 0;
  bool deflate_due_ = false;
  uint64_t ctxsws_ = 0, migrates_ = 0;
  uint64_t step_ = 0;
  uint64_t slots_;  // footprint / size
  Permutation perm_;
  std::optional<ZipfSampler> zipf_;
};

}  // namespace nptsim::trace
