#include "traces/trace_reader.h"

#include <cstring>

#include "traces/formats/binary_format.h"
#include "traces/formats/champsim_reader.h"
#include "traces/formats/lackey_reader.h"
#include "traces/formats/text_format.h"
#include "traces/io/trace_error.h"

namespace nptsim::trace {

namespace {

bool starts_with(const uint8_t* p, size_t n, const char* s) {
  size_t k = std::strlen(s);
  return n >= k && std::memcmp(p, s, k) == 0;
}

// The first line that is neither blank nor a '#' comment, within the first n bytes.
const uint8_t* first_significant_line(const uint8_t* p, size_t n, size_t* left) {
  const uint8_t* e = p + n;
  while (p < e) {
    const uint8_t* q = p;
    while (q < e && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
    if (q < e && *q != '\n' && *q != '#') {
      *left = static_cast<size_t>(e - q);
      return q;
    }
    const void* nl = std::memchr(q, '\n', static_cast<size_t>(e - q));
    if (!nl) break;
    p = static_cast<const uint8_t*>(nl) + 1;
  }
  *left = 0;
  return e;
}

bool looks_like_lackey(const uint8_t* p, size_t n) {
  // Any line within the head that is a lackey banner or record.
  const uint8_t* e = p + n;
  while (p < e) {
    size_t left = static_cast<size_t>(e - p);
    if (starts_with(p, left, "==") || starts_with(p, left, "I  ") || starts_with(p, left, " L ") ||
        starts_with(p, left, " S ") || starts_with(p, left, " M ")) {
      return true;
    }
    const void* nl = std::memchr(p, '\n', left);
    if (!nl) break;
    p = static_cast<const uint8_t*>(nl) + 1;
  }
  return false;
}

std::unique_ptr<TraceReader> open_buffer(std::unique_ptr<InputBuffer> in, const std::string& name,
                                         std::optional<TraceFormat> forced) {
  constexpr size_t kHead = 4096;  // detection looks at this much, however the input arrives
  const size_t avail = in->ensure(kHead);
  if (avail == 0) throw TraceError(name + ": empty trace (no data)");
  auto fmt = forced ? forced : detect_format(in->data(), avail < kHead ? avail : kHead);
  if (!fmt) {
    throw TraceError(name +
                     ": cannot recognise the trace format (give --format text, binary, "
                     "lackey or champsim)");
  }
  return make_reader(*fmt, std::move(in), name);
}

}  // namespace

const char* to_string(TraceFormat f) {
  switch (f) {
    case TraceFormat::Text:
      return "text";
    case TraceFormat::Binary:
      return "binary";
    case TraceFormat::Lackey:
      return "lackey";
    case TraceFormat::ChampSim:
      return "champsim";
  }
  return "?";
}

std::optional<TraceFormat> parse_trace_format(std::string_view s) {
  for (TraceFormat f :
       {TraceFormat::Text, TraceFormat::Binary, TraceFormat::Lackey, TraceFormat::ChampSim}) {
    if (s == to_string(f)) return f;
  }
  return std::nullopt;
}

std::optional<TraceFormat> detect_format(const uint8_t* head, size_t n) {
  if (starts_with(head, n, "NPTTRACE")) return TraceFormat::Binary;
  if (std::memchr(head, 0, n)) return TraceFormat::ChampSim;  // binary data that is not ours
  size_t left = 0;
  const uint8_t* first = first_significant_line(head, n, &left);
  if (starts_with(first, left, kTextMagic)) return TraceFormat::Text;
  if (looks_like_lackey(head, n)) return TraceFormat::Lackey;
  return std::nullopt;
}

std::unique_ptr<TraceReader> make_reader(TraceFormat format, std::unique_ptr<InputBuffer> in,
                                         const std::string& name) {
  switch (format) {
    case TraceFormat::Text:
      return make_text_reader(std::move(in), name);
    case TraceFormat::Binary:
      return make_binary_reader(std::move(in), name);
    case TraceFormat::Lackey:
      return make_lackey_reader(std::move(in), name);
    case TraceFormat::ChampSim:
      return make_champsim_reader(std::move(in), name);
  }
  throw TraceError(name + ": unknown trace format");
}

std::unique_ptr<TraceReader> open_trace(const std::string& path, std::optional<TraceFormat> forced,
                                        Compression* compression) {
  auto src = open_byte_source(path);
  if (compression) *compression = src.compression;
  const std::string name = path == "-" ? "<stdin>" : path;
  return open_buffer(std::make_unique<InputBuffer>(std::move(src.source)), name, forced);
}

std::unique_ptr<TraceReader> open_trace_memory(const uint8_t* data, size_t len,
                                               const std::string& name,
                                               std::optional<TraceFormat> forced) {
  auto src = decompressing(memory_source(data, len), name);
  return open_buffer(std::make_unique<InputBuffer>(std::move(src.source)), name, forced);
}

}  // namespace nptsim::trace
