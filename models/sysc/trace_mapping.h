// From trace records to the core's access kinds and vCPU indices.
#pragma once

#include "models/core/walk/walk_types.h"
#include "traces/io/trace_error.h"
#include "traces/record.h"

namespace nptsim {

constexpr uint16_t kMaxVcpus = 256;

inline AccessKind access_kind(trace::AccessType t) {
  switch (t) {
    case trace::AccessType::Read:
      return AccessKind::Read;
    case trace::AccessType::Write:
      return AccessKind::Write;
    case trace::AccessType::Fetch:
      return AccessKind::Fetch;
  }
  return AccessKind::Read;
}

// The TraceError of a record whose vCPU is beyond kMaxVcpus (out of line and cold, so that the
// callers' common path stays small).
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_vcpu_beyond_max(uint64_t index,
                                                                         uint16_t vcpu) {
  throw trace::TraceError("record " + std::to_string(index) + ": vCPU " + std::to_string(vcpu) +
                          " is beyond the " + std::to_string(kMaxVcpus) +
                          " vCPUs nptsim simulates");
}

// The vCPU index of a record (0 when the trace has none); TraceError beyond kMaxVcpus.
inline uint16_t vcpu_of(const trace::TraceRecord& r, uint64_t index) {
  if (!r.has_vcpu()) return 0;
  if (r.vcpu >= kMaxVcpus) throw_vcpu_beyond_max(index, r.vcpu);
  return r.vcpu;
}

}  // namespace nptsim
