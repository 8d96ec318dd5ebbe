// MappingFlags of page_table_entry (spec §7): a bit set, bit positions as in the crate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nptsim {

class MappingFlags {
 public:
  static constexpr uint32_t READ = 1u << 0;
  static constexpr uint32_t WRITE = 1u << 1;
  static constexpr uint32_t EXECUTE = 1u << 2;
  static constexpr uint32_t USER = 1u << 3;
  static constexpr uint32_t DEVICE = 1u << 4;
  static constexpr uint32_t UNCACHED = 1u << 5;
  static constexpr uint32_t ALL = (1u << 6) - 1;

  constexpr MappingFlags() = default;
  constexpr MappingFlags(uint32_t bits) : bits_(bits & ALL) {}  // NOLINT: implicit by design

  constexpr uint32_t bits() const { return bits_; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool has(uint32_t bit) const { return (bits_ & bit) != 0; }
  // True when every bit of `o` is set here (so an empty `o` is always contained).
  constexpr bool contains(MappingFlags o) const { return (bits_ & o.bits_) == o.bits_; }
  constexpr MappingFlags operator|(MappingFlags o) const { return MappingFlags(bits_ | o.bits_); }
  friend constexpr bool operator==(MappingFlags a, MappingFlags b) { return a.bits_ == b.bits_; }
  friend constexpr bool operator!=(MappingFlags a, MappingFlags b) { return a.bits_ != b.bits_; }

  // The flag name of one bit ("READ", ...), or nullptr for a bit that is not a flag.
  static const char* bit_name(uint32_t bit);
  // The flag bit named `name` (exact, upper case), or nothing.
  static std::optional<uint32_t> from_name(std::string_view name);
  // "READ|WRITE", or "(empty)".
  std::string to_string() const;

 private:
  uint32_t bits_ = 0;
};

}  // namespace nptsim
