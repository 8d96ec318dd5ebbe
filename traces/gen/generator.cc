#include "traces/gen/generator.h"

namespace nptsim::trace {

namespace {
constexpr uint64_t kPage = 4096;
constexpr uint64_t kChaseSlot = 64;

// The first 4 KiB-aligned address of the footprint (base rounded up).
uint64_t first_page(const GenConfig& c) { return (c.base + kPage - 1) / kPage * kPage; }

// The 4 KiB-aligned places where a range of `pages` pages fits inside [base, base + footprint)
// (0 when none does). `c` has passed the other checks of validate (no overflow).
uint64_t balloon_slots(const GenConfig& c, uint64_t pages) {
  const uint64_t end = c.base + c.footprint;
  const uint64_t first = first_page(c);
  if (first < c.base || first >= end) return 0;
  const uint64_t whole = (end - first) / kPage;
  return whole >= pages ? whole - pages + 1 : 0;
}

std::string option_error(const char* option, const std::string& what) {
  return std::string("option '--") + option + "': " + what;
}

// The checks of the event fields (GenConfig's comments), naming the gen command's options.
std::optional<std::string> validate_events(const GenConfig& c) {
  if (c.balloon_every) {
    if (c.kind != AddrKind::GuestPhysical) {
      return option_error("balloon-every",
                          "balloon events carry guest-physical addresses: needs --addr gpa");
    }
    if (c.balloon_pages == 0 || c.balloon_pages > UINT32_MAX)
      return option_error("balloon-pages", "must be 1..4294967295 pages");
    if (balloon_slots(c, c.balloon_pages) == 0) {
      return option_error("balloon-pages", std::to_string(c.balloon_pages) +
                                               " pages of 4 KiB do not fit in the footprint");
    }
  }
  if ((c.dirty_rounds == 0) != (c.dirty_every == 0))
    return option_error("dirty-rounds", "--dirty-rounds and --dirty-every go together");
  if (c.dirty_rounds) {
    // The dirty-stop comes after access (rounds + 1) * every: it must be within the count.
    __extension__ typedef unsigned __int128 U128;
    const U128 stop = (U128{c.dirty_rounds} + 1) * c.dirty_every;
    if (stop > c.count) {
      const std::string at =
          stop >> 64 ? std::string("2^64 or later") : std::to_string(static_cast<uint64_t>(stop));
      return option_error("dirty-rounds", "the dirty-stop would follow access " + at +
                                              ", beyond --count " + std::to_string(c.count) +
                                              " (a dirty-start after --dirty-every accesses, "
                                              "then the rounds of --dirty-every accesses)");
    }
  }
  if (c.ctxsw_every && (c.asids == 0 || c.asids > 0xFFFF))
    return option_error("asids", "must be 1..65535 (ASIDs 1..K are 16-bit)");
  if (c.migrate_every && (c.pcpus == 0 || c.pcpus > 0x10000))
    return option_error("pcpus", "must be 1..65536 (physical CPUs 0..K-1 are 16-bit)");
  return std::nullopt;
}

}  // namespace

const char* to_string(Pattern p) {
  switch (p) {
    case Pattern::Seq:
      return "seq";
    case Pattern::Stride:
      return "stride";
    case Pattern::Uniform:
      return "uniform";
    case Pattern::Zipf:
      return "zipf";
    case Pattern::Gups:
      return "gups";
    case Pattern::Chase:
      return "chase";
  }
  return "?";
}

std::optional<Pattern> parse_pattern(std::string_view s) {
  for (Pattern p : {Pattern::Seq, Pattern::Stride, Pattern::Uniform, Pattern::Zipf, Pattern::Gups,
                    Pattern::Chase}) {
    if (s == to_string(p)) return p;
  }
  return std::nullopt;
}

std::optional<std::string> validate(const GenConfig& c) {
  if (c.size == 0) return "access size must be 1-255 bytes";
  if (c.footprint < c.size)
    return "footprint must be at least one access (" + std::to_string(c.size) + " bytes)";
  if (c.pattern == Pattern::Zipf && c.footprint < kPage)
    return "zipf needs a footprint of at least 4 KiB";
  if (c.pattern == Pattern::Chase && c.footprint < kChaseSlot)
    return "chase needs a footprint of at least 64 bytes";
  if (c.pattern == Pattern::Chase && c.size > kChaseSlot)
    return "chase accesses are at most 64 bytes";
  if (c.pattern == Pattern::Stride && c.stride == 0) return "stride must be at least 1 byte";
  if (!(c.write_ratio >= 0.0 && c.write_ratio <= 1.0)) return "write ratio must be between 0 and 1";
  if (!(c.zipf_s > 0.0 && c.zipf_s < 100.0)) return "zipf exponent s must be in (0, 100)";
  if (c.base + c.footprint < c.base) return "base + footprint overflows 64 bits";
  return validate_events(c);
}

Generator::Generator(const GenConfig& c)
    : c_(c),
      rng_(c.seed),
      slots_(c.footprint / c.size),
      perm_(c.pattern == Pattern::Chase ? c.footprint / kChaseSlot : c.footprint / kPage,
            c.seed ^ 0x5eed) {
  if (c.pattern == Pattern::Zipf) zipf_.emplace(c.footprint / kPage, c.zipf_s);
  if (c.balloon_every) {
    event_rng_.seed(c.seed ^ 0xba11'0075'eed5);
    balloon_slots_ = balloon_slots(c, c.balloon_pages);
  }
}

uint64_t Generator::next_offset() {
  const uint64_t i = step_++;
  switch (c_.pattern) {
    case Pattern::Seq:
      return (i % slots_) * c_.size;
    case Pattern::Stride: {
      const uint64_t positions = (c_.footprint - c_.size) / c_.stride + 1;
      return (i % positions) * c_.stride;
    }
    case Pattern::Uniform:
    case Pattern::Gups:
      return below(slots_) * c_.size;
    case Pattern::Zipf: {
      const uint64_t rank = zipf_->sample([this] { return uniform01(); });
      const uint64_t page = perm_(rank - 1);  // scatter the hot pages
      const uint64_t in_page = below(kPage / c_.size) * c_.size;
      return page * kPage + in_page;
    }
    case Pattern::Chase:
      return perm_(i % (c_.footprint / kChaseSlot)) * kChaseSlot;
  }
  return 0;
}

TraceRecord Generator::next_access() {
  if (gups_write_due_) {
    gups_write_due_ = false;
    return gups_write_;
  }
  TraceRecord r;
  r.addr = c_.base + next_offset();
  r.size = c_.size;
  if (c_.pattern == Pattern::Gups) {
    r.type = AccessType::Read;
    gups_write_ = r;
    gups_write_.type = AccessType::Write;
    gups_write_due_ = true;
  } else {
    r.type = coin(c_.write_ratio) ? AccessType::Write : AccessType::Read;
  }
  return r;
}

uint64_t Generator::balloon_address() {
  const uint64_t first = first_page(c_);
  const auto slot = static_cast<uint64_t>((static_cast<U128>(event_rng_()) * balloon_slots_) >> 64);
  return first + slot * kPage;
}

void Generator::queue_events() {
  const uint64_t at = produced_;
  pending_head_ = pending_end_ = 0;
  const auto due = [at](uint64_t every) { return every && at % every == 0; };
  if (due(c_.balloon_every)) {
    balloon_gpa_ = balloon_address();
    push_event(make_event(EventKind::BalloonInflate, balloon_gpa_,
                          static_cast<uint32_t>(c_.balloon_pages)));
    deflate_due_ = true;
    deflate_after_ = at + c_.balloon_every / 2;
  }
  if (deflate_due_ && at == deflate_after_) {
    push_event(make_event(EventKind::BalloonDeflate, balloon_gpa_,
                          static_cast<uint32_t>(c_.balloon_pages)));
    deflate_due_ = false;
  }
  if (due(c_.dirty_every) && at / c_.dirty_every <= c_.dirty_rounds + 1) {
    const uint64_t k = at / c_.dirty_every;  // start at 1, syncs at 2..rounds, stop at rounds+1
    push_event(make_event(k == 1                 ? EventKind::DirtyStart
                          : k <= c_.dirty_rounds ? EventKind::DirtySync
                                                 : EventKind::DirtyStop));
  }
  if (due(c_.ctxsw_every))
    push_event(make_event(EventKind::ContextSwitch, 1 + ctxsws_++ % c_.asids));
  if (due(c_.tlb_flush_every)) push_event(make_event(EventKind::TlbFlush));
  if (due(c_.migrate_every)) push_event(make_event(EventKind::Migrate, ++migrates_ % c_.pcpus));
}

size_t Generator::next_accesses(TraceRecord* out, size_t max) {
  size_t n = 0;
  while (n + 2 <= max && produced_ < c_.count) {
    TraceRecord r;
    r.addr = c_.base + next_offset();
    r.size = c_.size;
    if (c_.pattern == Pattern::Gups) {
      r.type = AccessType::Read;
      out[n++] = r;
      if (++produced_ == c_.count) break;
      r.type = AccessType::Write;
    } else {
      r.type = coin(c_.write_ratio) ? AccessType::Write : AccessType::Read;
    }
    out[n++] = r;
    ++produced_;
  }
  return n;
}

size_t Generator::next(TraceRecord* out, size_t max) {
  if (!c_.has_events()) return next_accesses(out, max);
  size_t n = 0;
  while (n < max) {
    if (pending_head_ < pending_end_) {
      out[n++] = pending_[pending_head_++];
      continue;
    }
    if (produced_ == c_.count) break;
    out[n++] = next_access();
    ++produced_;
    queue_events();
  }
  return n;
}

}  // namespace nptsim::trace
