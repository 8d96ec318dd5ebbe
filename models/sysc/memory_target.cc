#include "models/sysc/memory_target.h"

#include <cstring>

#include "models/sysc/clock.h"

namespace nptsim::sysc {

MemoryTarget::MemoryTarget(sc_core::sc_module_name name, PhysMem& mem)
    : sc_module(name), socket("socket"), mem_(mem), cycle_value_(cycle().value()) {
  delay_of_.reserve(1024);
  for (uint64_t c = 0; c < 1024; ++c) delay_of_.push_back(sc_core::sc_time::from_value(c * cycle_value_));
  socket.register_b_transport(this, &MemoryTarget::b_transport);
}

void MemoryTarget::set_latency(unsigned id, PteLatency* model) {
  if (latency_.size() <= id) latency_.resize(id + 1, nullptr);
  latency_[id] = model;
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
  if (idx < latency_.size() && latency_[idx]) {
    const uint32_t c = latency_[idx]->access(addr);
    delay += c < delay_of_.size() ? delay_of_[c] : sc_core::sc_time::from_value(cycle_value_ * c);
  }
  t.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace nptsim::sysc
