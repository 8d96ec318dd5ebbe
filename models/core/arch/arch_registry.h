// The one place where an architecture name becomes a nested page-table format
// (DESIGN.md convention 3).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "models/core/pt/any_page_table.h"

namespace nptsim {

enum class Arch { X86_64, AArch64, RiscV64 };

// Crate: the geometry axaddrspace v0.3.0 builds (conformance default). Hardware: what the
// architecture specifies (16 KiB RISC-V x4 root, AArch64 concatenated roots, 5-level EPT).
enum class GeometryMode { Crate, Hardware };

struct Stage2Config {
  Arch arch = Arch::X86_64;
  int levels = 4;
  GeometryMode mode = GeometryMode::Crate;
  unsigned ipa_bits = 0;  // AArch64 hardware mode only; 0 = 40 bits for 3 levels, 48 for 4
};

constexpr Arch kAllArchs[] = {Arch::X86_64, Arch::AArch64, Arch::RiscV64};

const char* to_string(Arch a);
const char* to_string(GeometryMode m);
// "x86_64", "aarch64", "riscv64" (also "x86", "arm64", "riscv").
std::optional<Arch> parse_arch(std::string_view name);
std::optional<GeometryMode> parse_geometry_mode(std::string_view name);
// The table shape for a configuration, or nothing when the format does not support it.
std::optional<Geometry> stage2_geometry(const Stage2Config& cfg);
// A new, empty table (root allocated and zeroed). InvalidInput-like errors come back as
// PagingError::NotAligned never; an unsupported shape is reported by stage2_geometry first.
PtResult<std::unique_ptr<AnyPageTable>> create_stage2_table(const Stage2Config& cfg,
                                                            const Geometry& g, Hal hal);

}  // namespace nptsim
