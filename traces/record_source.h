// RecordSource: where a simulation gets its accesses: a trace file (any readable format) or a
// built-in generator. Each run opens a fresh source, so every run sees the same stream.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

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
// The records of `source` twice in a row: a warm pass, then the same records again (a run that
// takes the first pass as warm-up measures the trace in a steady state).
SourceFactory twice(SourceFactory source);

// `laps` passes over `offsets` (shared, not copied): 8-byte reads of base + offset, in order, no
// instruction gaps, vCPU 0. A pointer chase's replay (nptsim validate).
SourceFactory lap_source(std::shared_ptr<const std::vector<uint64_t>> offsets, uint64_t base,
                         uint64_t laps, AddrKind kind);

}  // namespace nptsim::trace
