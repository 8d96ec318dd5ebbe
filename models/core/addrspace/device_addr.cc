#include "models/core/addrspace/device_addr.h"

namespace nptsim {

std::optional<AccessWidth> access_width_from_size(uint64_t bytes) {
  switch (bytes) {
    case 1:
      return AccessWidth::Byte;
    case 2:
      return AccessWidth::Word;
    case 4:
      return AccessWidth::Dword;
    case 8:
      return AccessWidth::Qword;
    default:
      return std::nullopt;
  }
}

std::string to_hex_string(Port p) { return "Port(" + to_hex(p.number) + ")"; }
std::string to_debug_string(Port p) { return "Port(" + std::to_string(p.number) + ")"; }
std::string to_hex_string(const PortRange& r) {
  return to_hex(r.start.number) + "..=" + to_hex(r.end.number);
}
std::string to_hex_string(const SysRegAddrRange& r) {
  return to_hex(r.start.addr) + "..=" + to_hex(r.end.addr);
}

}  // namespace nptsim
