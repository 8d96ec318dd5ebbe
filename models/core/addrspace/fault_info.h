// NestedPageFaultInfo (spec §10): what a vCPU exit reports for a stage-2 fault.
#pragma once

#include "models/core/common/addr.h"
#include "models/core/common/mapping_flags.h"

namespace nptsim {

struct NestedPageFaultInfo {
  MappingFlags access_flags;        // READ / WRITE / EXECUTE of the faulting access (may be empty)
  GuestPhysAddr fault_guest_paddr;  // the faulting guest-physical address
};

}  // namespace nptsim
