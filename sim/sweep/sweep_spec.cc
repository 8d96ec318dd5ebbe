#include "sim/sweep/sweep_spec.h"

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <sstream>

#include "models/core/arch/arch_registry.h"
#include "models/core/common/size_parse.h"
#include "models/core/platform/guest_layout.h"
#include "models/core/platform/params/sim_config.h"
#include "sim/run/param_options.h"

namespace fs = std::filesystem;

namespace nptsim::sweep {

namespace {

constexpr size_t kMaxJobs = 100000;  // a bound against a typo in a range, not a model limit

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::optional<uint64_t> parse_u64(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19)
    return std::nullopt;
  return std::stoull(s);
}

// "A..B", "A..B +S" or "A..B *F" into `out`; an error text, or "" when done.
std::string expand_range(const std::string& item, std::vector<std::string>& out) {
  const size_t dots = item.find("..");
  std::string rest = trim(item.substr(dots + 2));
  const size_t space = rest.find_first_of(" \t");
  const std::string end_text = rest.substr(0, space);
  const std::string step_text = space == std::string::npos ? "" : trim(rest.substr(space));
  const auto first = parse_u64(trim(item.substr(0, dots))), last = parse_u64(end_text);
  if (!first || !last)
    return "range '" + item + "': its ends must be non-negative integers (e.g. 1..4)";
  if (*first > *last) return "range '" + item + "' is empty: its start is above its end";
  const char op = step_text.empty() ? '+' : step_text.front();
  const auto step = step_text.empty() ? std::optional<uint64_t>(1) : parse_u64(step_text.substr(1));
  if ((op != '+' && op != '*') || !step || *step == 0 || (op == '*' && *step < 2))
    return "range '" + item + "': the step is +N (N >= 1) or *F (F >= 2), got '" + step_text + "'";
  for (uint64_t v = *first; v <= *last; v = op == '+' ? v + *step : v * *step) {
    out.push_back(std::to_string(v));
    if (out.size() > kMaxJobs) return "range '" + item + "' has too many values";
    if (v > UINT64_MAX / 2 - *step) break;
  }
  return "";
}

}  // namespace

std::string expand_values(const std::string& text, std::vector<std::string>& out, bool ranges) {
  std::stringstream in(text);
  for (std::string raw; std::getline(in, raw, ',');) {
    const std::string item = trim(raw);
    if (item.empty()) return "an empty value in the list '" + text + "'";
    const bool range = ranges && std::isdigit(static_cast<unsigned char>(item[0])) &&
                       item.find("..") != std::string::npos;
    if (!range) {
      out.push_back(item);
    } else if (std::string e = expand_range(item, out); !e.empty()) {
      return e;
    }
  }
  if (out.empty()) return "no values (an axis needs at least one)";
  return "";
}

namespace {

class SpecReader {
 public:
  explicit SpecReader(const std::string& path) : path_(path) {
    spec_.file = path;
    spec_.name = fs::path(path).stem().string();
    base_ = fs::absolute(fs::path(path)).parent_path();
    spec_.base_dir = base_.lexically_normal().string();
  }

  SweepSpec read() {
    std::vector<IniEntry> entries;
    if (auto e = read_ini(path_, entries)) throw SweepError(*e);
    for (const IniEntry& e : entries) take(e);
    if (spec_.traces.empty()) spec_.traces = {""};
    if (spec_.presets.empty()) spec_.presets = {""};
    if (spec_.archs.empty()) spec_.archs = {"x86_64", "aarch64", "riscv64"};
    if (spec_.backends.empty()) spec_.backends = {"linear"};
    check_size();
    return spec_;
  }

 private:
  [[noreturn]] void fail(const IniEntry& e, const std::string& why) const {
    throw SweepError(path_ + ":" + std::to_string(e.line) + ": " + why);
  }

  // A list (with ranges for axes).
  std::vector<std::string> values(const IniEntry& e, const std::string& what,
                                  bool ranges = false) const {
    std::vector<std::string> out;
    if (std::string why = expand_values(e.value, out, ranges); !why.empty())
      fail(e, what + ": " + why);
    return out;
  }

  void take(const IniEntry& e) {
    const size_t dot = e.key.find('.');
    const std::string section = dot == std::string::npos ? "" : e.key.substr(0, dot);
    const std::string key = dot == std::string::npos ? e.key : e.key.substr(dot + 1);
    if (section == "sweep") return take_setting(e, key);
    if (section == "axes") return take_axis(e, key);
    if (section == "fixed") return take_fixed(e, key);
    fail(e, "'" + e.key + "' is outside the sections [sweep], [axes] and [fixed]");
  }

