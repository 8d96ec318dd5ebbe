// The nptsim binary trace format (traces/FORMAT.md, "Binary"), little-endian: a 32-byte header
// (magic "NPTTRACE", version, address kind, record size, record count), then 16-byte records
// {addr u64, gap u32, vcpu u16, size u8, type u8}.
// Version 2 (written) adds events: type bytes 3..13 are EventKinds whose fields carry the
// operands of traces/record.h (checked with check_event; size may be 0). Version 1 (still read)
// has accesses only: a type byte above 2 is an error there.
#pragma once

#include <cstdint>
#include <memory>

#include "traces/trace_reader.h"

namespace nptsim::trace {

constexpr char kBinaryMagic[8] = {'N', 'P', 'T', 'T', 'R', 'A', 'C', 'E'};
constexpr uint16_t kBinaryVersion = 2;          // the version the writer writes
constexpr uint16_t kBinaryVersionNoEvents = 1;  // the oldest version read: accesses only
constexpr size_t kBinaryHeaderBytes = 32;
constexpr size_t kBinaryRecordBytes = 16;
constexpr uint64_t kUnknownCount = UINT64_MAX;  // header count of a stream written to a pipe

// `version` other than kBinaryVersion only for tests of older files.
void encode_binary_header(AddrKind kind, uint64_t count, uint8_t out[kBinaryHeaderBytes],
                          uint16_t version = kBinaryVersion);
void encode_binary_record(const TraceRecord& r, uint8_t out[kBinaryRecordBytes]);

std::unique_ptr<TraceReader> make_binary_reader(std::unique_ptr<InputBuffer> in,
                                                const std::string& name);

}  // namespace nptsim::trace
