// One guest memory access of a trace (traces/FORMAT.md, "Record model").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nptsim::trace {

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

// 'R', 'W', 'F'.
char type_letter(AccessType t);
std::optional<AccessType> type_from_letter(char c);
const char* to_string(AddrKind k);  // "gpa", "gva"
std::optional<AddrKind> parse_addr_kind(std::string_view s);

}  // namespace nptsim::trace
