#include "traces/formats/text_format.h"

#include <cstdio>

#include "traces/formats/line_splitter.h"
#include "traces/formats/text_scan.h"

namespace nptsim::trace {

namespace {

using scan::skip_spaces;
using scan::token_at;

bool blank_or_comment(const char* p, const char* e) {
  p = skip_spaces(p, e);
  return p == e || *p == '#';
}

class TextReader final : public TraceReader {
 public:
  TextReader(std::unique_ptr<InputBuffer> in, const std::string& name)
      : TraceReader(name, AddrKind::GuestPhysical), lines_(std::move(in), name) {
    const char *b, *e;
    while (lines_.next(b, e)) {
      if (blank_or_comment(b, e)) continue;
      parse_header(b, e);
      return;
    }
    throw TraceError(name + ": empty trace: no 'nptsim-trace 1 gpa|gva' header line");
  }

  size_t read(TraceRecord* out, size_t max) override {
    size_t n = 0;
    const char *b, *e;
    while (n < max && lines_.next(b, e)) {
      if (blank_or_comment(b, e)) continue;
      parse_record(b, e, out[n++]);
    }
    return n;
  }
  TraceFormat format() const override { return TraceFormat::Text; }

 private:
  [[noreturn]] void bad(const std::string& msg) const { throw TraceError(lines_.where() + msg); }

  // "nptsim-trace 1 gpa|gva", fields separated by spaces or tabs.
  void parse_header(const char* p, const char* e) {
    auto field = [&](const char*& q) {
      q = skip_spaces(q, e);
      const char* start = q;
      while (q < e && !scan::is_space(*q) && *q != '#') ++q;
      return std::string_view(start, static_cast<size_t>(q - start));
    };
    const char* q = p;
    if (field(q) != kTextMagic)
      bad("expected the header 'nptsim-trace 1 gpa|gva', got " + token_at(skip_spaces(p, e), e));
    const char* at = skip_spaces(q, e);
    if (field(q) != "1")
      bad("text trace version " + token_at(at, e) +
          " is not supported (this nptsim reads version 1)");
    auto kind = parse_addr_kind(field(q));
    if (!kind || !blank_or_comment(q, e)) bad("header: address kind must be gpa or gva");
    kind_ = *kind;
  }

  void parse_record(const char* p, const char* e, TraceRecord& r) {
    p = skip_spaces(p, e);
    auto type = type_from_letter(*p);
    if (!type || p + 1 == e || !scan::is_space(p[1])) {
      bad("bad access type " + token_at(p, e) + " (expected R, W or F)");
    }
    r.type = *type;
    p = skip_spaces(p + 1, e);
    const char* at = p;
    if (e - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
      bad("bad address " + token_at(at, e) + " (expected 0x...)");
    p += 2;
    if (!scan::hex_u64(p, e, r.addr) || (p < e && !scan::is_space(*p) && *p != '#')) {
      bad("bad address " + token_at(at, e) + " (expected 0x followed by 1-16 hex digits)");
    }
    p = skip_spaces(p, e);
    uint64_t v = 0;
    at = p;
    if (!scan::dec_u64(p, e, 255, v) || v == 0 || (p < e && !scan::is_space(*p) && *p != '#')) {
      bad("bad size " + token_at(at, e) + " (expected 1-255 bytes)");
    }
    r.size = static_cast<uint8_t>(v);
    r.gap = 0;
    r.vcpu = kNoVcpu;
    for (;;) {
      p = skip_spaces(p, e);
      if (p == e || *p == '#') return;
      at = p;
      uint64_t limit = 0;
      bool is_gap = false;
      if (e - p > 4 && std::string(p, 4) == "gap=") {
        is_gap = true;
        limit = UINT32_MAX;
      } else if (e - p > 4 && std::string(p, 4) == "cpu=") {
        limit = kNoVcpu - 1;
      } else {
        bad("unknown field " + token_at(at, e) + " (expected gap=N or cpu=N)");
      }
      p += 4;
      if (!scan::dec_u64(p, e, limit, v) || (p < e && !scan::is_space(*p) && *p != '#')) {
        bad("bad value in " + token_at(at, e) + " (at most " + std::to_string(limit) + ")");
      }
      if (is_gap) {
        r.gap = static_cast<uint32_t>(v);
      } else {
        r.vcpu = static_cast<uint16_t>(v);
      }
    }
  }

  LineSplitter lines_;
};

}  // namespace

std::unique_ptr<TraceReader> make_text_reader(std::unique_ptr<InputBuffer> in,
                                              const std::string& name) {
  return std::make_unique<TextReader>(std::move(in), name);
}

void format_text_record(const TraceRecord& r, std::string& out) {
  char buf[80];
  int n = std::snprintf(buf, sizeof buf, "%c 0x%llx %u", type_letter(r.type),
                        static_cast<unsigned long long>(r.addr), static_cast<unsigned>(r.size));
  out.append(buf, static_cast<size_t>(n));
  if (r.gap) out += " gap=" + std::to_string(r.gap);
  if (r.has_vcpu()) out += " cpu=" + std::to_string(r.vcpu);
  out += '\n';
}

}  // namespace nptsim::trace
