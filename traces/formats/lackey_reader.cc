#include "traces/formats/lackey_reader.h"

#include <cstring>

#include "traces/formats/text_scan.h"
#include "traces/io/trace_error.h"

namespace nptsim::trace {

namespace {

// Parses whole lines straight out of the input window: a record line is decoded in one pass
// (prefix, hex address, ',', decimal size, end of line) without searching for the newline first;
// only lines that are not records are skipped with memchr.
class LackeyReader final : public TraceReader {
 public:
  LackeyReader(std::unique_ptr<InputBuffer> in, const std::string& name)
      : TraceReader(name, AddrKind::GuestVirtual), in_(std::move(in)) {}

  size_t read(TraceRecord* out, size_t max) override {
    size_t n = 0;
    while (n + 2 <= max) {
      const char* b = reinterpret_cast<const char*>(in_->data());
      const char* e = b + in_->size();
      // Complete lines end at the last newline of the window (or at the end of the input).
      const char* limit = static_cast<const char*>(memrchr(b, '\n', in_->size()));
      limit = limit ? limit + 1 : b;
      if (in_->source_done()) limit = e;
      if (limit == b) {
        if (in_->source_done()) break;  // nothing left
        if (!in_->refill()) {
          if (in_->source_done()) continue;
          throw TraceError(name_ + ":" + std::to_string(line_ + 1) + ": line longer than " +
                           std::to_string(in_->max_window()) + " bytes");
        }
        continue;
      }
      const char* p = b;
      while (n + 2 <= max && p < limit) p = parse_line(p, limit, out, n);
      in_->consume(static_cast<size_t>(p - b));
      if (p == limit && !in_->source_done() && n + 2 <= max) in_->refill();
    }
    return n;
  }
  TraceFormat format() const override { return TraceFormat::Lackey; }

 private:
  static const char* end_of_line(const char* p, const char* limit) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(limit - p));
    return nl ? static_cast<const char*>(nl) : limit;
  }

  // Parses the line at p (which ends at a '\n' before `limit`, or at `limit`); returns the start
  // of the next line.
  const char* parse_line(const char* p, const char* limit, TraceRecord* out, size_t& n) {
    ++line_;
    const char* const line = p;
    // Record kinds, decided without data-dependent branches (fetches and data accesses
    // interleave unpredictably): 1 fetch "I  ", 2 load " L ", 3 store " S ", 4 modify " M ".
    int kind = 0;
    if (limit - p >= 3) {
      const auto c0 = static_cast<unsigned char>(p[0]), c1 = static_cast<unsigned char>(p[1]);
      const bool fetch = (c0 == 'I') & (c1 == ' ');
      const int data = c1 == 'L' ? 2 : c1 == 'S' ? 3 : c1 == 'M' ? 4 : 0;
      kind = fetch ? 1 : (c0 == ' ') ? data : 0;
      if (p[2] != ' ') kind = 0;
    }
    if (kind == 0) {
      const char* eol = end_of_line(p, limit);  // banner or program output
      return eol < limit ? eol + 1 : limit;
    }
    static constexpr AccessType kTypes[5] = {AccessType::Read, AccessType::Fetch, AccessType::Read,
                                             AccessType::Write, AccessType::Read};
    const AccessType type = kTypes[kind];
    const bool modify = kind == 4;
    p += 3;
    uint64_t addr = 0, size = 0;
    if (!scan::hex_u64(p, limit, addr) || p == limit || *p != ',') bad("bad address", line, limit);
    ++p;
    if (!scan::dec_u64(p, limit, 255, size) || size == 0) bad("bad size", line, limit);
    while (p < limit && scan::is_space(*p)) ++p;
    if (p < limit && *p != '\n') bad("bad size", line, limit);
    TraceRecord& r = out[n++];
    r.addr = addr;
    r.gap = 0;
    r.vcpu = kNoVcpu;
    r.size = static_cast<uint8_t>(size);
    r.type = type;
    if (modify) {
      out[n] = r;
      out[n++].type = AccessType::Write;
    }
    return p < limit ? p + 1 : limit;
  }

  [[noreturn]] void bad(const char* what, const char* line, const char* limit) const {
    const char* eol = end_of_line(line, limit);
    std::string text(line, static_cast<size_t>(std::min<ptrdiff_t>(eol - line, 60)));
    throw TraceError(name_ + ":" + std::to_string(line_) + ": " + what + " in lackey record '" +
                     text + "'");
  }

  std::unique_ptr<InputBuffer> in_;
  long line_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> make_lackey_reader(std::unique_ptr<InputBuffer> in,
                                                const std::string& name) {
  return std::make_unique<LackeyReader>(std::move(in), name);
}

}  // namespace nptsim::trace
