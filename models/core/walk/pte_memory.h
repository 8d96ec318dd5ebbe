// PteMemory: where a walker reads (and A/D-updates) page-table entries. The functional model
// reads PhysMem directly; the SystemC model turns every call into a timed TLM transaction.
#pragma once

#include <cstdint>

#include "models/core/common/addr.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/mem/pte_latency.h"

namespace nptsim {

class PteMemory {
 public:
  virtual ~PteMemory() = default;
  virtual uint64_t read_pte(HostPhysAddr pa) = 0;
  virtual void write_pte(HostPhysAddr pa, uint64_t value) = 0;
  // Cycles all accesses so far have cost (always 0 for an untimed memory). Read once or twice
  // per walk, so a memory may keep its own unit and convert here.
  virtual uint64_t cycles() const { return cycles_; }

 protected:
  uint64_t cycles_ = 0;
};

// Untimed access straight to PhysMem.
class DirectPteMemory final : public PteMemory {
 public:
  explicit DirectPteMemory(PhysMem& m) : m_(m) {}
  uint64_t read_pte(HostPhysAddr pa) override { return m_.read_u64(pa); }
  void write_pte(HostPhysAddr pa, uint64_t v) override { m_.write_u64(pa, v); }

 private:
  PhysMem& m_;
};

// PhysMem with the latency of a PteLatency model charged per access (the functional,
// timing-off path; the SystemC memory target charges the same model per TLM transaction).
class LatencyPteMemory final : public PteMemory {
 public:
  LatencyPteMemory(PhysMem& m, PteLatency& lat) : m_(m), lat_(lat) {}
  uint64_t read_pte(HostPhysAddr pa) override {
    cycles_ += lat_.access(pa);
    return m_.read_u64(pa);
  }
  void write_pte(HostPhysAddr pa, uint64_t v) override {
    cycles_ += lat_.access(pa);
    m_.write_u64(pa, v);
  }

 private:
  PhysMem& m_;
  PteLatency& lat_;
};

}  // namespace nptsim
