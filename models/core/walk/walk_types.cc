#include "models/core/walk/walk_types.h"

namespace nptsim {

const char* to_string(AccessKind a) {
  switch (a) {
    case AccessKind::Read:
      return "read";
    case AccessKind::Write:
      return "write";
    case AccessKind::Fetch:
      return "fetch";
  }
  return "?";
}

const char* to_string(Stage s) { return s == Stage::Stage1 ? "stage1" : "stage2"; }

const char* to_string(FaultKind k) {
  switch (k) {
    case FaultKind::Translation:
      return "translation";
    case FaultKind::Permission:
      return "permission";
    case FaultKind::Misconfig:
      return "misconfig";
    case FaultKind::AddressSize:
      return "address-size";
    case FaultKind::AccessFlag:
      return "access-flag";
    case FaultKind::NonCanonical:
      return "non-canonical";
  }
  return "?";
}

}  // namespace nptsim
