#include "models/core/tlb/set_assoc.h"

namespace nptsim {

const std::vector<std::pair<Replacement, std::string>>& replacement_names() {
  static const std::vector<std::pair<Replacement, std::string>> kNames = {
      {Replacement::Lru, "lru"}, {Replacement::Fifo, "fifo"}, {Replacement::Random, "random"}};
  return kNames;
}

const char* to_string(Replacement r) {
  for (const auto& [policy, name] : replacement_names()) {
    if (policy == r) return name.c_str();
  }
  return "?";
}

std::optional<Replacement> parse_replacement(std::string_view s) {
  for (const auto& [policy, name] : replacement_names()) {
    if (name == s) return policy;
  }
  return std::nullopt;
}

}  // namespace nptsim
