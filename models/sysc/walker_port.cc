#include "models/sysc/walker_port.h"

#include "models/sysc/clock.h"

namespace nptsim::sysc {

// Every transaction is one 8-byte PTE: the fields that never change are set once.
Stage2WalkerPort::Stage2WalkerPort(sc_core::sc_module_name name, const Clock& clock)
    : sc_module(name),
      socket("socket"),
      stage_ext_(new PteStageExtension),
      cycle_value_(clock.period_value()) {
  trans_.set_extension(stage_ext_);
  socket.register_invalidate_direct_mem_ptr(this, &Stage2WalkerPort::invalidate_dmi);
  dmi_request_.set_command(tlm::TLM_READ_COMMAND);
  trans_.set_data_length(8);
  trans_.set_streaming_width(8);
  trans_.set_byte_enable_ptr(nullptr);
  trans_.set_dmi_allowed(false);
}

void Stage2WalkerPort::transport(tlm::tlm_command cmd, HostPhysAddr pa, uint64_t* value,
                                 Stage stage) {
  stage_ext_->stage = stage;
  trans_.set_command(cmd);
  trans_.set_address(pa.value());
  trans_.set_data_ptr(reinterpret_cast<unsigned char*>(value));
  trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket->b_transport(trans_, delay);
  delay_sum_ += delay.value();
}

uint64_t Stage2WalkerPort::cycles() const { return delay_sum_ / cycle_value_; }  // as to_cycles()

const unsigned char* Stage2WalkerPort::dmi_frame(uint64_t frame) {
  DmiFrame& slot = dmi_[dmi_slot(frame)];
  tlm::tlm_dmi dmi;
  dmi_request_.set_address(frame << 12);
  if (!socket->get_direct_mem_ptr(dmi_request_, dmi) || !dmi.is_read_allowed() ||
      dmi.get_start_address() > (frame << 12) || dmi.get_end_address() < (frame << 12) + 0xFFF) {
    return nullptr;
  }
  slot.frame = frame;
  slot.data = dmi.get_dmi_ptr() + ((frame << 12) - dmi.get_start_address());
  return slot.data;
}

void Stage2WalkerPort::invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
  const uint64_t first = start >> 12, last = end >> 12;
  if (last - first < kDmiSlots) {  // the usual case: one discarded frame
    for (uint64_t f = first; f <= last; ++f) {
      DmiFrame& s = dmi_[dmi_slot(f)];
      if (s.frame == f) s = DmiFrame{};
    }
    return;
  }
  for (DmiFrame& s : dmi_) {
    if (s.frame != ~uint64_t{0} && s.frame >= first && s.frame <= last) s = DmiFrame{};
  }
}

void Stage2WalkerPort::write_pte(HostPhysAddr pa, uint64_t value, Stage stage) {
  transport(tlm::TLM_WRITE_COMMAND, pa, &value, stage);
}

}  // namespace nptsim::sysc
