// PteMemory: where a walker reads (and A/D-updates) page-table entries. The functional model
// reads PhysMem directly; the SystemC model turns every call into a timed TLM transaction.
#pragma once

#include <cstdint>

#include "models/core/common/addr.h"
#include "models/core/mem/cache_hierarchy.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/walk/walk_types.h"

namespace nptsim {

// The cache class of a PTE access by the stage whose table holds the entry.
constexpr MemClass pte_class(Stage s) {
  return s == Stage::Stage1 ? MemClass::PteS1 : MemClass::PteS2;
}

class PteMemory {
 public:
  virtual ~PteMemory() = default;
  // `stage`: whose table the entry belongs to (the caches count the classes apart).
  virtual uint64_t read_pte(HostPhysAddr pa, Stage stage) = 0;
  virtual void write_pte(HostPhysAddr pa, uint64_t value, Stage stage) = 0;
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
  uint64_t read_pte(HostPhysAddr pa, Stage) override { return m_.read_u64(pa); }
  void write_pte(HostPhysAddr pa, uint64_t v, Stage) override { m_.write_u64(pa, v); }

 private:
  PhysMem& m_;
};

// PhysMem with the latency of the vCPU's caches charged per access (the functional, timing-off
// path; the SystemC memory target charges the same caches per TLM transaction).
class LatencyPteMemory final : public PteMemory {
 public:
  LatencyPteMemory(PhysMem& m, CoreCaches& caches) : m_(m), caches_(caches) {}
  uint64_t read_pte(HostPhysAddr pa, Stage stage) override {
    cycles_ += caches_.access(pa, pte_class(stage));
    return m_.read_u64(pa);
  }
  void write_pte(HostPhysAddr pa, uint64_t v, Stage stage) override {
    cycles_ += caches_.access(pa, pte_class(stage));
    m_.write_u64(pa, v);
  }

 private:
  PhysMem& m_;
  CoreCaches& caches_;
};

}  // namespace nptsim
