#include "models/sysc/walker_port.h"

#include "models/sysc/clock.h"

namespace nptsim::sysc {

// Every transaction is one 8-byte PTE: the fields that never change are set once.
Stage2WalkerPort::Stage2WalkerPort(sc_core::sc_module_name name) : sc_module(name), socket("socket") {
  trans_.set_data_length(8);
  trans_.set_streaming_width(8);
  trans_.set_byte_enable_ptr(nullptr);
  trans_.set_dmi_allowed(false);
}

void Stage2WalkerPort::transport(tlm::tlm_command cmd, HostPhysAddr pa, uint64_t* value) {
  trans_.set_command(cmd);
  trans_.set_address(pa.value());
  trans_.set_data_ptr(reinterpret_cast<unsigned char*>(value));
  trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket->b_transport(trans_, delay);
  delay_sum_ += delay.value();
}

uint64_t Stage2WalkerPort::cycles() const { return to_cycles(sc_core::sc_time::from_value(delay_sum_)); }

// PTEs are little-endian in memory, and so is the host (x86_64, aarch64, riscv64 Linux).
uint64_t Stage2WalkerPort::read_pte(HostPhysAddr pa) {
  uint64_t v = 0;
  transport(tlm::TLM_READ_COMMAND, pa, &v);
  return v;
}

void Stage2WalkerPort::write_pte(HostPhysAddr pa, uint64_t value) {
  transport(tlm::TLM_WRITE_COMMAND, pa, &value);
}

}  // namespace nptsim::sysc
