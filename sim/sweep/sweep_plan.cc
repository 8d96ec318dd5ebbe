#include "sim/sweep/sweep_plan.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "models/core/platform/params/sim_config.h"
#include "sim/run/param_options.h"
#include "sim/run/plots.h"
#include "sim/sweep/sweep_status.h"
#include "sim/util/atomic_file.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace nptsim::sweep {

namespace {

// run-job.sh: the one place that runs a job, for every engine (GNU parallel, Slurm, by hand).
constexpr const char* kRunJobScript = R"SH(#!/usr/bin/env bash
# Runs one job of this nptsim sweep: ./run-job.sh ID. Its command is ID's line of jobs.tsv; its
# output goes to logs/ID.log; on success the command itself wrote results/ID.json, on failure
# this script writes results/ID.failed (the exit status). Exit status: the command's.
set -u
dir="$(cd "$(dirname "$0")" && pwd)"
id="${1:?usage: run-job.sh ID}"
cmd="$(awk -F '\t' -v id="$id" '$1 == id { print $2; exit }' "$dir/jobs.tsv")"
if [ -z "$cmd" ]; then
  echo "run-job.sh: no job '$id' in $dir/jobs.tsv" >&2
  exit 2
fi
rm -f "$dir/results/$id.failed"
bash -c "$cmd" > "$dir/logs/$id.log" 2>&1
status=$?
if [ "$status" -ne 0 ]; then
  echo "exit status $status on $(hostname); log: logs/$id.log" > "$dir/results/$id.failed"
fi
exit "$status"
)SH";

// 64-bit FNV-1a: a stable hash across machines and builds (std::hash is neither).
uint64_t fnv1a(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex12(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return std::string(buf).substr(0, 12);
}

const std::map<std::string, std::string>& run_flags() {
  static const std::map<std::string, std::string> flags = {{"timing", "--timing"},
                                                           {"warmup", "--warmup"},
                                                           {"seed", "--seed"},
                                                           {"guest_ram", "--guest-ram"},
                                                           {"workload_count", "--workload-count"}};
  return flags;
}

std::vector<std::string> job_argv(const SweepSpec& spec, const SweepJob& job,
                                  const std::string& nptsim_path) {
  std::vector<std::string> a = {nptsim_path, "run",       "--quiet",  "--arch",
                                job.arch,    "--backend", job.backend};
  if (!job.trace.empty()) {
    const fs::path t(job.trace);
    a.insert(a.end(),
             {"--trace",
              (t.is_absolute() ? t : fs::path(spec.base_dir) / t).lexically_normal().string()});
  }
  if (!job.preset.empty()) a.insert(a.end(), {"--preset", job.preset});
  for (const auto& [key, value] : spec.run_options) {
    if (key == "warm_pass") {
      if (value == "on") a.push_back("--warm-pass");
    } else {
      a.insert(a.end(), {run_flags().at(key), value});
    }
  }
  for (const auto& [key, value] : spec.fixed) a.insert(a.end(), {"--set", key + "=" + value});
  for (const auto& [key, value] : job.point) a.insert(a.end(), {"--set", key + "=" + value});
  return a;
}

std::string job_id(const SweepJob& job) {
  std::string all = job.trace + '\n';  // as written: the same id wherever the tree is
  for (size_t i = 1; i < job.argv.size(); ++i) {
    if (job.argv[i - 1] != "--trace") all += job.argv[i] + '\n';  // not the binary's path
  }
  return job.arch + "-" + job.backend + "-" + hex12(fnv1a(all));
}

// Checks that the job's configuration can be built (preset, fixed keys, point): the
// constraints between keys (a TLB's entries a multiple of its ways, ...) that no single value
// shows. Base configurations (a preset and the fixed keys) are cached per preset and
// architecture.
class ConfigCheck {
 public:
  explicit ConfigCheck(const SweepSpec& spec) : spec_(spec) {}

  void check(const SweepJob& job) {
    SimConfig c = base(job.preset, job.arch);
    apply(c, job.point);
    std::optional<std::string> e = validate(c.platform.translation());
    if (!e) e = validate(c.platform.mem);
    if (e) throw SweepError(spec_.file + ": the job " + describe(job) + " is impossible: " + *e);
  }

 private:
  const SimConfig& base(const std::string& preset, const std::string& arch) {
    const std::string key = preset + "/" + arch;
    auto it = bases_.find(key);
    if (it != bases_.end()) return it->second;
    SimConfig c;
    if (!preset.empty()) {
      try {
        const auto per_arch = per_arch_presets(preset);
        c = load_preset(per_arch.empty() ? preset : per_arch.at(arch)).config;
      } catch (const std::exception& e) {
        throw SweepError(spec_.file + ": preset " + preset + ": " + e.what());
      }
    }
    apply(c, spec_.fixed);
    return bases_.emplace(key, c).first->second;
  }

  void apply(SimConfig& c, const KeyValues& kvs) const {
    for (const auto& [key, value] : kvs) {
      if (auto e = sim_params().apply(c, key, value, spec_.file)) throw SweepError(*e);
    }
  }

  static std::string describe(const SweepJob& job) {
    std::string d = "(" + job.arch + ", " + job.backend;
    if (!job.preset.empty()) d += ", preset " + job.preset;
    for (const auto& [key, value] : job.point) d += ", " + key + " = " + value;
    return d + ")";
  }

  const SweepSpec& spec_;
  std::map<std::string, SimConfig> bases_;
};

// Calls fn(point) for every combination of the axes' values, the last axis fastest.
template <class F>
void for_each_point(const std::vector<SweepAxis>& axes, F&& fn) {
  std::vector<size_t> at(axes.size(), 0);
  while (true) {
    KeyValues point;
    for (size_t i = 0; i < axes.size(); ++i) point.emplace_back(axes[i].key, axes[i].values[at[i]]);
    fn(point);
    size_t i = axes.size();
    while (i > 0 && ++at[i - 1] == axes[i - 1].values.size()) at[--i] = 0;
    if (i == 0) return;
  }
}

void write_file(const std::string& path, const std::string& text) {
  write_file_atomically(path, [&](std::ostream& out) { out << text; });
}

}  // namespace

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-./=,:+@%") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<SweepJob> expand(const SweepSpec& spec, const std::string& nptsim_path) {
  std::vector<SweepJob> jobs;
  std::map<std::string, size_t> ids;
  ConfigCheck config_check(spec);
  for (const std::string& trace : spec.traces) {
    for (const std::string& preset : spec.presets) {
      for_each_point(spec.axes, [&](const KeyValues& point) {
        for (const std::string& arch : spec.archs) {
          for (const std::string& backend : spec.backends) {
            SweepJob job{"", trace, preset, arch, backend, point, {}};
            config_check.check(job);
            job.argv = job_argv(spec, job, nptsim_path);
            job.id = job_id(job);
            if (!ids.emplace(job.id, jobs.size()).second)
              throw SweepError(spec.file + ": two jobs are the same (" + job.id +
                               "): a value is repeated in a list");
            jobs.push_back(std::move(job));
          }
        }
      });
    }
  }
  return jobs;
}

