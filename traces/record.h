// One record of a trace (traces/FORMAT.md, "Record model"): a guest memory access, or an event
// (a hypervisor or guest operation that changes the address space or the translation caches).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nptsim::trace {

// The record's type byte: an access (Read, Write, Fetch) or, from kFirstEvent on, an EventKind.
enum class AccessType : uint8_t { Read = 0, Write = 1, Fetch = 2 };
enum class AddrKind : uint8_t { GuestPhysical = 0, GuestVirtual = 1 };

constexpr uint16_t kNoVcpu = 0xFFFF;

struct TraceRecord {
  uint64_t addr = 0;        // guest-virtual or guest-physical, per the trace's AddrKind
  uint32_t gap = 0;         // instructions retired since the previous record (0 if unknown)
  uint16_t vcpu = kNoVcpu;  // issuing vCPU, or kNoVcpu when the trace does not say
  uint8_t size = 0;         // bytes accessed, 1..255
  AccessType type = AccessType::Read;

  bool has_vcpu() const { return vcpu != kNoVcpu; }
  friend bool operator==(const TraceRecord& a, const TraceRecord& b) {
    return a.addr == b.addr && a.gap == b.gap && a.vcpu == b.vcpu && a.size == b.size &&
           a.type == b.type;
  }
  friend bool operator!=(const TraceRecord& a, const TraceRecord& b) { return !(a == b); }
};

// Events (traces/FORMAT.md, "Events"). An event record keeps the access record's fields with
// these meanings (unused fields are 0):
//   Map, Protect           addr = first GPA (4 KiB-aligned), gap = pages (>= 1), size = prot bits
//   Unmap, BalloonInflate,
//   BalloonDeflate         addr = first GPA (4 KiB-aligned), gap = pages (>= 1)
//   DirtyStart, DirtySync,
//   DirtyStop              nothing
//   ContextSwitch          addr = the guest's new ASID/PCID (< 65536)
//   TlbFlush               gap = 0: every guest-virtual translation; gap = 1: the page at addr
//   Migrate                addr = the physical CPU the vCPU moves to (< 65536)
// `vcpu` is the vCPU that issues the event (or takes the exit that performs it).
enum class EventKind : uint8_t {
  Map = 3,
  Unmap = 4,
  Protect = 5,
  BalloonInflate = 6,
  BalloonDeflate = 7,
  DirtyStart = 8,
  DirtySync = 9,
  DirtyStop = 10,
  ContextSwitch = 11,
  TlbFlush = 12,
  Migrate = 13,
};
constexpr uint8_t kFirstEvent = 3, kLastEvent = 13;
// Protection bits of Map and Protect events.
constexpr uint8_t kProtRead = 1, kProtWrite = 2, kProtExec = 4;

inline bool is_event(const TraceRecord& r) { return static_cast<uint8_t>(r.type) >= kFirstEvent; }
inline EventKind event_kind(const TraceRecord& r) { return static_cast<EventKind>(r.type); }
TraceRecord make_event(EventKind k, uint64_t addr = 0, uint32_t pages = 0, uint8_t prot = 0,
                       uint16_t vcpu = kNoVcpu);
// "map", "unmap", "protect", "balloon-inflate", "balloon-deflate", "dirty-start", "dirty-sync",
// "dirty-stop", "ctxsw", "tlb-flush", "migrate".
const char* event_name(EventKind k);
std::optional<EventKind> parse_event_name(std::string_view s);
// "rw-" style text of protection bits (r, w, x or '-').
std::string prot_text(uint8_t prot);
// Nothing when `r` (an event: r.type in kFirstEvent..kLastEvent) has valid operands for its
// kind, else what is wrong, for the readers' errors ("unmap: address 0x1001 is not 4 KiB-aligned").
std::optional<std::string> check_event(const TraceRecord& r);

// 'R', 'W', 'F'.
char type_letter(AccessType t);
std::optional<AccessType> type_from_letter(char c);
const char* to_string(AddrKind k);  // "gpa", "gva"
std::optional<AddrKind> parse_addr_kind(std::string_view s);

}  // namespace nptsim::trace
