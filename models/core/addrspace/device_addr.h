// Device address types of axaddrspace's `device` module (spec §10): access widths, I/O ports,
// system-register addresses, and their ranges. GPA ranges are half-open; port and sysreg ranges
// are inclusive at both ends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "models/core/common/addr.h"

namespace nptsim {

enum class AccessWidth : uint8_t { Byte = 1, Word = 2, Dword = 4, Qword = 8 };

// 1, 2, 4 or 8 bytes; nothing for any other size.
std::optional<AccessWidth> access_width_from_size(uint64_t bytes);
constexpr uint64_t size(AccessWidth w) { return static_cast<uint64_t>(w); }
// The bit range [0, 8 * size) a value of this width occupies: returns its end (exclusive).
constexpr unsigned bits_range_end(AccessWidth w) { return 8u * static_cast<unsigned>(w); }

struct Port {
  uint16_t number = 0;
  friend bool operator==(Port a, Port b) { return a.number == b.number; }
  friend bool operator<(Port a, Port b) { return a.number < b.number; }
};
std::string to_hex_string(Port p);    // "Port(0x3f8)"
std::string to_debug_string(Port p);  // "Port(1016)"

struct SysRegAddr {
  uint64_t addr = 0;
  friend bool operator==(SysRegAddr a, SysRegAddr b) { return a.addr == b.addr; }
  friend bool operator<(SysRegAddr a, SysRegAddr b) { return a.addr < b.addr; }
};

// Inclusive ranges [start, end].
struct PortRange {
  Port start, end;
  bool contains(Port p) const { return start.number <= p.number && p.number <= end.number; }
};
struct SysRegAddrRange {
  SysRegAddr start, end;
  bool contains(SysRegAddr a) const { return start.addr <= a.addr && a.addr <= end.addr; }
};
std::string to_hex_string(const PortRange& r);        // "0x3f8..=0x3ff"
std::string to_hex_string(const SysRegAddrRange& r);  // "0x..=0x.."

// DeviceAddrRange::contains for a half-open GPA range.
inline bool device_range_contains(const GuestPhysAddrRange& r, GuestPhysAddr a) {
  return r.contains(a);
}

}  // namespace nptsim
