// Helpers the per-format image code (arch/<format>/*_image.cc) shares: register bit fields,
// errors naming the field, and checks of regime.json groups.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "models/core/image/image_setup.h"

namespace nptsim::image_util {

using Regs = std::map<std::string, uint64_t>;

inline uint64_t bits(uint64_t v, unsigned hi, unsigned lo) {
  return (v >> lo) & ((uint64_t{1} << (hi - lo + 1)) - 1);
}
inline bool bit(uint64_t v, unsigned b) { return (v >> b) & 1; }

inline Unexpected<ImageSetupError> error(std::string field, std::string message) {
  return fail(ImageSetupError{std::move(field), std::move(message)});
}

// The keys a group may hold; any other key is refused (it could change a translation).
inline std::optional<ImageSetupError> only_known(const Regs& regs, const std::string& group,
                                                 const std::set<std::string>& known) {
  for (const auto& kv : regs) {
    if (!known.count(kv.first)) {
      return ImageSetupError{group + "." + kv.first,
                             "is not a field nptsim knows for this architecture"};
    }
  }
  return std::nullopt;
}

inline std::optional<ImageSetupError> need(const Regs& regs, const std::string& group,
                                           const std::string& key) {
  if (!regs.count(key)) return ImageSetupError{group + "." + key, "is missing"};
  return std::nullopt;
}

inline uint64_t get(const Regs& regs, const std::string& key, uint64_t fallback) {
  auto it = regs.find(key);
  return it == regs.end() ? fallback : it->second;
}

std::string hex(uint64_t v);  // "0x1f"

// What every architecture's exported registers start with: its name and the privilege of the
// accesses (a stage-1 user regime, else supervisor).
inline ImageRegisters registers_for(const char* arch, const Stage1Regime* s1) {
  ImageRegisters r;
  r.arch = arch;
  r.privilege = s1 && s1->user ? "user" : "supervisor";
  return r;
}

}  // namespace nptsim::image_util
