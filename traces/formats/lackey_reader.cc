#include "traces/formats/lackey_reader.h"

#include "traces/formats/line_splitter.h"
#include "traces/formats/text_scan.h"

namespace nptsim::trace {

namespace {

class LackeyReader final : public TraceReader {
 public:
  LackeyReader(std::unique_ptr<InputBuffer> in, const std::string& name)
      : TraceReader(name, AddrKind::GuestVirtual), lines_(std::move(in), name) {}

  size_t read(TraceRecord* out, size_t max) override {
    size_t n = 0;
    const char *b, *e;
    while (n + 2 <= max && lines_.next(b, e)) {
      // Record lines: "I  addr,size" or " X addr,size" with X in L, S, M.
      if (e - b < 3) continue;
      AccessType type;
      bool modify = false;
      if (b[0] == 'I' && b[1] == ' ' && b[2] == ' ') {
        type = AccessType::Fetch;
      } else if (b[0] == ' ' && b[2] == ' ' && (b[1] == 'L' || b[1] == 'S' || b[1] == 'M')) {
        type = b[1] == 'S' ? AccessType::Write : AccessType::Read;
        modify = b[1] == 'M';
      } else {
        continue;  // banner or program output
      }
      const char* p = b + 3;
      uint64_t addr = 0, size = 0;
      if (!scan::hex_u64(p, e, addr) || p == e || *p != ',') bad("bad address", b, e);
      ++p;
      if (!scan::dec_u64(p, e, 255, size) || size == 0 || scan::skip_spaces(p, e) != e) bad("bad size", b, e);
      TraceRecord r;
      r.addr = addr;
      r.size = static_cast<uint8_t>(size);
      r.type = type;
      out[n++] = r;
      if (modify) {
        r.type = AccessType::Write;
        out[n++] = r;
      }
    }
    return n;
  }
  TraceFormat format() const override { return TraceFormat::Lackey; }

 private:
  [[noreturn]] void bad(const char* what, const char* b, const char* e) const {
    std::string line(b, static_cast<size_t>(std::min<ptrdiff_t>(e - b, 60)));
    throw TraceError(lines_.where() + what + " in lackey record '" + line + "'");
  }

  LineSplitter lines_;
};

}  // namespace

std::unique_ptr<TraceReader> make_lackey_reader(std::unique_ptr<InputBuffer> in, const std::string& name) {
  return std::make_unique<LackeyReader>(std::move(in), name);
}

}  // namespace nptsim::trace
