#include "models/core/arch/arch_registry.h"

#include <ostream>

#include "models/core/arch/arm64_s1/s1_pte.h"
#include "models/core/arch/arm64_s2/s2_traits.h"
#include "models/core/arch/arm64_s2/s2_walk.h"
#include "models/core/arch/riscv_gstage/gstage_traits.h"
#include "models/core/arch/riscv_gstage/gstage_walk.h"
#include "models/core/arch/riscv_sv/sv_pte.h"
#include "models/core/arch/x86_64/x86_pte.h"
#include "models/core/arch/x86_ept/ept_traits.h"
#include "models/core/arch/x86_ept/ept_walk.h"
#include "models/core/pt/page_table.h"
#include "models/core/walk/nested_walker.h"

namespace nptsim {

std::ostream& operator<<(std::ostream& o, Arch a) { return o << to_string(a); }

const char* to_string(Arch a) {
  switch (a) {
    case Arch::X86_64:
      return "x86_64";
    case Arch::AArch64:
      return "aarch64";
    case Arch::RiscV64:
      return "riscv64";
  }
  return "?";
}

const char* to_string(GeometryMode m) { return m == GeometryMode::Crate ? "crate" : "hardware"; }

std::optional<Arch> parse_arch(std::string_view n) {
  if (n == "x86_64" || n == "x86") return Arch::X86_64;
  if (n == "aarch64" || n == "arm64") return Arch::AArch64;
  if (n == "riscv64" || n == "riscv") return Arch::RiscV64;
  return std::nullopt;
}

std::optional<GeometryMode> parse_geometry_mode(std::string_view n) {
  if (n == "crate") return GeometryMode::Crate;
  if (n == "hardware") return GeometryMode::Hardware;
  return std::nullopt;
}

std::optional<Geometry> stage2_geometry(const Stage2Config& cfg) {
  const bool hw = cfg.mode == GeometryMode::Hardware;
  switch (cfg.arch) {
    case Arch::X86_64:
      return x86_ept::EptTraits::geometry(cfg.levels, hw);
    case Arch::AArch64:
      return arm64_s2::S2Traits::geometry(cfg.levels, hw, cfg.ipa_bits);
    case Arch::RiscV64:
      return riscv_gstage::GstageTraits::geometry(cfg.levels, hw);
  }
  return std::nullopt;
}

namespace {
template <class Pte>
PtResult<std::unique_ptr<AnyPageTable>> make(const Geometry& g, Hal hal) {
  auto pt = PageTable<Pte>::create(g, hal);
  if (!pt.ok()) return fail(pt.error());
  return std::unique_ptr<AnyPageTable>(std::move(pt.value()));
}
}  // namespace

PtResult<std::unique_ptr<AnyPageTable>> create_stage2_table(const Stage2Config& cfg,
                                                            const Geometry& g, Hal hal) {
  switch (cfg.arch) {
    case Arch::X86_64:
      return make<x86_ept::EptPte>(g, hal);
    case Arch::AArch64:
      return make<arm64_s2::S2Pte>(g, hal);
    case Arch::RiscV64:
      return make<riscv_gstage::GstagePte>(g, hal);
  }
  return fail(PtError{PagingError::Panic, "unknown architecture"});
}

std::optional<Geometry> hardware_walk_geometry(const Stage2Config& cfg) {
  Stage2Config hw = cfg;
  hw.mode = GeometryMode::Hardware;
  if (cfg.arch == Arch::AArch64 && cfg.ipa_bits == 0 && cfg.mode == GeometryMode::Crate) {
    hw.ipa_bits = cfg.levels == 3 ? 39 : 48;  // arm_vcpu: T0SZ=25/SL0=1 or T0SZ=16/SL0=0
  }
  return stage2_geometry(hw);
}

WalkResult walk_stage2(Arch arch, GuestPhysAddr gpa, AccessKind access, const Stage2Regime& regime,
                       PteMemory& mem, const WalkStart& start) {
  switch (arch) {
    case Arch::X86_64:
      return walk_stage2_with<x86_ept::EptWalkRules>(gpa, access, regime, mem, start);
    case Arch::AArch64:
      return walk_stage2_with<arm64_s2::S2WalkRules>(gpa, access, regime, mem, start);
    case Arch::RiscV64:
      return walk_stage2_with<riscv_gstage::GstageWalkRules>(gpa, access, regime, mem, start);
  }
  return {};
}

std::optional<Geometry> stage1_geometry(Arch arch, int levels) {
  switch (arch) {
    case Arch::X86_64:
      if (levels == 4 || levels == 5) return make_geometry(levels, 9, false);
      break;
    case Arch::AArch64:
      if (levels == 3 || levels == 4) return make_geometry(levels, 9, false);
      break;
    case Arch::RiscV64:
      if (levels == 3 || levels == 4) return make_geometry(levels, 9, true);
      break;
  }
  return std::nullopt;
}

WalkResult walk_2d(Arch arch, GuestVirtAddr gva, AccessKind access, const Stage1Regime& s1,
                   const Stage2Regime& s2, PteMemory& mem) {
  switch (arch) {
    case Arch::X86_64:
      return walk_2d<x86_64::X86WalkRules, x86_ept::EptWalkRules>(gva, access, s1, s2, mem);
    case Arch::AArch64:
      return walk_2d<arm64_s1::S1WalkRules, arm64_s2::S2WalkRules>(gva, access, s1, s2, mem);
    case Arch::RiscV64:
      return walk_2d<riscv_sv::SvWalkRules, riscv_gstage::GstageWalkRules>(gva, access, s1, s2,
                                                                           mem);
  }
  return {};
}

int default_stage2_levels(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return x86_ept::EptTraits::kDefaultLevels;
    case Arch::AArch64:
      return arm64_s2::S2Traits::kDefaultLevels;
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::GstageTraits::kDefaultLevels;
}

int default_stage1_levels(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return x86_ept::EptTraits::kDefaultGuestLevels;
    case Arch::AArch64:
      return arm64_s2::S2Traits::kDefaultGuestLevels;
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::GstageTraits::kDefaultGuestLevels;
}

GuestPhysAddr stage1_table_address(Arch arch, uint64_t raw) {
  switch (arch) {
    case Arch::X86_64:
      return GuestPhysAddr(x86_64::X86Pte::table_address(raw));
    case Arch::AArch64:
      return GuestPhysAddr(arm64_s1::S1Pte::table_address(raw));
    case Arch::RiscV64:
      break;
  }
  return GuestPhysAddr(riscv_sv::SvPte::paddr(raw).value());
}

uint64_t stage1_table_entry(Arch arch, GuestPhysAddr table) {
  switch (arch) {
    case Arch::X86_64:
      return x86_64::X86Pte::new_table(table.value());
    case Arch::AArch64:
      return arm64_s1::S1Pte::new_table(table.value());
    case Arch::RiscV64:
      return riscv_sv::SvPte::new_table(HostPhysAddr(table.value()));
  }
  return 0;
}

uint64_t stage1_leaf_entry(Arch arch, GuestPhysAddr page, MappingFlags flags, bool huge,
                           bool ad_preset) {
  switch (arch) {
    case Arch::X86_64:
      return x86_64::X86Pte::new_page(page.value(), flags, huge);
    case Arch::AArch64:
      return arm64_s1::S1Pte::new_page(page.value(), flags, huge, ad_preset);
    case Arch::RiscV64: {
      const uint64_t e = riscv_sv::SvPte::new_page(HostPhysAddr(page.value()), flags, huge);
      return ad_preset ? e : e & ~(riscv_sv::SvPte::kA | riscv_sv::SvPte::kD);
    }
  }
  return 0;
}

}  // namespace nptsim
