#include "traces/record.h"

#include <cstdio>

namespace nptsim::trace {

char type_letter(AccessType t) {
  switch (t) {
    case AccessType::Read:
      return 'R';
    case AccessType::Write:
      return 'W';
    case AccessType::Fetch:
      return 'F';
  }
  return '?';
}

std::optional<AccessType> type_from_letter(char c) {
  switch (c) {
    case 'R':
      return AccessType::Read;
    case 'W':
      return AccessType::Write;
    case 'F':
      return AccessType::Fetch;
    default:
      return std::nullopt;
  }
}

const char* to_string(AddrKind k) { return k == AddrKind::GuestVirtual ? "gva" : "gpa"; }

std::optional<AddrKind> parse_addr_kind(std::string_view s) {
  if (s == "gpa") return AddrKind::GuestPhysical;
  if (s == "gva") return AddrKind::GuestVirtual;
  return std::nullopt;
}

}  // namespace nptsim::trace

namespace nptsim::trace {

namespace {
struct EventName {
  EventKind kind;
  const char* name;
};
constexpr EventName kEventNames[] = {
    {EventKind::Map, "map"},
    {EventKind::Unmap, "unmap"},
    {EventKind::Protect, "protect"},
    {EventKind::BalloonInflate, "balloon-inflate"},
    {EventKind::BalloonDeflate, "balloon-deflate"},
    {EventKind::DirtyStart, "dirty-start"},
    {EventKind::DirtySync, "dirty-sync"},
    {EventKind::DirtyStop, "dirty-stop"},
    {EventKind::ContextSwitch, "ctxsw"},
    {EventKind::TlbFlush, "tlb-flush"},
    {EventKind::Migrate, "migrate"},
};

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The operands a kind uses (the others must be 0).
bool uses_range(EventKind k) {
  return k == EventKind::Map || k == EventKind::Unmap || k == EventKind::Protect ||
         k == EventKind::BalloonInflate || k == EventKind::BalloonDeflate;
}
bool uses_prot(EventKind k) { return k == EventKind::Map || k == EventKind::Protect; }
}  // namespace

TraceRecord make_event(EventKind k, uint64_t addr, uint32_t pages, uint8_t prot, uint16_t vcpu) {
  TraceRecord r;
  r.type = static_cast<AccessType>(k);
  r.addr = addr;
  r.gap = pages;
  r.size = prot;
  r.vcpu = vcpu;
  return r;
}

const char* event_name(EventKind k) {
  for (const EventName& e : kEventNames)
    if (e.kind == k) return e.name;
  return "?";
}

std::optional<EventKind> parse_event_name(std::string_view s) {
  for (const EventName& e : kEventNames)
    if (s == e.name) return e.kind;
  return std::nullopt;
}

std::string prot_text(uint8_t prot) {
  std::string s = "---";
  if (prot & kProtRead) s[0] = 'r';
  if (prot & kProtWrite) s[1] = 'w';
  if (prot & kProtExec) s[2] = 'x';
  return s;
}

std::optional<std::string> check_event(const TraceRecord& r) {
  const auto t = static_cast<uint8_t>(r.type);
  if (t < kFirstEvent || t > kLastEvent) return "bad record type " + std::to_string(t);
  const EventKind k = event_kind(r);
  const std::string name = event_name(k);
  if (uses_range(k)) {
    if (r.addr % 4096 != 0) return name + ": address " + hex(r.addr) + " is not 4 KiB-aligned";
    if (r.gap == 0) return name + ": a range of 0 pages";
    // Pages from addr (aligned) to 2^64: the last page of the address space is a valid range.
    if (r.gap > (~r.addr >> 12) + 1) return name + ": the range passes 2^64";
  } else if (k == EventKind::TlbFlush) {
    if (r.gap > 1) return name + ": page count " + std::to_string(r.gap) + " (0: all, 1: one)";
    if (r.gap == 0 && r.addr != 0) return name + ": an address with a flush of everything";
  } else if (k == EventKind::ContextSwitch || k == EventKind::Migrate) {
    if (r.addr > 0xFFFF) return name + ": " + std::to_string(r.addr) + " is above 65535";
    if (r.gap != 0) return name + ": unexpected page count " + std::to_string(r.gap);
  } else {
    if (r.addr != 0 || r.gap != 0) return name + ": takes no address or page count";
  }
  if (uses_prot(k)) {
    if (r.size > 7) return name + ": bad protection bits " + std::to_string(r.size);
    if (k == EventKind::Map && r.size == 0) return name + ": no access allowed (prot ---)";
  } else if (r.size != 0) {
    return name + ": unexpected size byte " + std::to_string(r.size);
  }
  return std::nullopt;
}

}  // namespace nptsim::trace
