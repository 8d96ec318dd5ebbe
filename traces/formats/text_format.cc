#include "traces/formats/text_format.h"

#include <cstdio>
#include <string_view>

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
      const char* start = skip_spaces(q, e);
      q = word_end(start, e);
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
      if (*p == 'E' && (p + 1 == e || scan::is_space(p[1]))) return parse_event(p + 1, e, r);
      bad("bad access type " + token_at(p, e) + " (expected R, W, F or E)");
    }
    r.type = *type;
    p = skip_spaces(p + 1, e);
    const char* at = p;
    if (e - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
      bad("bad address " + token_at(at, e) + " (expected 0x...)");
    p += 2;
    if (!scan::hex_u64(p, e, r.addr) || !field_end(p, e)) {
      bad("bad address " + token_at(at, e) + " (expected 0x followed by 1-16 hex digits)");
    }
    p = skip_spaces(p, e);
    uint64_t v = 0;
    at = p;
    if (!scan::dec_u64(p, e, 255, v) || v == 0 || !field_end(p, e)) {
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
      if (!scan::dec_u64(p, e, limit, v) || !field_end(p, e)) {
        bad("bad value in " + token_at(at, e) + " (at most " + std::to_string(limit) + ")");
      }
      if (is_gap) {
        r.gap = static_cast<uint32_t>(v);
      } else {
        r.vcpu = static_cast<uint16_t>(v);
      }
    }
  }

  // The rest of an event line after its 'E': NAME [OPERANDS] [cpu=N] (traces/FORMAT.md,
  // "Events"). Fills `r` with a record that check_event accepts, or throws naming the line.
  void parse_event(const char* p, const char* e, TraceRecord& r) {
    p = skip_spaces(p, e);
    const char* end = word_end(p, e);
    if (end == p) bad("missing event name (expected " + event_names() + ")");
    const auto kind = parse_event_name(std::string_view(p, static_cast<size_t>(end - p)));
    if (!kind) bad("unknown event " + token_at(p, e) + " (expected " + event_names() + ")");
    const std::string name = event_name(*kind);
    p = end;
    uint64_t addr = 0, pages = 0;
    uint8_t prot = 0;
    switch (*kind) {
      case EventKind::Map:
      case EventKind::Protect:
        addr = hex_operand(p, e, name, "address");
        pages = dec_operand(p, e, name, "page count", 1, UINT32_MAX);
        prot = prot_operand(p, e, name);
        break;
      case EventKind::Unmap:
      case EventKind::BalloonInflate:
      case EventKind::BalloonDeflate:
        addr = hex_operand(p, e, name, "address");
        pages = dec_operand(p, e, name, "page count", 1, UINT32_MAX);
        break;
      case EventKind::ContextSwitch:
        addr = dec_operand(p, e, name, "ASID", 0, 0xFFFF);
        break;
      case EventKind::Migrate:
        addr = dec_operand(p, e, name, "physical CPU", 0, 0xFFFF);
        break;
      case EventKind::TlbFlush:  // an optional page: "0x..." (a cpu= field is not one)
        if (const char* q = skip_spaces(p, e); e - q >= 2 && q[0] == '0' && (q[1] | 0x20) == 'x') {
          addr = hex_operand(p, e, name, "address");
          pages = 1;
        }
        break;
      case EventKind::DirtyStart:
      case EventKind::DirtySync:
      case EventKind::DirtyStop:
        break;
    }
    r = make_event(*kind, addr, static_cast<uint32_t>(pages), prot, kNoVcpu);
    parse_event_fields(p, e, name, r);
    if (auto err = check_event(r)) bad(*err);
  }

  // Optional fields after an event's operands: cpu=N only.
  void parse_event_fields(const char* p, const char* e, const std::string& name, TraceRecord& r) {
    for (;;) {
      p = skip_spaces(p, e);
      if (p == e || *p == '#') return;
      const char* at = p;
      if (e - p >= 4 && std::string_view(p, 4) == "cpu=") {
        p += 4;
        uint64_t v = 0;
        if (!scan::dec_u64(p, e, kNoVcpu - 1, v) || !field_end(p, e)) {
          bad("bad value in " + token_at(at, e) + " (at most " + std::to_string(kNoVcpu - 1) + ")");
        }
        r.vcpu = static_cast<uint16_t>(v);
      } else if (e - p >= 4 && std::string_view(p, 4) == "gap=") {
        bad(name + ": " + token_at(at, e) + ": an event has no gap= (expected cpu=N)");
      } else {
        bad(name + ": unexpected " + token_at(at, e) + " (expected cpu=N or the end of the line)");
      }
    }
  }

  // "0x" and 1-16 hex digits, after spaces.
  uint64_t hex_operand(const char*& p, const char* e, const std::string& name, const char* what) {
    p = skip_spaces(p, e);
    const char* at = p;
    if (p == e || *p == '#') bad(name + ": missing " + what + " (expected 0x...)");
    uint64_t v = 0;
    if (e - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X')) {
      bad(name + ": bad " + what + " " + token_at(at, e) + " (expected 0x...)");
    }
    p += 2;
    if (!scan::hex_u64(p, e, v) || !field_end(p, e)) {
      bad(name + ": bad " + what + " " + token_at(at, e) +
          " (expected 0x followed by 1-16 hex digits)");
    }
    return v;
  }

  // A decimal number min..max, after spaces.
  uint64_t dec_operand(const char*& p, const char* e, const std::string& name, const char* what,
                       uint64_t min, uint64_t max) {
    p = skip_spaces(p, e);
    const char* at = p;
    const std::string expected =
        " (expected " + std::to_string(min) + "-" + std::to_string(max) + ")";
    if (p == e || *p == '#') bad(name + ": missing " + what + expected);
    uint64_t v = 0;
    if (!scan::dec_u64(p, e, max, v) || v < min || !field_end(p, e)) {
      bad(name + ": bad " + what + " " + token_at(at, e) + expected);
    }
    return v;
  }

  // Three characters: r or -, w or -, x or - ("rw-").
  uint8_t prot_operand(const char*& p, const char* e, const std::string& name) {
    p = skip_spaces(p, e);
    const char* at = p;
    const char* kExpected = " (expected r or -, w or -, x or -, e.g. rw- or r-x)";
    if (p == e || *p == '#') bad(name + ": missing protection" + kExpected);
    const char* end = word_end(p, e);
    if (end - p != 3) bad(name + ": bad protection " + token_at(at, e) + kExpected);
    uint8_t prot = 0;
    const char letters[3] = {'r', 'w', 'x'};
    const uint8_t bits[3] = {kProtRead, kProtWrite, kProtExec};
    for (int i = 0; i < 3; ++i) {
      if (p[i] == letters[i]) {
        prot = static_cast<uint8_t>(prot | bits[i]);
      } else if (p[i] != '-') {
        bad(name + ": bad protection " + token_at(at, e) + kExpected);
      }
    }
    p = end;
    return prot;
  }

  // The end of the word at p: the next space, '#' or the end of the line.
  static const char* word_end(const char* p, const char* e) {
    while (!field_end(p, e)) ++p;
    return p;
  }
  // True when a field ends at p (a space, a comment or the end of the line follows).
  static bool field_end(const char* p, const char* e) {
    return p == e || scan::is_space(*p) || *p == '#';
  }
  // "map, unmap, ..., migrate": every event name, for errors.
  static std::string event_names() {
    std::string s;
    for (uint8_t k = kFirstEvent; k <= kLastEvent; ++k) {
      if (!s.empty()) s += ", ";
      s += event_name(static_cast<EventKind>(k));
    }
    return s;
  }

  LineSplitter lines_;
};

}  // namespace

