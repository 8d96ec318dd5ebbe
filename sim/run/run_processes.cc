#include "sim/run/run_processes.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "sim/run/result_wire.h"
#include "traces/io/trace_error.h"

namespace nptsim {

namespace {

// A child's message: one status byte ('R' results, 'T' trace error, 'E' other error), then the
// results or the error text.
std::string child_message(const RunJob& job) {
  try {
    std::string out = "R";
    for (const RunResult& r : run_job(job)) write_result(out, r);
    return out;
  } catch (const trace::TraceError& e) {
    return std::string("T") + e.what();
  } catch (const std::exception& e) {
    return std::string("E") + e.what();
  }
}

void write_all(int fd, const std::string& data) {
  for (size_t done = 0; done < data.size();) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent is gone: nothing to report to
    done += static_cast<size_t>(n);
  }
}

std::string read_all(int fd) {
  std::string data;
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::vector<size_t> runs;  // indices into job.platforms
};

Child start_child(const RunJob& job, std::vector<size_t> runs, bool progress) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    RunJob mine = job;
    mine.platforms.clear();
    for (size_t i : runs) mine.platforms.push_back(job.platforms[i]);
    mine.progress = progress;
    write_all(fds[1], child_message(mine));
    ::_exit(0);  // no static destructors (SystemC's kernel) in the child
  }
  ::close(fds[1]);
  return Child{pid, fds[0], std::move(runs)};
}

// The child's results, in its runs' order; throws its error.
std::vector<RunResult> finish_child(Child& c) {
  const std::string msg = read_all(c.fd);
  ::close(c.fd);
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || msg.empty()) {
    throw std::runtime_error("a simulation process died" +
                             (WIFSIGNALED(status)
                                  ? " (signal " + std::to_string(WTERMSIG(status)) + ")"
                                  : std::string()) +
                             "; --jobs 1 runs everything in one process");
  }
  if (msg[0] == 'T') throw trace::TraceError(msg.substr(1));
  if (msg[0] == 'E') throw std::runtime_error(msg.substr(1));
  std::vector<RunResult> out(c.runs.size());
  size_t pos = 1;
  for (RunResult& r : out) {
    if (!read_result(msg, pos, r))
      throw std::runtime_error("a simulation process's results were cut short");
  }
  return out;
}

}  // namespace

std::vector<RunResult> run_job_in_processes(const RunJob& job, unsigned processes) {
  const size_t runs = job.platforms.size();
  if (processes <= 1 || runs <= 1) return run_job(job);
  const size_t n = std::min<size_t>(processes, runs);
  std::vector<Child> children;
  for (size_t c = 0; c < n; ++c) {
    std::vector<size_t> mine;
    for (size_t i = c; i < runs; i += n) mine.push_back(i);  // runs interleaved: balanced shares
    children.push_back(start_child(job, std::move(mine), job.progress && c == 0));
  }
  std::vector<RunResult> out(runs);
  std::string first_error;
  bool trace_error = false;
  for (Child& c : children) {  // wait for every child, even after an error
    try {
      std::vector<RunResult> got = finish_child(c);
      for (size_t k = 0; k < got.size(); ++k) out[c.runs[k]] = std::move(got[k]);
    } catch (const trace::TraceError& e) {
      if (first_error.empty()) first_error = e.what(), trace_error = true;
    } catch (const std::runtime_error& e) {
      if (first_error.empty()) first_error = e.what();
    }
  }
  if (trace_error) throw trace::TraceError(first_error);
  if (!first_error.empty()) throw std::runtime_error(first_error);
  return out;
}

}  // namespace nptsim
