// Hypervisor and guest events in a trace (docs/EVENTS.md): what FunctionalPlatform::event takes,
// and what the platform counts of them. The trace layer's event records map onto these one to
// one (models/sysc/trace_mapping.h); core knows nothing of trace formats.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "models/core/common/addr.h"
#include "models/core/common/mapping_flags.h"

namespace nptsim {

enum class GuestEventKind : uint8_t {
  Map,             // the hypervisor maps [addr, +pages) with the RAM backend, prot `prot`
  Unmap,           // the hypervisor removes [addr, +pages) from stage 2
  Protect,         // the hypervisor sets the stage-2 permissions of [addr, +pages) to `prot`
  BalloonInflate,  // the guest gives [addr, +pages) back: unmapped, frames freed
  BalloonDeflate,  // the guest takes them back: eager areas are populated again
  DirtyStart,      // dirty logging starts: RAM write-protected, a round begins
  DirtySync,       // the dirty bitmap is fetched and cleared: a new round
  DirtyStop,       // dirty logging stops: write permission restored
  ContextSwitch,   // the guest switches to ASID/PCID `addr`
  TlbFlush,        // the guest invalidates its translations: all (pages 0) or page `addr`
  Migrate,         // the vCPU moves to physical CPU `addr`
};
constexpr int kGuestEventKinds = 11;
// "map", "unmap", ... as the trace formats write them.
const char* to_string(GuestEventKind k);

struct GuestEvent {
  GuestEventKind kind = GuestEventKind::TlbFlush;
  uint64_t addr = 0;
  uint64_t pages = 0;
  MappingFlags prot;  // READ / WRITE / EXECUTE, for Map and Protect
};

// Dirty logging (KVM_MEM_LOG_DIRTY_PAGES style): the RAM areas that were writable when it
// started, and the 4 KiB pages written in the current round.
struct DirtyLog {
  bool active = false;
  std::vector<GuestPhysAddrRange> logged;  // write-protected while logging
  std::set<uint64_t> dirty;                // page numbers (GPA >> 12) written this round
  bool logs(GuestPhysAddr gpa) const {
    for (const GuestPhysAddrRange& r : logged)
      if (r.contains(gpa)) return true;
    return false;
  }
};

struct EventStats {
  uint64_t by_kind[kGuestEventKinds] = {};
  uint64_t cycles = 0;           // charged to the issuing vCPUs
  uint64_t entries_written = 0;  // stage-2 entries the events wrote (leaves, links)
  uint64_t table_frames = 0;     // stage-2 table frames they allocated (splits, maps)
  uint64_t leaf_splits = 0;      // huge leaves split into smaller ones
  uint64_t balloon_frames_freed = 0;
  uint64_t balloon_pages_kept = 0;  // inflated pages of Linear areas: nothing to reclaim
  uint64_t balloon_frames_allocated = 0;
  uint64_t dirty_write_faults = 0;
  uint64_t dirty_rounds = 0;        // rounds completed (by a sync or the stop)
  uint64_t dirty_pages_logged = 0;  // pages found dirty, summed over rounds
};

}  // namespace nptsim
