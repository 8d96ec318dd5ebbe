#include "models/core/common/addr.h"

#include <cstdio>

#include "models/core/common/page_size.h"

namespace nptsim {

std::string to_hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string to_string(GuestPhysAddr a) { return "GPA:" + to_hex(a.value()); }
std::string to_string(GuestVirtAddr a) { return "GVA:" + to_hex(a.value()); }
std::string to_string(HostPhysAddr a) { return "PA:" + to_hex(a.value()); }
std::string to_string(HostVirtAddr a) { return "VA:" + to_hex(a.value()); }

const char* to_string(PageSize s) {
  switch (s) {
    case PageSize::Size4K:
      return "4K";
    case PageSize::Size2M:
      return "2M";
    case PageSize::Size1G:
      return "1G";
  }
  return "?";
}

}  // namespace nptsim
