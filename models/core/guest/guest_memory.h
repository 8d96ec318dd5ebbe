// GuestMemory: guest-physical memory as the guest OS model writes it: at GPAs that AddrSpace
// translates to HPAs in PhysMem. A write to a page that stage 2 does not back yet (a lazy page
// not faulted in) is kept aside and lands in the page when the hypervisor backs it
// (on_backed), so a guest page-table page in a lazy area faults at stage 2 the first time the
// walker touches it, and then holds what the guest wrote.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>

#include "models/core/addrspace/address_space.h"
#include "models/core/mem/phys_mem.h"

namespace nptsim {

class GuestMemory {
 public:
  GuestMemory(AddrSpace& space, PhysMem& mem) : space_(space), mem_(mem) {}

  void write_u64(GuestPhysAddr gpa, uint64_t v);
  uint64_t read_u64(GuestPhysAddr gpa) const;
  // The hypervisor has just backed the page holding `gpa`: it is zeroed and receives what the
  // guest wrote there meanwhile. True when there was such content.
  bool on_backed(GuestPhysAddr gpa);
  // on_backed for every page with content kept aside that is backed now (a fault that backed
  // several pages: fault-around, large blocks, pre-fault). Returns how many landed.
  size_t land_backed();
  size_t pending_pages() const { return pending_.size(); }

 private:
  std::optional<HostPhysAddr> backing(GuestPhysAddr gpa) const;
  AddrSpace& space_;
  PhysMem& mem_;
  // Page number -> (offset -> value) written while the page had no backing.
  std::unordered_map<uint64_t, std::map<uint32_t, uint64_t>> pending_;
};

}  // namespace nptsim
