#include "sim/image/image_files.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nptsim::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

Unexpected<std::string> error(const fs::path& file, const std::string& what) {
  return fail(file.string() + ": " + what);
}

// "0x..." (or a plain decimal) into a number.
bool parse_number(const std::string& text, uint64_t& out) {
  if (text.empty()) return false;
  size_t used = 0;
  try {
    const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    out = std::stoull(hex ? text.substr(2) : text, &used, hex ? 16 : 10);
    return used == (hex ? text.size() - 2 : text.size()) && text.find('-') == std::string::npos;
  } catch (const std::exception&) {
    return false;
  }
}

// A register group: an object of hex strings (numbers and booleans accepted too).
Result<std::map<std::string, uint64_t>, std::string> read_group(const fs::path& file, const json& j,
                                                                const std::string& name) {
  std::map<std::string, uint64_t> out;
  if (!j.is_object()) return error(file, "'" + name + "' must be an object");
  for (const auto& [key, v] : j.items()) {
    uint64_t n = 0;
    if (v.is_boolean()) {
      n = v.get<bool>() ? 1 : 0;
    } else if (v.is_number_unsigned()) {
      n = v.get<uint64_t>();
    } else if (v.is_number_integer() && v.get<int64_t>() >= 0) {
      n = static_cast<uint64_t>(v.get<int64_t>());
    } else if (!v.is_string() || !parse_number(v.get<std::string>(), n)) {
      return error(file, "'" + name + "." + key + "' must be a hex string like \"0x1f\" (got " +
                             v.dump() + ")");
    }
    out[key] = n;
  }
  return out;
}

Result<ImageRegisters, std::string> read_regime(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return error(file, "cannot open (every image needs a regime.json)");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    return error(file, std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) return error(file, "must be a JSON object");
  ImageRegisters r;
  for (const char* key : {"arch", "stage2"}) {
    if (!j.contains(key)) return error(file, std::string("missing \"") + key + "\"");
  }
  if (!j["arch"].is_string()) return error(file, "\"arch\" must be a string");
  r.arch = j["arch"].get<std::string>();
  auto s2 = read_group(file, j["stage2"], "stage2");
  if (!s2) return fail(s2.error());
  r.stage2 = *s2;
  if (j.contains("stage1") && !j["stage1"].is_null()) {
    auto s1 = read_group(file, j["stage1"], "stage1");
    if (!s1) return fail(s1.error());
    r.stage1 = *s1;
  }
  for (auto [key, dst] : {std::pair{"privilege", &r.privilege}, {"ad_policy", &r.ad_policy}}) {
    if (!j.contains(key)) continue;
    if (!j[key].is_string()) return error(file, std::string("\"") + key + "\" must be a string");
    *dst = j[key].get<std::string>();
  }
  if (j.contains("params") && !j["params"].is_null()) {
    auto p = read_group(file, j["params"], "params");
    if (!p) return fail(p.error());
    r.params = *p;
  }
  static const char* const kKnown[] = {"arch",      "stage2", "stage1", "privilege",
                                       "ad_policy", "params", "notes"};
  for (const auto& item : j.items()) {
    const std::string& key = item.key();
    if (std::find_if(std::begin(kKnown), std::end(kKnown),
                     [&](const char* k) { return key == k; }) == std::end(kKnown)) {
      return error(file, "unknown key \"" + key + "\"");
    }
  }
  return r;
}

Result<std::vector<Probe>, std::string> read_probes(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return error(file, "cannot open (every image needs a probes.txt)");
  std::vector<Probe> probes;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string idx, type, addr, extra;
    if (!(words >> idx)) continue;  // blank or comment
    const std::string where = "line " + std::to_string(lineno) + ": ";
    if (!(words >> type >> addr) || (words >> extra)) {
      return error(file, where + "expected '<index> <R|W|X> <hex address>'");
    }
    Probe p;
    if (!parse_number(idx, p.index) || p.index != probes.size()) {
      return error(file, where + "index '" + idx + "' should be " + std::to_string(probes.size()) +
                             " (indexes count from 0 in file order)");
    }
    if (type == "R")
      p.access = AccessKind::Read;
    else if (type == "W")
      p.access = AccessKind::Write;
    else if (type == "X")
      p.access = AccessKind::Fetch;
    else
      return error(file, where + "access type '" + type + "' is not R, W or X");
    if (addr.rfind("0x", 0) != 0 || !parse_number(addr, p.addr)) {
      return error(file, where + "address '" + addr + "' is not a 0x-prefixed hex number");
    }
    probes.push_back(p);
  }
  if (in.bad()) return error(file, "read error");
  return probes;
}

