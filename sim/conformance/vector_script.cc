#include "sim/conformance/vector_script.h"

#include <cstdlib>

#include "sim/conformance/conformance.h"

namespace nptsim::conformance {

namespace {

using json = nlohmann::json;

struct OpSpec {
  const char* name;
  OpKind kind;
  bool has_expect;
};

constexpr OpSpec kOps[] = {
    {"new_empty", OpKind::NewEmpty, true},
    {"contains_range", OpKind::ContainsRange, true},
    {"map_linear", OpKind::MapLinear, true},
    {"map_alloc", OpKind::MapAlloc, true},
    {"unmap", OpKind::Unmap, true},
    {"clear", OpKind::Clear, true},
    {"handle_page_fault", OpKind::HandlePageFault, true},
    {"translate", OpKind::Translate, true},
    {"translate_and_get_limit", OpKind::TranslateAndGetLimit, true},
    {"translated_byte_buffer", OpKind::TranslatedByteBuffer, true},
    {"check_frames", OpKind::CheckFrames, false},
    {"dump_tables", OpKind::DumpTables, false},
    {"drop", OpKind::Drop, true},
};

// Field access that names the place of any problem.
class Fields {
 public:
  Fields(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  [[noreturn]] void bad(const std::string& msg) const {
    throw MalformedVector(where_ + ": " + msg);
  }

  const json& at(const char* key) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) bad(std::string("missing field '") + key + "'");
    return *it;
  }
  uint64_t hex(const char* key) const {
    const json& v = at(key);
    if (!v.is_string()) bad(std::string("field '") + key + "' must be a \"0x...\" string");
    const std::string& s = v.get_ref<const std::string&>();
    if (s.size() < 3 || s.size() > 18 || s[0] != '0' || s[1] != 'x') {
      bad(std::string("field '") + key + "' is not a 64-bit hex string: " + s);
    }
    char* endp = nullptr;
    uint64_t out = std::strtoull(s.c_str() + 2, &endp, 16);
    if (*endp != '\0') bad(std::string("field '") + key + "' is not a hex number: " + s);
    return out;
  }
  uint64_t count(const char* key) const {
    const json& v = at(key);
    if (!v.is_number_unsigned()) bad(std::string("field '") + key + "' must be a number >= 0");
    return v.get<uint64_t>();
  }
  bool boolean(const char* key) const {
    const json& v = at(key);
    if (!v.is_boolean()) bad(std::string("field '") + key + "' must be true or false");
    return v.get<bool>();
  }
  std::string string(const char* key) const {
    const json& v = at(key);
    if (!v.is_string()) bad(std::string("field '") + key + "' must be a string");
    return v.get<std::string>();
  }
  MappingFlags flags(const char* key) const {
    const json& v = at(key);
    if (!v.is_array()) bad(std::string("field '") + key + "' must be an array of flag names");
    uint32_t bits = 0;
    for (const json& f : v) {
      auto bit = f.is_string() ? MappingFlags::from_name(f.get<std::string>()) : std::nullopt;
      if (!bit) bad(std::string("field '") + key + "' has an unknown flag: " + f.dump());
      bits |= *bit;
    }
    return MappingFlags(bits);
  }

 private:
  const json& obj_;
  std::string where_;
};

VectorOp parse_op(const json& o, const std::string& where) {
  if (!o.is_object()) throw MalformedVector(where + ": an op must be a JSON object");
  Fields f(o, where);
  VectorOp op;
  op.name = f.string("op");
  const OpSpec* spec = nullptr;
  for (const OpSpec& s : kOps) {
    if (op.name == s.name) spec = &s;
  }
  if (!spec) f.bad("unknown op '" + op.name + "'");
  op.kind = spec->kind;
  if (spec->has_expect) op.expect = f.at("expect");
  switch (op.kind) {
    case OpKind::ContainsRange:
    case OpKind::Unmap:
      op.gpa = f.hex("gpa");
      op.size = f.hex("size");
      break;
    case OpKind::MapLinear:
      op.gpa = f.hex("gpa");
      op.hpa = f.hex("hpa");
      op.size = f.hex("size");
      op.flags = f.flags("flags");
      break;
    case OpKind::MapAlloc:
      op.gpa = f.hex("gpa");
      op.size = f.hex("size");
      op.flags = f.flags("flags");
      op.populate = f.boolean("populate");
      break;
    case OpKind::HandlePageFault:
      op.gpa = f.hex("gpa");
      op.access = f.flags("access");
      break;
    case OpKind::Translate:
    case OpKind::TranslateAndGetLimit:
      op.gpa = f.hex("gpa");
      break;
    case OpKind::TranslatedByteBuffer:
      op.gpa = f.hex("gpa");
      op.len = f.hex("len");
      break;
    case OpKind::CheckFrames:
      op.allocs = f.count("allocs");
      op.deallocs = f.count("deallocs");
      op.failed_allocs = f.count("failed_allocs");
      break;
    case OpKind::DumpTables:
      f.hex("root");
      if (!f.at("tables").is_array()) f.bad("field 'tables' must be an array");
      op.expect = json{{"root", f.at("root")}, {"tables", f.at("tables")}};
      break;
    case OpKind::NewEmpty:
    case OpKind::Clear:
    case OpKind::Drop:
      break;
  }
  return op;
}

}  // namespace

VectorScript parse_script(const std::string& json_line, const std::string& where) {
  json doc = json::parse(json_line, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) throw MalformedVector(where + ": not valid JSON");
  if (!doc.is_object()) throw MalformedVector(where + ": a script must be a JSON object");
  Fields f(doc, where);
  VectorScript s;
  s.id = f.string("id");
  const std::string arch = f.string("arch");
  auto a = parse_arch(arch);
  if (!a || arch != to_string(*a)) f.bad("unknown arch '" + arch + "'");
  s.arch = *a;
  s.levels = static_cast<int>(f.count("levels"));
  s.base = f.hex("base");
  s.size = f.hex("size");
  s.frame_limit = doc.contains("frame_limit") ? f.count("frame_limit") : 4096;
  const json& ops = f.at("ops");
  if (!ops.is_array() || ops.empty()) f.bad("field 'ops' must be a non-empty array");
  for (size_t i = 0; i < ops.size(); ++i) {
    s.ops.push_back(parse_op(ops[i], where + ": script " + s.id + ", op #" + std::to_string(i)));
  }
  if (s.ops.front().kind != OpKind::NewEmpty) f.bad("the first op must be new_empty");
  return s;
}

}  // namespace nptsim::conformance
