// Trace writers for the formats nptsim can write: text and binary (traces/FORMAT.md).
// Output goes to a file or standard output ("-"), through a fixed buffer.
#pragma once

#include <memory>
#include <string>

#include "traces/trace_reader.h"

namespace nptsim::trace {

class TraceWriter {
 public:
  virtual ~TraceWriter() = default;
  virtual void write(const TraceRecord* records, size_t n) = 0;
  // Flushes everything (and, for a seekable binary file, records the count in the header).
  // Throws TraceError on an I/O error. Must be called; the destructor does not report errors.
  virtual void finish() = 0;
  virtual uint64_t written() const = 0;
};

// Text or Binary; throws TraceError for another format or an output that cannot be created.
std::unique_ptr<TraceWriter> open_trace_writer(TraceFormat format, const std::string& path,
                                               AddrKind kind);

// The output format that a file name asks for: ".txt" -> text, ".nptb" -> binary.
std::optional<TraceFormat> format_for_extension(const std::string& path);

}  // namespace nptsim::trace
