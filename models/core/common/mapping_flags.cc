#include "models/core/common/mapping_flags.h"

namespace nptsim {

namespace {
constexpr const char* kNames[] = {"READ", "WRITE", "EXECUTE", "USER", "DEVICE", "UNCACHED"};
constexpr int kFlagCount = 6;
}  // namespace

const char* MappingFlags::bit_name(uint32_t bit) {
  for (int i = 0; i < kFlagCount; ++i) {
    if (bit == (1u << i)) return kNames[i];
  }
  return nullptr;
}

std::optional<uint32_t> MappingFlags::from_name(std::string_view name) {
  for (int i = 0; i < kFlagCount; ++i) {
    if (name == kNames[i]) return 1u << i;
  }
  return std::nullopt;
}

std::string MappingFlags::to_string() const {
  if (empty()) return "(empty)";
  std::string out;
  for (int i = 0; i < kFlagCount; ++i) {
    if (!has(1u << i)) continue;
    if (!out.empty()) out += '|';
    out += kNames[i];
  }
  return out;
}

}  // namespace nptsim
