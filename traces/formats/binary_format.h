// The nptsim binary trace format (traces/FORMAT.md, "Binary"), version 1, little-endian:
// a 32-byte header (magic "NPTTRACE", version, address kind, record size, record count), then
// 16-byte records {addr u64, gap u32, vcpu u16, size u8, type u8}.
#pragma once

#include <cstdint>
#include <memory>

#include "traces/trace_reader.h"

namespace nptsim::trace {

constexpr char kBinaryMagic[8] = {'N', 'P', 'T', 'T', 'R', 'A', 'C', 'E'};
constexpr uint16_t kBinaryVersion = 1;
constexpr size_t kBinaryHeaderBytes = 32;
constexpr size_t kBinaryRecordBytes = 16;
constexpr uint64_t kUnknownCount = UINT64_MAX;  // header count of a stream written to a pipe

void encode_binary_header(AddrKind kind, uint64_t count, uint8_t out[kBinaryHeaderBytes]);
void encode_binary_record(const TraceRecord& r, uint8_t out[kBinaryRecordBytes]);

std::unique_ptr<TraceReader> make_binary_reader(std::unique_ptr<InputBuffer> in,
                                                const std::string& name);

}  // namespace nptsim::trace
