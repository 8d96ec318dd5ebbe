#include "models/sysc/memory_target.h"

#include "models/sysc/clock.h"

namespace nptsim::sysc {

MemoryTarget::MemoryTarget(sc_core::sc_module_name name, PhysMem& mem)
    : sc_module(name), socket("socket"), mem_(mem) {
  socket.register_b_transport(this, &MemoryTarget::b_transport);
}

void MemoryTarget::set_latency(unsigned id, PteLatency* model) {
  if (latency_.size() <= id) latency_.resize(id + 1, nullptr);
  latency_[id] = model;
}

void MemoryTarget::b_transport(int id, tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
  ++transactions_;
  const HostPhysAddr addr(t.get_address());
  if (t.is_read()) {
    mem_.read(addr, t.get_data_ptr(), t.get_data_length());
  } else if (t.is_write()) {
    mem_.write(addr, t.get_data_ptr(), t.get_data_length());
  }
  const auto idx = static_cast<size_t>(id);
  if (idx < latency_.size() && latency_[idx]) delay += cycle() * static_cast<double>(latency_[idx]->access(addr));
  t.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace nptsim::sysc
