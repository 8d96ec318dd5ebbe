#include "traces/record/recorder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "traces/io/byte_source.h"
#include "traces/io/trace_error.h"
#include "traces/trace_writer.h"

namespace nptsim::trace {

namespace {

// The full path of `name` on PATH (or `name` itself when it contains a slash), if executable.
std::optional<std::string> find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return ::access(name.c_str(), X_OK) == 0 ? std::optional<std::string>(name) : std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string cand = dirs.substr(start, end - start) + "/" + name;
    struct stat st;
    if (::stat(cand.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(cand.c_str(), X_OK) == 0)
      return cand;
    start = end + 1;
  }
  return std::nullopt;
}

std::string require_tool(const std::string& tool, const char* package) {
  auto p = find_executable(tool);
  if (!p) throw TraceError(tool + " not found: install the Debian package '" + package + "'");
  return *p;
}

// Forks and execs argv with the pipe's write end open in the child; returns the child's pid.
pid_t spawn(const std::vector<std::string>& argv, int keep_fd, int close_fd) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0)
    throw TraceError(std::string("cannot start ") + argv[0] + ": " + std::strerror(errno));
  if (pid == 0) {
    ::close(close_fd);
    int flags = ::fcntl(keep_fd, F_GETFD);
    ::fcntl(keep_fd, F_SETFD, flags & ~FD_CLOEXEC);
    ::execv(cargv[0], cargv.data());
    std::fprintf(stderr, "nptsim record: cannot run %s: %s\n", cargv[0], std::strerror(errno));
    std::_Exit(127);
  }
  return pid;
}

int decode_status(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 127;
}

int wait_status(pid_t pid) {
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  return decode_status(st);
}

// Stops a program whose trace is complete: SIGTERM (the program may clean up, e.g. sort's
// temporary files), SIGKILL if it is still running 2 s later. Returns its exit status.
int stop_program(pid_t pid) {
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    int st = 0;
    const pid_t r = ::waitpid(pid, &st, WNOHANG);
    if (r == pid) return decode_status(st);
    if (r < 0 && errno != EINTR) return 127;
    ::usleep(10000);
  }
  ::kill(pid, SIGKILL);
  return wait_status(pid);
}

// The command that runs the program under the tracer, writing its output to descriptor `fd`.
std::vector<std::string> tracer_argv(Tracer tracer, const std::string& program,
                                     const RecordOptions& o, int fd) {
  if (tracer == Tracer::Lackey) {
    return {require_tool("valgrind", "valgrind"), "--tool=lackey", "--trace-mem=yes",
            "--log-fd=" + std::to_string(fd), program};
  }
  std::string plugin = o.qemu_plugin + ",fd=" + std::to_string(fd);
  if (!o.fetches) plugin += ",fetch=off";
  if (o.skip) plugin += ",skip=" + std::to_string(o.skip);
  if (o.max_records != RecordWindow::kNoLimit) plugin += ",max=" + std::to_string(o.max_records);
  return {require_tool(qemu_for_elf(program), "qemu-user"), "-plugin", plugin, program};
}

// Copies the records of `reader` that fall in `window` to `writer` (dropping lackey's fetches
// under --no-fetch first; anything else, events included, is kept) until the input ends or the
// window is full. Never asks the reader for records beyond the window, so it does not wait for
// input it would not keep.
void copy_window(TraceReader& reader, TraceWriter& writer, RecordWindow& window, bool drop_fetches,
                 const std::function<void(uint64_t)>& on_progress) {
  std::vector<TraceRecord> batch(4096);
  while (!window.full()) {
    const uint64_t want = std::max<uint64_t>(16, std::min<uint64_t>(batch.size(), window.wanted()));
    const size_t n = reader.read(batch.data(), static_cast<size_t>(want));
    if (n == 0) break;
    size_t kept = n;
    if (drop_fetches) {
      kept = 0;
      for (size_t i = 0; i < n; ++i) {
        if (batch[i].type != AccessType::Fetch) batch[kept++] = batch[i];
      }
    }
    const RecordWindow::Slice s = window.offer(kept);
    writer.write(batch.data() + s.first, static_cast<size_t>(s.count));
    if (on_progress) on_progress(writer.written());
  }
}

}  // namespace