  void take_setting(const IniEntry& e, const std::string& key) {
    for (const std::string& seen : settings_) {
      if (seen == key) fail(e, "'" + key + "' is set twice in [sweep] (give one list)");
    }
    settings_.push_back(key);
    if (key == "name") {
      if (e.value.empty() || e.value.find_first_of("/ \t") != std::string::npos)
        fail(e, "name: a word without spaces or '/', got '" + e.value + "'");
      spec_.name = e.value;
    } else if (key == "trace") {
      for (const std::string& t : values(e, "trace")) {
        check_trace(e, t);
        spec_.traces.push_back(t);
      }
    } else if (key == "preset") {
      for (const std::string& p : values(e, "preset")) spec_.presets.push_back(preset(e, p));
    } else if (key == "arch") {
      for (const std::string& a : values(e, "arch")) {
        if (!parse_arch(a))
          fail(e, "arch: unknown architecture '" + a + "' (x86_64, aarch64, riscv64)");
        spec_.archs.push_back(a);
      }
    } else if (key == "backend") {
      for (const std::string& b : values(e, "backend")) {
        if (!parse_backend_kind(b))
          fail(e, "backend: expected linear, alloc or lazy, got '" + b + "'");
        spec_.backends.push_back(b);
      }
    } else {
      take_run_option(e, key);
    }
  }

  void take_run_option(const IniEntry& e, const std::string& key) {
    const std::string& v = e.value;
    if (key == "timing" || key == "warm_pass") {
      if (v != "on" && v != "off") fail(e, key + ": expected on or off, got '" + v + "'");
    } else if (key == "warmup" || key == "seed" || key == "workload_count") {
      if (!parse_u64(v)) fail(e, key + ": expected a non-negative integer, got '" + v + "'");
    } else if (key == "guest_ram") {
      if (!parse_size(v)) fail(e, key + ": not a size: '" + v + "' (e.g. 4GiB)");
    } else {
      fail(e, "unknown sweep setting '" + key +
                  "' ([sweep] takes name, trace, preset, arch, backend, timing, warm_pass, "
                  "warmup, seed, guest_ram, workload_count)");
    }
    spec_.run_options.emplace_back(key, v);
  }

  // Checks `value` against the key's declaration; the error names the file and line.
  void check_key(const IniEntry& e, const std::string& key, const std::string& value) const {
    SimConfig scratch;
    const std::string origin = path_ + ":" + std::to_string(e.line);
    if (auto why = sim_params().apply(scratch, key, value, origin)) throw SweepError(*why);
  }

  void take_axis(const IniEntry& e, const std::string& key) {
    if (axis_or_fixed(key)) fail(e, "'" + key + "' is already an axis or a fixed setting");
    SweepAxis axis{key, values(e, "axis " + key, true)};
    for (const std::string& v : axis.values) check_key(e, key, v);
    spec_.axes.push_back(std::move(axis));
  }

  void take_fixed(const IniEntry& e, const std::string& key) {
    if (axis_or_fixed(key)) fail(e, "'" + key + "' is already an axis or a fixed setting");
    check_key(e, key, e.value);
    spec_.fixed.emplace_back(key, e.value);
  }

  bool axis_or_fixed(const std::string& key) const {
    for (const SweepAxis& a : spec_.axes) {
      if (a.key == key) return true;
    }
    for (const auto& kv : spec_.fixed) {
      if (kv.first == key) return true;
    }
    return false;
  }

  void check_trace(const IniEntry& e, const std::string& t) const {
    const fs::path p = fs::path(t).is_absolute() ? fs::path(t) : base_ / t;
    if (!fs::is_regular_file(p))
      fail(e, "trace '" + t + "' not found (" + p.lexically_normal().string() +
                  "; relative paths are from the sweep file's directory)");
  }

  std::string preset(const IniEntry& e, const std::string& name) const {
    if (!fs::exists(preset_path(name))) {
      std::string names;
      for (const std::string& n : preset_names()) names += (names.empty() ? "" : ", ") + n;
      fail(e, "preset: no preset '" + name + "' (presets: " + names + ")");
    }
    return name;
  }

  void check_size() const {
    size_t jobs =
        spec_.traces.size() * spec_.presets.size() * spec_.archs.size() * spec_.backends.size();
    for (const SweepAxis& a : spec_.axes) {
      jobs *= a.values.size();
      if (jobs > kMaxJobs)
        throw SweepError(path_ + ": more than " + std::to_string(kMaxJobs) +
                         " jobs; split the sweep");
    }
  }

  std::string path_;
  fs::path base_;
  SweepSpec spec_;
  std::vector<std::string> settings_;  // the [sweep] keys seen
};

}  // namespace

SweepSpec read_sweep_file(const std::string& path) {
  if (!fs::is_regular_file(path)) throw SweepError(path + ": no such sweep file");
  return SpecReader(path).read();
}

}  // namespace nptsim::sweep
