// From trace records to the core's access kinds and vCPU indices.
#pragma once

#include "models/core/platform/guest_event.h"
#include "models/core/walk/walk_types.h"
#include "traces/io/trace_error.h"
#include "traces/record.h"

namespace nptsim {

constexpr uint16_t kMaxVcpus = 256;

// What is wrong with the record at trace index `index`, as run-time trace errors say it
// ("record N: ..."; the command names the trace).
inline std::string record_error(uint64_t index, const std::string& why) {
  return "record " + std::to_string(index) + ": " + why;
}

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

// The platform's event for an event record (trace::is_event(r); its operands checked by the
// reader: traces/record.h).
inline GuestEvent guest_event(const trace::TraceRecord& r) {
  GuestEvent e;
  switch (trace::event_kind(r)) {
    case trace::EventKind::Map:
      e.kind = GuestEventKind::Map;
      break;
    case trace::EventKind::Unmap:
      e.kind = GuestEventKind::Unmap;
      break;
    case trace::EventKind::Protect:
      e.kind = GuestEventKind::Protect;
      break;
    case trace::EventKind::BalloonInflate:
      e.kind = GuestEventKind::BalloonInflate;
      break;
    case trace::EventKind::BalloonDeflate:
      e.kind = GuestEventKind::BalloonDeflate;
      break;
    case trace::EventKind::DirtyStart:
      e.kind = GuestEventKind::DirtyStart;
      break;
    case trace::EventKind::DirtySync:
      e.kind = GuestEventKind::DirtySync;
      break;
    case trace::EventKind::DirtyStop:
      e.kind = GuestEventKind::DirtyStop;
      break;
    case trace::EventKind::ContextSwitch:
      e.kind = GuestEventKind::ContextSwitch;
      break;
    case trace::EventKind::TlbFlush:
      e.kind = GuestEventKind::TlbFlush;
      break;
    case trace::EventKind::Migrate:
      e.kind = GuestEventKind::Migrate;
      break;
  }
  e.addr = r.addr;
  e.pages = r.gap;
  uint32_t prot = 0;
  if (r.size & trace::kProtRead) prot |= MappingFlags::READ;
  if (r.size & trace::kProtWrite) prot |= MappingFlags::WRITE;
  if (r.size & trace::kProtExec) prot |= MappingFlags::EXECUTE;
  e.prot = MappingFlags(prot);
  return e;
}

// The TraceError of an event the platform could not apply (cold).
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_event_failed(uint64_t index,
                                                                      const std::string& why) {
  throw trace::TraceError(record_error(index, why));
}

// The TraceError of a record whose vCPU is beyond kMaxVcpus (out of line and cold, so that the
// callers' common path stays small).
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_vcpu_beyond_max(uint64_t index,
                                                                         uint16_t vcpu) {
  throw trace::TraceError(record_error(index, "vCPU " + std::to_string(vcpu) + " is beyond the " +
                                                  std::to_string(kMaxVcpus) +
                                                  " vCPUs nptsim simulates"));
}

// The vCPU index of a record (0 when the trace has none); TraceError beyond kMaxVcpus.
inline uint16_t vcpu_of(const trace::TraceRecord& r, uint64_t index) {
  if (!r.has_vcpu()) return 0;
  if (r.vcpu >= kMaxVcpus) throw_vcpu_beyond_max(index, r.vcpu);
  return r.vcpu;
}

}  // namespace nptsim
