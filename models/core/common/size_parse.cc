#include "models/core/common/size_parse.h"

#include <cctype>
#include <cstdio>
#include <iterator>

namespace nptsim {

std::optional<uint64_t> parse_size(std::string_view t) {
  if (t.empty()) return std::nullopt;
  unsigned base = 10;
  size_t i = 0;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    i = 2;
  }
  uint64_t v = 0;
  size_t digits = 0;
  for (; i < t.size(); ++i, ++digits) {
    int c = std::tolower(static_cast<unsigned char>(t[i]));
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else {
      break;
    }
    if (v > (UINT64_MAX - d) / base) return std::nullopt;
    v = v * base + d;
  }
  if (digits == 0) return std::nullopt;
  std::string_view unit = t.substr(i);
  unsigned shift = 0;
  if (!unit.empty()) {
    switch (std::toupper(static_cast<unsigned char>(unit[0]))) {
      case 'K':
        shift = 10;
        break;
      case 'M':
        shift = 20;
        break;
      case 'G':
        shift = 30;
        break;
      case 'T':
        shift = 40;
        break;
      case 'B':
        if (unit.size() == 1) return v;
        return std::nullopt;
      default:
        return std::nullopt;
    }
    unit.remove_prefix(1);
    if (!(unit.empty() || unit == "B" || unit == "iB")) return std::nullopt;
  }
  if (shift && v > (UINT64_MAX >> shift)) return std::nullopt;
  return v << shift;
}

std::string format_size(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  size_t u = 0;
  uint64_t whole = bytes;
  while (whole >= 1024 && u + 1 < std::size(kUnits)) {
    whole /= 1024;
    ++u;
  }
  char buf[32];
  const double scaled = static_cast<double>(bytes) / static_cast<double>(uint64_t{1} << (10 * u));
  if (whole << (10 * u) == bytes) {
    std::snprintf(buf, sizeof buf, "%llu %s", static_cast<unsigned long long>(whole), kUnits[u]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", scaled, kUnits[u]);
  }
  return buf;
}

std::string format_size_compact(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  int u = -1;
  while (u + 1 < static_cast<int>(std::size(kUnits)) && bytes != 0 &&
         bytes % (uint64_t{1} << (10 * (u + 2))) == 0)
    ++u;
  if (u < 0) return std::to_string(bytes);
  return std::to_string(bytes >> (10 * (u + 1))) + kUnits[u];
}

}  // namespace nptsim
