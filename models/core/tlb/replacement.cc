#include "models/core/tlb/set_assoc.h"

namespace nptsim {

const char* to_string(Replacement r) {
  switch (r) {
    case Replacement::Lru: return "lru";
    case Replacement::Fifo: return "fifo";
    case Replacement::Random: return "random";
  }
  return "?";
}

std::optional<Replacement> parse_replacement(std::string_view s) {
  if (s == "lru") return Replacement::Lru;
  if (s == "fifo") return Replacement::Fifo;
  if (s == "random") return Replacement::Random;
  return std::nullopt;
}

}  // namespace nptsim
