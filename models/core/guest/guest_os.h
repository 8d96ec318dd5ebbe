// GuestOs: the guest operating system's memory management, as much as translation needs: a
// frame allocator over the guest's RAM (guest-physical), stage-1 page tables written into guest
// memory (GuestMemory), and demand paging: the first touch of a guest-virtual page is a guest
// page fault, after which the guest maps the page (4 KiB, or 2 MiB when huge pages are on and
// a whole aligned 2 MiB of RAM is free). Pages are mapped read/write/execute, user.
#pragma once

#include <cstdint>
#include <vector>

#include "models/core/arch/arch_registry.h"
#include "models/core/guest/guest_memory.h"

namespace nptsim {

struct GuestOsConfig {
  int levels = 4;              // stage-1 levels (x86-64 4/5, AArch64 3/4, Sv39/Sv48)
  bool huge_pages = false;     // 2 MiB pages where possible
  uint32_t fault_cost = 1500;  // cycles of a guest page fault (docs/LATENCIES.md)
  // Guest A/D by hardware (AArch64 TCR_EL1.HA, RISC-V Svadu): leaves are written with AF / A
  // and D clear and the walker sets them. Off: the guest OS sets them when it maps a page (and
  // a clear one would fault). x86-64 always has hardware A/D.
  bool hw_ad = false;
  uint16_t asid = 1;
};

struct GuestOsStats {
  uint64_t faults = 0;
  uint64_t pages_4k = 0, pages_2m = 0;
  uint64_t table_pages = 0;
};

class GuestOs {
 public:
  // `ram`: the guest-physical ranges the guest may use (its RAM areas). Throws nothing; an
  // unusable configuration shows as ok() == false with a reason.
  GuestOs(Arch arch, const GuestOsConfig& c, GuestMemory& mem, std::vector<GuestPhysAddrRange> ram);
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }

  const Stage1Regime& regime() const { return regime_; }
  // Demand paging of `gva` after a stage-1 translation fault; false when guest RAM is exhausted.
  bool handle_fault(GuestVirtAddr gva);
  const GuestOsStats& stats() const { return stats_; }
  const GuestOsConfig& config() const { return cfg_; }

 private:
  std::optional<GuestPhysAddr> alloc_4k();
  std::optional<GuestPhysAddr> alloc_2m();
  GuestPhysAddr next_table_of(uint64_t raw) const;

  Arch arch_;
  GuestOsConfig cfg_;
  GuestMemory& mem_;
  std::vector<GuestPhysAddrRange> ram_;
  size_t low_range_ = 0;  // 4 KiB frames grow upward through the ranges
  uint64_t low_ = 0;
  uint64_t high_ = 0;  // 2 MiB frames grow downward in the last range
  Stage1Regime regime_;
  GuestOsStats stats_;
  bool ok_ = true;
  std::string error_;
};

}  // namespace nptsim
