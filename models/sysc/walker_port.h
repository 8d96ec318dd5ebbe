// Stage2WalkerPort: a vCPU's walker's path to memory. The core walkers read every PTE through
// this port. Each A/D write-back, and each read when DMI is off, is a TLM-2.0 b_transport of the
// real 8 bytes to the memory target, whose annotated delay becomes the walk's cycles. With DMI
// on (use_dmi), reads go through the target's DMI grant of the PTE's frame and are charged by
// the vCPU's caches, the object the target would charge: cycles, counters and data are the same
// either way, only the host cost differs (DESIGN.md, SystemC style). Transactions carry the
// entry's stage (PteStageExtension).
#pragma once

#include <tlm_utils/simple_initiator_socket.h>

#include <array>
#include <cstring>
#include <systemc>
#include <tlm>

#include "models/core/mem/cache_hierarchy.h"
#include "models/core/walk/pte_memory.h"
#include "models/sysc/clock.h"
#include "models/sysc/memory_target.h"

namespace nptsim::sysc {

class Stage2WalkerPort : public sc_core::sc_module, public PteMemory {
 public:
  tlm_utils::simple_initiator_socket<Stage2WalkerPort> socket;

  Stage2WalkerPort(sc_core::sc_module_name name, const Clock& clock);
  // PTEs are little-endian in memory, and so is the host (x86_64, aarch64, riscv64 Linux).
  uint64_t read_pte(HostPhysAddr pa, Stage stage) override {
    uint64_t v = 0;
    if (dmi_caches_ && (pa.value() & 7) == 0) {
      const uint64_t frame = pa.value() >> 12;
      const DmiFrame& slot = dmi_[dmi_slot(frame)];
      const unsigned char* data = slot.frame == frame ? slot.data : dmi_frame(frame);
      if (data) {
        std::memcpy(&v, data + (pa.value() & 0xFFF), 8);
        delay_sum_ += cycle_value_ * dmi_caches_->access(pa, pte_class(stage));
        return v;
      }
    }
    transport(tlm::TLM_READ_COMMAND, pa, &v, stage);
    return v;
  }
  void write_pte(HostPhysAddr pa, uint64_t value, Stage stage) override;
  uint64_t cycles() const override;
  // Reads via DMI from now on, charged to `caches` (this vCPU's caches in the memory target).
  void use_dmi(CoreCaches* caches) { dmi_caches_ = caches; }

 private:
  struct DmiFrame {
    uint64_t frame = ~uint64_t{0};
    const unsigned char* data = nullptr;
  };
  // Direct-mapped by a hash of the frame number: frames a fixed distance apart (a guest's
  // tables and the stage-2 tables that map them) do not keep evicting each other.
  static constexpr size_t kDmiSlots = 4096;
  static size_t dmi_slot(uint64_t frame) {
    return static_cast<size_t>((frame * 0x9E3779B97F4A7C15ULL) >> 52);
  }
  // Asks the target for a grant of `frame` and caches it; the frame's data, or nullptr (then
  // b_transport).
  const unsigned char* dmi_frame(uint64_t frame);
  void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
  void transport(tlm::tlm_command cmd, HostPhysAddr pa, uint64_t* value, Stage stage);
  tlm::tlm_generic_payload trans_;
  PteStageExtension* stage_ext_;  // owned by trans_ (freed with it)
  // Sum of the annotated delays in SystemC time units (converted to cycles when read, so no
  // division per transaction).
  sc_core::sc_time::value_type delay_sum_ = 0;
  CoreCaches* dmi_caches_ = nullptr;
  std::array<DmiFrame, kDmiSlots> dmi_{};
  tlm::tlm_generic_payload dmi_request_;
  sc_core::sc_time::value_type cycle_value_;
};

}  // namespace nptsim::sysc
