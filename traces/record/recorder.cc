#include "traces/record/recorder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

int wait_status(pid_t pid) {
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 127;
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

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw TraceError(std::string("cannot create a pipe: ") + std::strerror(errno));
  std::vector<std::string> argv;
  if (res.tracer == Tracer::Lackey) {
    argv = {require_tool("valgrind", "valgrind"), "--tool=lackey", "--trace-mem=yes",
            "--log-fd=" + std::to_string(fds[1]), *program};
  } else {
    if (!plugin_ok)
      throw TraceError("the nptsim QEMU plugin was not found at '" + o.qemu_plugin +
                       "' (rebuild nptsim, or give --plugin PATH)");
    argv = {require_tool(qemu_for_elf(*program), "qemu-user"), "-plugin",
            o.qemu_plugin + ",fd=" + std::to_string(fds[1]) + (o.fetches ? "" : ",fetch=off"),
            *program};
  }
  res.tool = argv[0];
  argv.insert(argv.end(), o.argv.begin() + 1, o.argv.end());
  pid_t pid = spawn(argv, fds[1], fds[0]);
  ::close(fds[1]);

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
    std::vector<TraceRecord> batch(4096);
    while (size_t n = reader->read(batch.data(), batch.size())) {
      size_t kept = n;
      if (!o.fetches && res.tracer == Tracer::Lackey) {
        kept = 0;
        for (size_t i = 0; i < n; ++i) {
          if (batch[i].type != AccessType::Fetch) batch[kept++] = batch[i];
        }
      }
      writer->write(batch.data(), kept);
      if (o.on_progress) o.on_progress(writer->written());
    }
    writer->finish();
    res.records = writer->written();
  } catch (...) {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      wait_status(pid);
    }
    throw;
  }
  res.exit_status = wait_status(pid);
  return res;
}

}  // namespace nptsim::trace
