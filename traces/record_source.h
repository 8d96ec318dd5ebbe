// RecordSource: where a simulation gets its accesses: a trace file (any readable format) or a
// built-in generator. Each run opens a fresh source, so every run sees the same stream.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "traces/gen/generator.h"
#include "traces/trace_reader.h"

namespace nptsim::trace {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Up to `max` records (max >= 16); 0 at the end. Throws TraceError on bad input.
  virtual size_t next(TraceRecord* out, size_t max) = 0;
  virtual AddrKind addr_kind() const = 0;
};

using SourceFactory = std::function<std::unique_ptr<RecordSource>()>;

SourceFactory file_source(const std::string& path, std::optional<TraceFormat> forced);
SourceFactory generator_source(const GenConfig& c);

}  // namespace nptsim::trace
