#include "traces/gen/generator.h"

namespace nptsim::trace {

namespace {
constexpr uint64_t kPage = 4096;
constexpr uint64_t kChaseSlot = 64;
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
  return std::nullopt;
}

Generator::Generator(const GenConfig& c)
    : c_(c),
      rng_(c.seed),
      slots_(c.footprint / c.size),
      perm_(c.pattern == Pattern::Chase ? c.footprint / kChaseSlot : c.footprint / kPage,
            c.seed ^ 0x5eed) {
  if (c.pattern == Pattern::Zipf) zipf_.emplace(c.footprint / kPage, c.zipf_s);
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

size_t Generator::next(TraceRecord* out, size_t max) {
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

}  // namespace nptsim::trace
