#include "sim/sweep/sweep_engines.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "sim/sweep/sweep_status.h"

extern char** environ;

namespace fs = std::filesystem;

namespace nptsim::sweep {

namespace {

std::vector<char*> c_argv(std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (std::string& a : argv) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

// Starts `argv` with stdout and stderr into `log_path`; returns its pid. Throws when it cannot.
pid_t spawn_logged(std::vector<std::string> argv, const std::string& log_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  std::vector<char*> args = c_argv(argv);
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

bool in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t b = 0, e; b <= dirs.size(); b = e + 1) {
    e = dirs.find(':', b);
    if (e == std::string::npos) e = dirs.size();
    const fs::path p = fs::path(dirs.substr(b, e - b)) / program;
    if (access(p.c_str(), X_OK) == 0) return true;
  }
  return false;
}

// The progress line of a local sweep: in place on a terminal, else a line per finished job at
// most every 10 seconds.
class SweepProgress {
 public:
  SweepProgress(std::string name, size_t total, bool quiet)
      : name_(std::move(name)), total_(total), quiet_(quiet), tty_(isatty(2)) {}

  void update(size_t finished, size_t failed, bool force = false) {
    if (quiet_) return;
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const bool changed = finished != last_finished_;
    if (!force && !(tty_ ? now - last_ >= std::chrono::milliseconds(500)
                         : changed && now - last_ >= std::chrono::seconds(10)))
      return;
    last_ = now;
    last_finished_ = finished;
    char left[48] = "";
    if (finished > 0 && finished < total_)
      std::snprintf(
          left, sizeof left, ", about %.0f s left",
          elapsed / static_cast<double>(finished) * static_cast<double>(total_ - finished));
    std::fprintf(stderr, "%ssweep %s: %zu/%zu jobs finished, %zu failed, %.0f s%s%s",
                 tty_ ? "\r\033[K" : "", name_.c_str(), finished, total_, failed, elapsed, left,
                 tty_ ? "" : "\n");
  }
  void finish() {
    if (!quiet_ && tty_) std::fprintf(stderr, "\n");
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::string name_;
  size_t total_;
  bool quiet_, tty_;
  size_t last_finished_ = 0;
  Clock::time_point start_ = Clock::now(), last_ = Clock::time_point{};
};

// The plan's jobs without a valid result; corrupt results are deleted so that they re-run.
std::vector<std::string> unfinished_jobs(const Plan& plan) {
  std::vector<std::string> ids;
  for (const SweepJob& job : plan.jobs) {
    const JobStatus s = job_status(plan.dir, job.id);
    if (s.state == JobState::Done) continue;
    if (s.state == JobState::Corrupt) fs::remove(plan.dir + "/results/" + job.id + ".json");
    ids.push_back(job.id);
  }
  return ids;
}

void count_finished(const Plan& plan, const std::vector<std::string>& ids, size_t& finished,
                    size_t& failed) {
  finished = failed = 0;
  for (const std::string& id : ids) {
    const std::string base = plan.dir + "/results/" + id;
    if (fs::exists(base + ".json"))
      ++finished;
    else if (fs::exists(base + ".failed"))
      ++finished, ++failed;
  }
}

}  // namespace

int run_program(const std::vector<std::string>& argv_in) {
  std::vector<std::string> argv = argv_in;
  std::vector<char*> args = c_argv(argv);
  pid_t pid = 0;
  if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return 127;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

size_t run_with_parallel(const Plan& plan, unsigned jobs, bool quiet) {
  const std::vector<std::string> ids = unfinished_jobs(plan);
  if (ids.empty()) return 0;
  if (!in_path("parallel"))
    throw std::runtime_error(
        "GNU parallel is not installed: apt-get install parallel (or bash scripts/setup.sh)");
  const std::string queue = plan.dir + "/logs/queue.txt";
  {
    std::ofstream q(queue);
    for (const std::string& id : ids) q << id << '\n';
    if (!q) throw std::runtime_error("cannot write '" + queue + "'");
  }
  for (const std::string& id : ids) fs::remove(plan.dir + "/results/" + id + ".failed");
  const std::string log = plan.dir + "/logs/parallel.log";
  const pid_t pid = spawn_logged(
      {"parallel", "--will-cite", "-j", std::to_string(jobs), "--joblog",
       "+" + plan.dir + "/logs/joblog.tsv", "bash", plan.dir + "/run-job.sh", "{}", "::::", queue},
      log);
  SweepProgress progress(plan.name, ids.size(), quiet);
  int status = 0;
  size_t finished = 0, failed = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    count_finished(plan, ids, finished, failed);
    if (done == pid) break;
    progress.update(finished, failed);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  progress.update(finished, failed, true);
  progress.finish();
  // GNU parallel exits with the number of failed jobs (at most 100), 255 on its own errors.
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 101)
    throw std::runtime_error("GNU parallel failed (exit status " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                             "); see " + log);
  return ids.size() - (finished - failed);
}

std::string array_ranges(const std::vector<size_t>& indices) {
  std::string out;
  for (size_t i = 0; i < indices.size();) {
    size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(indices[i]);
    if (j > i) out += "-" + std::to_string(indices[j]);
    i = j + 1;
  }
  return out;
}

std::string write_slurm_script(const Plan& plan, const SlurmOptions& o, size_t& count) {
  std::vector<size_t> lines;  // 1-based lines of jobs.tsv = the jobs' array indices
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    if (job_status(plan.dir, plan.jobs[i].id).state != JobState::Done) lines.push_back(i + 1);
  }
  count = lines.size();
  const std::string path = plan.dir + "/sweep.sbatch";
  if (lines.empty()) return path;
  std::ofstream f(path);
  f << "#!/bin/bash\n"
    << "# nptsim sweep '" << plan.name << "': a Slurm job array, one task per unfinished job\n"
    << "# (array index = the job's line in jobs.tsv). Submit with: sbatch " << path << "\n"
    << "#SBATCH --job-name=nptsim-" << plan.name << "\n"
    << "#SBATCH --array=" << array_ranges(lines)
    << (o.throttle ? "%" + std::to_string(o.throttle) : "") << "\n"
    << "#SBATCH --time=" << o.time << "\n"
    << "#SBATCH --mem=" << o.mem << "\n"
    << "#SBATCH --cpus-per-task=" << o.cpus << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --output=" << plan.dir << "/logs/slurm-%A_%a.out\n";
  if (!o.partition.empty()) f << "#SBATCH --partition=" << o.partition << "\n";
  if (!o.account.empty()) f << "#SBATCH --account=" << o.account << "\n";
  for (size_t b = 0, e; b < o.extra.size(); b = e + 1) {
    e = o.extra.find(';', b);
    if (e == std::string::npos) e = o.extra.size();
    if (e > b) f << "#SBATCH " << o.extra.substr(b, e - b) << "\n";
  }
  f << "set -u\n"
    << "id=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" " << shell_quote(plan.dir + "/jobs.tsv")
    << " | cut -f1)\n"
    << "exec bash " << shell_quote(plan.dir + "/run-job.sh") << " \"$id\"\n";
  if (!f) throw std::runtime_error("cannot write '" + path + "'");
  return path;
}

}  // namespace nptsim::sweep
