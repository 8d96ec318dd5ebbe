// Recording real programs into nptsim binary traces, streamed (nothing held in full):
//   lackey: valgrind --tool=lackey --trace-mem=yes, its log read through a pipe;
//   qemu:   qemu-user (qemu-x86_64, qemu-aarch64, qemu-riscv64, chosen by the program's ELF
//           machine) with nptsim's TCG plugin writing binary records into a pipe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "traces/record/record_window.h"

namespace nptsim::trace {

enum class Tracer { Lackey, Qemu };
const char* to_string(Tracer t);
std::optional<Tracer> parse_tracer(const std::string& s);

struct RecordOptions {
  std::optional<Tracer> tracer;   // nothing = qemu where available, else lackey
  std::string out;                // output .nptb path
  std::vector<std::string> argv;  // the program and its arguments
  std::string qemu_plugin;        // path of libnptsim_qemu_plugin.so
  bool fetches = true;            // also record instruction fetches
  // The sampling window, counted in trace records (after --no-fetch drops fetches): the first
  // `skip` records are not written; after `max_records` written ones the program is stopped and
  // the trace ends there (a complete, readable trace). The qemu plugin applies both itself (no
  // skipped record crosses the pipe); for lackey the stream reader does.
  uint64_t skip = 0;
  uint64_t max_records = RecordWindow::kNoLimit;
  std::function<void(uint64_t)> on_progress;  // called with the record count now and then
};

struct RecordResult {
  Tracer tracer = Tracer::Lackey;
  std::string tool;  // the command that ran the program
  uint64_t records = 0;
  int exit_status = 0;  // the program's (or the tool's) exit status, 128+N for signal N
  bool cut = false;     // the trace reached max_records and the program was stopped there
};

// Runs the program under the tracer and writes the trace. Throws TraceError with a message that
// says what to do for a missing tool ("install the Debian package ..."), a program that cannot be
// found, or a trace that cannot be written.
RecordResult record_program(const RecordOptions& opts);

// Which qemu-user binary runs this ELF file ("qemu-x86_64", ...); throws TraceError otherwise.
std::string qemu_for_elf(const std::string& program_path);

}  // namespace nptsim::trace
