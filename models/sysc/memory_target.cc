#include "models/sysc/memory_target.h"

#include <cstring>

#include "models/core/walk/pte_memory.h"
#include "models/sysc/clock.h"

namespace nptsim::sysc {

MemoryTarget::MemoryTarget(sc_core::sc_module_name name, PhysMem& mem, const Clock& clock)
    : sc_module(name), socket("socket"), mem_(mem), cycle_value_(clock.period_value()) {
  delay_of_.reserve(1024);
  for (uint64_t c = 0; c < 1024; ++c)
    delay_of_.push_back(sc_core::sc_time::from_value(c * cycle_value_));
  socket.register_b_transport(this, &MemoryTarget::b_transport);
  socket.register_get_direct_mem_ptr(this, &MemoryTarget::get_direct_mem_ptr);
  mem_.set_discard_listener([this](HostPhysAddr frame) {
    for (unsigned i = 0; i < socket.size(); ++i)
      socket[i]->invalidate_direct_mem_ptr(frame.value(), frame.value() + 0xFFF);
  });
}

void MemoryTarget::set_caches(unsigned id, CoreCaches* caches) {
  if (caches_.size() <= id) caches_.resize(id + 1, nullptr);
  caches_[id] = caches;
}

void MemoryTarget::b_transport(int id, tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
  ++transactions_;
  const HostPhysAddr addr(t.get_address());
  unsigned char* data = t.get_data_ptr();
  const unsigned len = t.get_data_length();
  // A PTE: one aligned little-endian word (the host is little-endian too).
  const bool word = len == 8 && (addr.value() & 7) == 0;
  if (t.is_read()) {
    if (word) {
      const uint64_t v = mem_.read_u64(addr);
      std::memcpy(data, &v, 8);
    } else {
      mem_.read(addr, data, len);
    }
  } else if (t.is_write()) {
    if (word) {
      uint64_t v;
      std::memcpy(&v, data, 8);
      mem_.write_u64(addr, v);
    } else {
      mem_.write(addr, data, len);
    }
  }
  const auto idx = static_cast<size_t>(id);
  if (idx < caches_.size() && caches_[idx]) {
    const PteStageExtension* ext = t.get_extension<PteStageExtension>();
    const uint32_t c = caches_[idx]->access(addr, pte_class(ext ? ext->stage : Stage::Stage2));
    delay += c < delay_of_.size() ? delay_of_[c] : sc_core::sc_time::from_value(cycle_value_ * c);
  }
  t.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool MemoryTarget::get_direct_mem_ptr(int, tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
  const uint64_t base = t.get_address() & ~uint64_t{0xFFF};
  dmi.set_start_address(base);
  dmi.set_end_address(base + 0xFFF);
  const PhysMem::Frame* f = mem_.frame_if_touched(HostPhysAddr(base));
  if (!f) {  // never written: reads go through b_transport (they read zeros)
    dmi.allow_none();
    return false;
  }
  // Read-only grant: the pointer is never written through (A/D write-backs use b_transport).
  dmi.set_dmi_ptr(const_cast<unsigned char*>(f->data()));
  dmi.allow_read();
  dmi.set_read_latency(sc_core::SC_ZERO_TIME);
  dmi.set_write_latency(sc_core::SC_ZERO_TIME);
  return true;
}

}  // namespace nptsim::sysc
