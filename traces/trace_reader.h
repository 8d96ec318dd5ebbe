// Trace readers: streaming, batch-oriented, one per input format (traces/FORMAT.md).
// Bad input throws TraceError naming the place (FILE:LINE for text, FILE: record N for binary).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "traces/io/input_buffer.h"
#include "traces/record.h"

namespace nptsim::trace {

enum class TraceFormat { Text, Binary, Lackey, ChampSim };
const char* to_string(TraceFormat f);  // "text", "binary", "lackey", "champsim"
std::optional<TraceFormat> parse_trace_format(std::string_view s);

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // Fills up to `max` records (max >= 16); returns how many, 0 only at the end of the trace.
  virtual size_t read(TraceRecord* out, size_t max) = 0;
  virtual TraceFormat format() const = 0;
  AddrKind addr_kind() const { return kind_; }
  const std::string& name() const { return name_; }

 protected:
  TraceReader(std::string name, AddrKind kind) : name_(std::move(name)), kind_(kind) {}
  std::string name_;
  AddrKind kind_;
};

// The format whose signature starts `head` (the first bytes of decompressed data), if any.
std::optional<TraceFormat> detect_format(const uint8_t* head, size_t n);

// A reader of `format` over `in`; `name` prefixes errors.
std::unique_ptr<TraceReader> make_reader(TraceFormat format, std::unique_ptr<InputBuffer> in,
                                         const std::string& name);

// Opens `path` ("-" = standard input), decompresses by content, recognises the format by content
// unless `forced`. Throws TraceError for an unopenable, empty or unrecognisable input.
// `compression`, when given, receives the compression found.
std::unique_ptr<TraceReader> open_trace(const std::string& path,
                                        std::optional<TraceFormat> forced = std::nullopt,
                                        Compression* compression = nullptr);
// The same over bytes in memory (tests, fuzzers).
std::unique_ptr<TraceReader> open_trace_memory(const uint8_t* data, size_t len,
                                               const std::string& name,
                                               std::optional<TraceFormat> forced = std::nullopt);

}  // namespace nptsim::trace
