// libFuzzer target for the trace readers: any input bytes, read as each format (and with format
// detection, which also reaches the gzip/xz/zstd decoders). The only acceptable outcomes are a
// clean read or a TraceError; sanitizers report anything else.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "traces/io/trace_error.h"
#include "traces/trace_reader.h"

using namespace nptsim::trace;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::vector<TraceRecord> batch(64);
  const std::optional<TraceFormat> formats[] = {std::nullopt, TraceFormat::Text,
                                                TraceFormat::Binary, TraceFormat::Lackey,
                                                TraceFormat::ChampSim};
  for (const auto& f : formats) {
    try {
      auto r = open_trace_memory(data, size, "fuzz", f);
      while (r->read(batch.data(), batch.size()) > 0) {
      }
    } catch (const TraceError&) {
    }
  }
  return 0;
}