Result<std::vector<Segment>, std::string> read_segments(const fs::path& dir) {
  std::vector<Segment> segs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("seg_", 0) != 0) continue;
    const size_t dot = name.rfind(".bin");
    uint64_t hpa = 0;
    const std::string digits = dot == std::string::npos ? "" : name.substr(4, dot - 4);
    if (dot + 4 != name.size() || digits.empty() || !parse_number("0x" + digits, hpa) ||
        digits.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return error(entry.path(), "segment names are seg_<lowercase hex address>.bin");
    }
    if (hpa % 4096) return error(entry.path(), "segment address is not a multiple of 4096");
    std::ifstream in(entry.path(), std::ios::binary);
    Segment s;
    s.hpa = hpa;
    s.bytes.assign(std::istreambuf_iterator<char>(in), {});
    if (s.bytes.empty() || s.bytes.size() % 4096) {
      return error(entry.path(), "segment length " + std::to_string(s.bytes.size()) +
                                     " is not a non-zero multiple of 4096");
    }
    segs.push_back(std::move(s));
  }
  if (ec) return error(dir, "cannot list the directory: " + ec.message());
  if (segs.empty()) return error(dir, "no seg_<hpa>.bin segment (an image needs at least one)");
  std::sort(segs.begin(), segs.end(),
            [](const Segment& a, const Segment& b) { return a.hpa < b.hpa; });
  for (size_t i = 1; i < segs.size(); ++i) {
    if (segs[i - 1].hpa + segs[i - 1].bytes.size() > segs[i].hpa) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "segments at 0x%llx and 0x%llx overlap",
                    static_cast<unsigned long long>(segs[i - 1].hpa),
                    static_cast<unsigned long long>(segs[i].hpa));
      return error(dir, buf);
    }
  }
  return segs;
}

}  // namespace

Result<ImageDir, std::string> read_image_dir(const std::string& dir_name) {
  const fs::path dir(dir_name);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return error(dir, "is not a directory");
  ImageDir image;
  auto regime = read_regime(dir / "regime.json");
  if (!regime) return fail(regime.error());
  image.registers = *regime;
  auto segs = read_segments(dir);
  if (!segs) return fail(segs.error());
  image.segments = std::move(segs.value());
  auto probes = read_probes(dir / "probes.txt");
  if (!probes) return fail(probes.error());
  image.probes = std::move(probes.value());
  return image;
}

void load_segments(const ImageDir& image, PhysMem& mem) {
  for (const Segment& s : image.segments)
    mem.write(HostPhysAddr(s.hpa), s.bytes.data(), s.bytes.size());
}

Result<void, std::string> write_image_dir(const std::string& dir_name, const ImageDir& image,
                                          const std::vector<std::string>& bool_params,
                                          const std::vector<std::string>& number_params,
                                          const std::string& notes) {
  const fs::path dir(dir_name);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return error(dir, "cannot create: " + ec.message());
  auto hexs = [](uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return std::string(buf);
  };
  for (const Segment& s : image.segments) {
    char name[40];
    std::snprintf(name, sizeof name, "seg_%llx.bin", static_cast<unsigned long long>(s.hpa));
    std::ofstream out(dir / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(s.bytes.data()),
              static_cast<std::streamsize>(s.bytes.size()));
    if (!out) return error(dir / name, "write failed");
  }
  const ImageRegisters& r = image.registers;
  auto group = [&](const std::map<std::string, uint64_t>& g) {
    json o = json::object();
    for (const auto& [k, v] : g) {
      auto named = [&](const std::vector<std::string>& names) {
        return std::find(names.begin(), names.end(), k) != names.end();
      };
      if (named(bool_params))
        o[k] = v != 0;
      else if (named(number_params))
        o[k] = v;
      else
        o[k] = hexs(v);
    }
    return o;
  };
  json j = json::object();
  j["arch"] = r.arch;
  j["stage2"] = group(r.stage2);
  j["stage1"] = r.stage1 ? group(*r.stage1) : json(nullptr);
  j["privilege"] = r.privilege;
  j["ad_policy"] = r.ad_policy;
  j["params"] = group(r.params);
  j["notes"] = notes;
  std::ofstream regime(dir / "regime.json");
  regime << j.dump(1) << "\n";
  if (!regime) return error(dir / "regime.json", "write failed");
  std::ofstream probes(dir / "probes.txt");
  for (const Probe& p : image.probes) {
    const char* t = p.access == AccessKind::Write ? "W" : p.access == AccessKind::Fetch ? "X" : "R";
    probes << p.index << " " << t << " " << hexs(p.addr) << "\n";
  }
  if (!probes) return error(dir / "probes.txt", "write failed");
  return {};
}

}  // namespace nptsim::cli