const char* to_string(Tracer t) { return t == Tracer::Lackey ? "lackey" : "qemu"; }

std::optional<Tracer> parse_tracer(const std::string& s) {
  if (s == "lackey") return Tracer::Lackey;
  if (s == "qemu") return Tracer::Qemu;
  return std::nullopt;
}

std::string qemu_for_elf(const std::string& program_path) {
  std::ifstream f(program_path, std::ios::binary);
  unsigned char h[20] = {};
  if (!f.read(reinterpret_cast<char*>(h), sizeof h) || std::memcmp(h,
                                                                   "\x7f"
                                                                   "ELF",
                                                                   4) != 0) {
    throw TraceError(program_path + ": not an ELF executable (qemu-user runs ELF programs)");
  }
  const unsigned machine = h[5] == 1 ? (h[18] | (h[19] << 8)) : ((h[18] << 8) | h[19]);
  switch (machine) {
    case 62:
      return "qemu-x86_64";
    case 183:
      return "qemu-aarch64";
    case 243:
      return "qemu-riscv64";
    default:
      throw TraceError(program_path + ": ELF machine " + std::to_string(machine) +
                       " is not one nptsim records (x86_64, aarch64, riscv64)");
  }
}

RecordResult record_program(const RecordOptions& o) {
  if (o.argv.empty())
    throw TraceError("no program given (nptsim record [OPTIONS] -- PROGRAM [ARGS...])");
  auto program = find_executable(o.argv[0]);
  if (!program) throw TraceError(o.argv[0] + ": program not found or not executable");

  RecordResult res;
  const bool plugin_ok = !o.qemu_plugin.empty() && ::access(o.qemu_plugin.c_str(), R_OK) == 0;
  if (o.tracer) {
    res.tracer = *o.tracer;
  } else {
    bool qemu_ok = false;
    try {
      qemu_ok = plugin_ok && find_executable(qemu_for_elf(*program)).has_value();
    } catch (const TraceError&) {
    }
    res.tracer = qemu_ok ? Tracer::Qemu : Tracer::Lackey;
  }

  if (res.tracer == Tracer::Qemu && !plugin_ok)
    throw TraceError("the nptsim QEMU plugin was not found at '" + o.qemu_plugin +
                     "' (rebuild nptsim, or give --plugin PATH)");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw TraceError(std::string("cannot create a pipe: ") + std::strerror(errno));
  std::vector<std::string> argv;
  try {
    argv = tracer_argv(res.tracer, *program, o, fds[1]);
  } catch (...) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw;
  }
  res.tool = argv[0];
  argv.insert(argv.end(), o.argv.begin() + 1, o.argv.end());
  pid_t pid = spawn(argv, fds[1], fds[0]);
  ::close(fds[1]);

  // The plugin applies the window itself; the recorder still stops at max_records.
  RecordWindow window{res.tracer == Tracer::Lackey ? o.skip : 0, o.max_records};
  try {
    std::unique_ptr<TraceReader> reader;
    try {
      reader =
          make_reader(res.tracer == Tracer::Lackey ? TraceFormat::Lackey : TraceFormat::Binary,
                      std::make_unique<InputBuffer>(fd_source(fds[0], true, res.tool + " output")),
                      res.tool + " output");
    } catch (const TraceError& e) {
      const int st = wait_status(pid);
      pid = -1;
      throw TraceError(res.tool + " produced no trace (exit status " + std::to_string(st) +
                       (res.tracer == Tracer::Qemu ? "; see its message above" : "") +
                       "): " + e.what());
    }
    auto writer = open_trace_writer(TraceFormat::Binary, o.out, AddrKind::GuestVirtual);
    copy_window(*reader, *writer, window, !o.fetches && res.tracer == Tracer::Lackey,
                o.on_progress);
    res.cut = window.full();
    reader.reset();  // closes the pipe: a tracer still writing to it gets EPIPE
    writer->finish();
    res.records = writer->written();
  } catch (...) {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      wait_status(pid);
    }
    throw;
  }
  res.exit_status = res.cut ? stop_program(pid) : wait_status(pid);
  return res;
}

}  // namespace nptsim::trace
