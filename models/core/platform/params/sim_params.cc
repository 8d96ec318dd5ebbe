#include <sstream>

#include "models/core/common/addr.h"
#include "models/core/common/size_parse.h"
#include "models/core/platform/params/sim_config.h"

namespace nptsim {

const SimParams& sim_params() {
  static const SimParams tree = [] {
    SimParams t;
    declare_core_params(t);
    declare_tlb_params(t);
    declare_mem_params(t);
    declare_hypervisor_params(t);
    declare_guest_params(t);
    return t;
  }();
  return tree;
}

std::optional<std::string> apply_ini_file(const SimParams& t, SimConfig& c, const std::string& path,
                                          std::vector<IniEntry>* applied) {
  std::vector<IniEntry> entries;
  if (auto e = read_ini(path, entries)) return e;
  for (const IniEntry& e : entries) {
    if (auto err = t.apply(c, e.key, e.value, path + ":" + std::to_string(e.line))) return err;
  }
  if (applied) applied->insert(applied->end(), entries.begin(), entries.end());
  return std::nullopt;
}

std::optional<std::string> parse_area(const std::string& text, AreaSpec& a) {
  std::istringstream in(text);
  std::string gpa, size, backend, flags = "rwxu", hpa;
  in >> gpa >> size >> backend;
  if (!(in >> flags)) flags = "rwxu";
  in >> hpa;
  const std::string form = " (expected: GPA SIZE linear|alloc|lazy [rwxud] [HPA])";
  auto g = parse_size(gpa), s = parse_size(size);
  auto b = parse_backend_kind(backend);
  if (!g || !s) return "bad GPA or size" + form;
  if (!b) return "bad backend '" + backend + "'" + form;
  a = AreaSpec{};
  a.gpa = *g;
  a.size = *s;
  a.backend = *b;
  uint32_t f = 0;
  for (char c : flags) {
    switch (c) {
      case 'r':
        f |= MappingFlags::READ;
        break;
      case 'w':
        f |= MappingFlags::WRITE;
        break;
      case 'x':
        f |= MappingFlags::EXECUTE;
        break;
      case 'u':
        f |= MappingFlags::USER;
        break;
      case 'd':
        f |= MappingFlags::DEVICE;
        break;
      default:
        return std::string("bad flag '") + c + "'" + form;
    }
  }
  a.flags = MappingFlags(f);
  a.hpa = kDefaultLinearHpa + a.gpa;
  if (!hpa.empty()) {
    auto h = parse_size(hpa);
    if (!h) return "bad HPA" + form;
    a.hpa = *h;
  }
  return std::nullopt;
}

std::string format_area(const AreaSpec& a) {
  std::string flags;
  const std::pair<uint32_t, char> bits[] = {{MappingFlags::READ, 'r'},
                                            {MappingFlags::WRITE, 'w'},
                                            {MappingFlags::EXECUTE, 'x'},
                                            {MappingFlags::USER, 'u'},
                                            {MappingFlags::DEVICE, 'd'}};
  for (const auto& [bit, c] : bits) {
    if (a.flags.has(bit)) flags += c;
  }
  return to_hex(a.gpa) + " " + format_size_compact(a.size) + " " + to_string(a.backend) + " " +
         flags + (a.backend == BackendKind::Linear ? " " + to_hex(a.hpa) : "");
}

}  // namespace nptsim
