// ChampSim `input_instr` binary traces (the ChampSim trace ecosystem's format): 64-byte records
// {ip u64, is_branch u8, branch_taken u8, destination_registers[2] u8, source_registers[4] u8,
// destination_memory[2] u64, source_memory[4] u64}, little-endian. Each instruction yields a
// fetch of `ip`, then a read per non-zero source_memory, then a write per non-zero
// destination_memory. ChampSim records no sizes: fetches are given 4 bytes, data accesses 8.
// Addresses are guest-virtual.
#pragma once

#include <memory>

#include "traces/trace_reader.h"

namespace nptsim::trace {

constexpr size_t kChampSimRecordBytes = 64;
constexpr uint8_t kChampSimFetchSize = 4;
constexpr uint8_t kChampSimDataSize = 8;

std::unique_ptr<TraceReader> make_champsim_reader(std::unique_ptr<InputBuffer> in,
                                                  const std::string& name);

}  // namespace nptsim::trace