std::unique_ptr<TraceReader> make_text_reader(std::unique_ptr<InputBuffer> in,
                                              const std::string& name) {
  return std::make_unique<TextReader>(std::move(in), name);
}

namespace {

// The canonical text of an event (traces/FORMAT.md, "Events"), with newline.
void format_text_event(const TraceRecord& r, std::string& out) {
  const EventKind k = event_kind(r);
  char buf[96];
  int n = 0;
  const auto addr = static_cast<unsigned long long>(r.addr);
  switch (k) {
    case EventKind::Map:
    case EventKind::Protect:
      n = std::snprintf(buf, sizeof buf, "E %s 0x%llx %u %s", event_name(k), addr,
                        static_cast<unsigned>(r.gap), prot_text(r.size).c_str());
      break;
    case EventKind::Unmap:
    case EventKind::BalloonInflate:
    case EventKind::BalloonDeflate:
      n = std::snprintf(buf, sizeof buf, "E %s 0x%llx %u", event_name(k), addr,
                        static_cast<unsigned>(r.gap));
      break;
    case EventKind::ContextSwitch:
    case EventKind::Migrate:
      n = std::snprintf(buf, sizeof buf, "E %s %llu", event_name(k), addr);
      break;
    case EventKind::TlbFlush:
      n = r.gap ? std::snprintf(buf, sizeof buf, "E %s 0x%llx", event_name(k), addr)
                : std::snprintf(buf, sizeof buf, "E %s", event_name(k));
      break;
    case EventKind::DirtyStart:
    case EventKind::DirtySync:
    case EventKind::DirtyStop:
      n = std::snprintf(buf, sizeof buf, "E %s", event_name(k));
      break;
  }
  out.append(buf, static_cast<size_t>(n));
  if (r.has_vcpu()) out += " cpu=" + std::to_string(r.vcpu);
  out += '\n';
}

}  // namespace

void format_text_record(const TraceRecord& r, std::string& out) {
  if (is_event(r)) return format_text_event(r, out);
  char buf[80];
  int n = std::snprintf(buf, sizeof buf, "%c 0x%llx %u", type_letter(r.type),
                        static_cast<unsigned long long>(r.addr), static_cast<unsigned>(r.size));
  out.append(buf, static_cast<size_t>(n));
  if (r.gap) out += " gap=" + std::to_string(r.gap);
  if (r.has_vcpu()) out += " cpu=" + std::to_string(r.vcpu);
  out += '\n';
}

}  // namespace nptsim::trace