std::string job_command(const SweepJob& job, const std::string& result_path) {
  std::string cmd;
  for (const std::string& a : job.argv) cmd += (cmd.empty() ? "" : " ") + shell_quote(a);
  return cmd + " --json " + shell_quote(result_path);
}

size_t write_plan(const std::string& dir_arg, const SweepSpec& spec,
                  const std::vector<SweepJob>& jobs) {
  const std::string dir = fs::absolute(dir_arg).lexically_normal().string();
  make_dir(dir);
  make_dir(dir + "/results");
  make_dir(dir + "/logs");
  json manifest = {{"format", "nptsim-sweep"},
                   {"version", 1},
                   {"name", spec.name},
                   {"sweep_file", fs::absolute(spec.file).lexically_normal().string()},
                   {"axes", json::array()},
                   {"jobs", json::array()}};
  for (const SweepAxis& a : spec.axes) manifest["axes"].push_back(a.key);
  std::string tsv;
  size_t kept = 0;
  for (const SweepJob& job : jobs) {
    const std::string command = job_command(job, dir + "/results/" + job.id + ".json");
    json point = json::object();
    for (const auto& [key, value] : job.point) point[key] = value;
    manifest["jobs"].push_back({{"id", job.id},
                                {"trace", job.trace},
                                {"preset", job.preset},
                                {"arch", job.arch},
                                {"backend", job.backend},
                                {"point", point},
                                {"command", command}});
    tsv += job.id + "\t" + command + "\n";
    if (job_status(dir, job.id).state == JobState::Done) ++kept;
  }
  write_file(dir + "/manifest.json", manifest.dump(2) + "\n");
  write_file(dir + "/jobs.tsv", tsv);
  write_file(dir + "/run-job.sh", kRunJobScript);
  fs::permissions(dir + "/run-job.sh",
                  fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  return kept;
}

Plan read_plan(const std::string& dir_arg) {
  Plan plan;
  plan.dir = fs::absolute(dir_arg).lexically_normal().string();
  const std::string path = plan.dir + "/manifest.json";
  std::ifstream f(path);
  if (!f)
    throw std::runtime_error(path + ": cannot read (is " + dir_arg +
                             " a plan directory? nptsim sweep plan FILE --out DIR makes one)");
  try {
    const json m = json::parse(f);
    if (m.at("format") != "nptsim-sweep" || m.at("version") != 1)
      throw std::runtime_error("not an nptsim sweep manifest of version 1");
    plan.name = m.at("name");
    plan.sweep_file = m.at("sweep_file");
    for (const auto& a : m.at("axes")) plan.axes.push_back(a);
    for (const auto& j : m.at("jobs")) {
      SweepJob job{j.at("id"), j.at("trace"), j.at("preset"), j.at("arch"), j.at("backend"), {},
                   {}};
      for (const std::string& axis : plan.axes)
        job.point.emplace_back(axis, j.at("point").at(axis));
      plan.jobs.push_back(std::move(job));
    }
  } catch (const json::exception& e) {
    throw std::runtime_error(path + ": corrupt manifest: " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  return plan;
}

}  // namespace nptsim::sweep
