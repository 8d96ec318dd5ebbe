// The one place where an architecture name becomes a nested page-table format
// (DESIGN.md convention 3).
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string_view>

#include "models/core/pt/any_page_table.h"
#include "models/core/walk/nested_walker.h"
#include "models/core/walk/pte_memory.h"
#include "models/core/walk/regime.h"
#include "models/core/walk/stage1_regime.h"
#include "models/core/walk/stage2_walker.h"
#include "models/core/walk/walk_types.h"

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
// Its name (so test parameters and messages print "x86_64", not a byte dump).
std::ostream& operator<<(std::ostream& o, Arch a);
const char* to_string(GeometryMode m);
// "x86_64", "aarch64", "riscv64" (also "x86", "arm64", "riscv").
std::optional<Arch> parse_arch(std::string_view name);
std::optional<GeometryMode> parse_geometry_mode(std::string_view name);
// The table shape for a configuration, or nothing when the format does not support it.
std::optional<Geometry> stage2_geometry(const Stage2Config& cfg);
// A new, empty table (root allocated and zeroed); NoMemory when the root cannot be allocated.
// Call stage2_geometry first: it says whether the shape is supported.
PtResult<std::unique_ptr<AnyPageTable>> create_stage2_table(const Stage2Config& cfg,
                                                            const Geometry& g, Hal hal);

// The geometry hardware walks for tables built with `cfg`: the architecture's own shape for
// cfg.levels (Sv39x4/Sv48x4 16 KiB root; AArch64 with the IPA size the hypervisor programs:
// cfg.ipa_bits, else 39/48 bits for crate tables as arm_vcpu sets VTCR_EL2, 40/48 for hardware
// tables; EPT 4 or 5 levels). Nothing when the shape does not exist in hardware.
std::optional<Geometry> hardware_walk_geometry(const Stage2Config& cfg);

// A hardware stage-2 walk of `gpa` for `access` in the format of `arch` (walk/stage2_walker.h
// with the format's rules).
WalkResult walk_stage2(Arch arch, GuestPhysAddr gpa, AccessKind access, const Stage2Regime& regime,
                       PteMemory& mem, const WalkStart& start = {});

// The geometry of the guest's own (stage-1) tables for `arch` with `levels` levels: x86-64
// 4-level (48-bit) or 5-level (57-bit), AArch64 39-bit (3 levels) or 48-bit (4), Sv39 or Sv48.
std::optional<Geometry> stage1_geometry(Arch arch, int levels);

// A two-dimensional walk: the guest's stage-1 format of `arch` over its stage-2 format.
WalkResult walk_2d(Arch arch, GuestVirtAddr gva, AccessKind access, const Stage1Regime& s1,
                   const Stage2Regime& s2, PteMemory& mem);

// The levels of `arch`'s stage-2 tables and of its guests' tables when nobody says.
int default_stage2_levels(Arch arch);
int default_stage1_levels(Arch arch);

// The next-level table a stage-1 table entry of `arch` points to.
GuestPhysAddr stage1_table_address(Arch arch, uint64_t raw);

// A stage-1 entry of `arch`: a pointer to a next-level table, or a leaf of `huge` size as a
// guest OS writes it: x86 A/D always clear (hardware sets them); AArch64 AF and RISC-V A/D set
// when `ad_preset`, clear otherwise (for hardware update, or to fault).
uint64_t stage1_table_entry(Arch arch, GuestPhysAddr table);
uint64_t stage1_leaf_entry(Arch arch, GuestPhysAddr page, MappingFlags flags, bool huge,
                           bool ad_preset = true);

}  // namespace nptsim
