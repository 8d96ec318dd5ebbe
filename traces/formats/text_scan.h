// Small, fast scanners for the text trace formats: hex and decimal numbers over [p, e).
// Each returns false (leaving `p` unchanged) when no valid number starts at `p`.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace nptsim::trace::scan {

constexpr std::array<uint8_t, 256> make_hex_table() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 0xFF;
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<uint8_t>(i);
  for (int i = 0; i < 6; ++i) {
    t['a' + i] = static_cast<uint8_t>(10 + i);
    t['A' + i] = static_cast<uint8_t>(10 + i);
  }
  return t;
}
// 0..15 for a hex digit, 0xFF otherwise.
inline constexpr std::array<uint8_t, 256> kHexValue = make_hex_table();

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
inline const char* skip_spaces(const char* p, const char* e) {
  while (p < e && is_space(*p)) ++p;
  return p;
}

// 1 to 16 hex digits (no prefix).
inline bool hex_u64(const char*& p, const char* e, uint64_t& out) {
  const char* q = p;
  uint64_t v = 0;
  for (uint8_t d; q < e && (d = kHexValue[static_cast<uint8_t>(*q)]) != 0xFF; ++q) v = (v << 4) | d;
  if (q == p || q - p > 16) return false;  // no digit, or more than 64 bits
  out = v;
  p = q;
  return true;
}

// Decimal digits, at most `max`.
inline bool dec_u64(const char*& p, const char* e, uint64_t max, uint64_t& out) {
  const char* q = p;
  uint64_t v = 0;
  for (; q < e && static_cast<unsigned>(*q - '0') < 10; ++q) {
    if (q - p == 19) return false;  // beyond 19 digits the value may not fit
    v = v * 10 + static_cast<uint64_t>(*q - '0');
  }
  if (q == p || v > max) return false;
  out = v;
  p = q;
  return true;
}

// The whitespace-delimited token at p, for error messages (at most 40 characters).
std::string token_at(const char* p, const char* e);

}  // namespace nptsim::trace::scan
