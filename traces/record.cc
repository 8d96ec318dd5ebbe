#include "traces/record.h"

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
