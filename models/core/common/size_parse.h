// Parsing of user-given sizes and addresses: "4GiB", "512M", "0x1000", "4096".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nptsim {

// Decimal or 0x-hex, optionally followed by K, M, G, T (powers of 1024), with an optional "iB"
// or "B" ("4G", "4GiB", "4GB" are all 4 * 2^30). Nothing on bad syntax or overflow.
std::optional<uint64_t> parse_size(std::string_view text);
// "4 GiB", "1.5 MiB", "512 B": a readable rendering for reports.
std::string format_size(uint64_t bytes);
// The largest whole unit, as typed: "32KiB", "8MiB", "1536" (bytes when no unit divides).
std::string format_size_compact(uint64_t bytes);

}  // namespace nptsim
