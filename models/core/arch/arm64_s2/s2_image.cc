// Field positions: Arm ARM DDI 0487 (VTCR_EL2, VTTBR_EL2, TCR_EL1, TTBR0_EL1, SCTLR_EL1, HCR_EL2).
#include "models/core/arch/arm64_s2/s2_image.h"

#include "models/core/arch/arch_registry.h"
#include "models/core/image/image_util.h"

namespace nptsim::arm64_s2 {

using namespace image_util;

namespace {

// Arm PS/IPS encodings (4 KiB granule without FEAT_LPA2: 52 bits act as 48).
std::optional<unsigned> arm_pa_bits(uint64_t enc) {
  static constexpr unsigned kBits[] = {32, 36, 40, 42, 44, 48, 48};
  if (enc > 6) return std::nullopt;
  return kBits[enc];
}

// Arm PS/IPS encoding of a physical-address width.
uint64_t arm_pa_encoding(unsigned bits) {
  static constexpr unsigned kBits[] = {32, 36, 40, 42, 44, 48};
  for (uint64_t i = 0; i < 6; ++i) {
    if (bits <= kBits[i]) return i;
  }
  return 5;
}

// --- AArch64 ------------------------------------------------------------------------------
// A 4 KiB-granule walk of `input_bits` starting at `first_level`: the levels below it, the root
// indexing the remaining bits (up to 16 concatenated tables at stage 2).
std::optional<Geometry> arm_geometry(unsigned input_bits, int first_level, unsigned max_root_bits) {
  if (first_level < 0 || first_level > 3) return std::nullopt;
  const int levels = 4 - first_level;
  const unsigned first_shift = 12 + 9 * static_cast<unsigned>(3 - first_level);
  if (input_bits <= first_shift) return std::nullopt;
  const unsigned root_bits = input_bits - first_shift;
  if (root_bits > max_root_bits) return std::nullopt;
  return make_geometry(levels, root_bits, false);
}

}  // namespace

Result<ImageSetup, ImageSetupError> ImageFormat::setup(const ImageRegisters& r) {
  ImageSetup s;
  s.arch = Arch::AArch64;
  if (auto e = only_known(r.stage2, "stage2", {"vtcr_el2", "vttbr_el2"})) return fail(*e);
  for (const char* k : {"vtcr_el2", "vttbr_el2"}) {
    if (auto e = need(r.stage2, "stage2", k)) return fail(*e);
  }
  if (auto e = only_known(r.params, "params", {"hcr_el2"})) return fail(*e);
  const uint64_t hcr = get(r.params, "hcr_el2", (uint64_t{1} << 31) | 1);
  if (!bit(hcr, 0) || !bit(hcr, 31))
    return error("params.hcr_el2", "VM (bit 0) and RW (bit 31) must be 1");
  if (bit(hcr, 2))
    return error("params.hcr_el2.PTW", "protected table walk is not modelled (must be 0)");
  if (bit(hcr, 12))
    return error("params.hcr_el2.DC", "default cacheability is not modelled (must be 0)");
  if (bit(hcr, 27)) return error("params.hcr_el2.TGE", "must be 0 (EL1&0 regime under stage 2)");

  const uint64_t vtcr = r.stage2.at("vtcr_el2");
  if (bits(vtcr, 15, 14) != 0)
    return error("stage2.vtcr_el2.TG0", "only the 4 KiB granule (0) is supported");
  if (bit(vtcr, 22))
    return error("stage2.vtcr_el2.HD", "hardware dirty state is not modelled (must be 0)");
  if (bit(vtcr, 32)) return error("stage2.vtcr_el2.DS", "FEAT_LPA2 is not modelled (must be 0)");
  if (bit(vtcr, 33)) return error("stage2.vtcr_el2.SL2", "must be 0");
  const auto ps = arm_pa_bits(bits(vtcr, 18, 16));
  if (!ps) return error("stage2.vtcr_el2.PS", "reserved encoding");
  const uint64_t sl0 = bits(vtcr, 7, 6);
  if (sl0 == 3) return error("stage2.vtcr_el2.SL0", "3 is reserved with the 4 KiB granule");
  const unsigned ipa_bits = 64 - static_cast<unsigned>(bits(vtcr, 5, 0));
  s.s2_first_level = 2 - static_cast<int>(sl0);
  auto g2 = arm_geometry(ipa_bits, s.s2_first_level, 13);
  if (!g2) {
    return error("stage2.vtcr_el2",
                 "T0SZ=" + std::to_string(64 - ipa_bits) + " and SL0=" + std::to_string(sl0) +
                     " are inconsistent (more than 16 concatenated start tables, or none)");
  }
  s.s2.geometry = *g2;
  s.s2.pa_bits = *ps;
  s.s2.root = HostPhysAddr(r.stage2.at("vttbr_el2") & 0x0000'FFFF'FFFF'F000);
  s.s2.arm_hw_access_flag = bit(vtcr, 21);
  s.s1.user = r.privilege == "user";

  bool s1_ha = false;
  if (r.stage1) {
    const Regs& s1 = *r.stage1;
    if (auto e = only_known(s1, "stage1", {"tcr_el1", "ttbr0_el1", "sctlr_el1", "mair_el1"}))
      return fail(*e);
    for (const char* k : {"tcr_el1", "ttbr0_el1", "sctlr_el1"}) {
      if (auto e = need(s1, "stage1", k)) return fail(*e);
    }
    if (bit(s1.at("sctlr_el1"), 0)) {
      const uint64_t tcr = s1.at("tcr_el1");
      if (bits(tcr, 15, 14) != 0)
        return error("stage1.tcr_el1.TG0", "only the 4 KiB granule (0) is supported");
      if (bit(tcr, 7))
        return error("stage1.tcr_el1.EPD0", "TTBR0 walks disabled is not modelled (must be 0)");
      if (!bit(tcr, 23))
        return error("stage1.tcr_el1.EPD1", "must be 1 (TTBR1 walks are not modelled)");
      if (bit(tcr, 37))
        return error("stage1.tcr_el1.TBI0", "top-byte-ignore is not modelled (must be 0)");
      if (bit(tcr, 40))
        return error("stage1.tcr_el1.HD", "hardware dirty state is not modelled (must be 0)");
      if (bit(tcr, 59)) return error("stage1.tcr_el1.DS", "FEAT_LPA2 is not modelled (must be 0)");
      const auto ips = arm_pa_bits(bits(tcr, 34, 32));
      if (!ips) return error("stage1.tcr_el1.IPS", "reserved encoding");
      const unsigned t0sz = static_cast<unsigned>(bits(tcr, 5, 0));
      if (t0sz < 16 || t0sz > 39)
        return error("stage1.tcr_el1.T0SZ", "must be 16..39 with the 4 KiB granule");
      const unsigned va_bits = 64 - t0sz;
      s.s1_first_level = va_bits > 39 ? 0 : va_bits > 30 ? 1 : va_bits > 21 ? 2 : 3;
      s.s1.geometry = *arm_geometry(va_bits, s.s1_first_level, 9);
      s.s1.root = GuestPhysAddr(s1.at("ttbr0_el1") & 0x0000'FFFF'FFFF'F000);
      s.s1.pa_bits = *ips;
      s1_ha = bit(tcr, 39);
      s.s1.arm_hw_af = s1_ha;
      s.two_stage = true;
    }
  }
  const bool hw = r.ad_policy == "hw-update";
  if (hw && (!s.s2.arm_hw_access_flag || (s.two_stage && !s1_ha))) {
    return error("ad_policy", "hw-update needs VTCR_EL2.HA (bit 21) and TCR_EL1.HA (bit 39) set");
  }
  if (!hw && (s.s2.arm_hw_access_flag || s1_ha)) {
    return error("ad_policy", "fault contradicts VTCR_EL2.HA / TCR_EL1.HA set");
  }
  return s;
}

Result<ImageRegisters, ImageSetupError> ImageFormat::registers(const Stage2Regime& s2,
                                                               const Stage1Regime* s1) {
  ImageRegisters r = registers_for("aarch64", s1);
  const Geometry& g2 = s2.geometry;
  const unsigned ipa_bits = g2.input_bits();
  const int first_level = 4 - g2.levels;
  const uint64_t sl0 = static_cast<uint64_t>(2 - first_level);
  r.stage2["vtcr_el2"] = (64 - ipa_bits) | (sl0 << 6) | (arm_pa_encoding(s2.pa_bits) << 16) |
                         (uint64_t{s2.arm_hw_access_flag} << 21);
  r.stage2["vttbr_el2"] = s2.root.value();
  r.params["hcr_el2"] = (uint64_t{1} << 31) | 1;
  const bool hw = s2.arm_hw_access_flag;
  if (s1 && s1->arm_hw_af != hw) return error("ad_policy", "TCR_EL1.HA and VTCR_EL2.HA must agree");
  r.ad_policy = hw ? "hw-update" : "fault";
  if (s1) {
    const unsigned va_bits = s1->geometry.input_bits();
    const uint64_t tcr = (64 - va_bits) | (uint64_t{1} << 23) | (arm_pa_encoding(ipa_bits) << 32) |
                         (uint64_t{s1->arm_hw_af} << 39);
    r.stage1 = std::map<std::string, uint64_t>{
        {"tcr_el1", tcr}, {"ttbr0_el1", s1->root.value()}, {"sctlr_el1", 1}, {"mair_el1", 0xff}};
  }
  return r;
}

const char* kind_name(FaultKind k) {
  switch (k) {
    case FaultKind::AddressSize:
      return "addrsize";
    case FaultKind::AccessFlag:
      return "access";
    case FaultKind::Permission:
      return "permission";
    default:
      return "translation";
  }
}

// PAR_EL1.FST reports the lookup level in the architecture's numbering; an input address
// outside the configured range is a level-0 translation fault at either stage.
std::string ImageFormat::fault_text(const ImageSetup& s, const WalkResult& w) {
  const Fault& f = w.fault;
  if (f.stage == Stage::Stage1) {
    const int level = f.kind == FaultKind::NonCanonical ? 0 : s.s1_first_level + f.level;
    return std::string("stage=1 kind=") + kind_name(f.kind) + " level=" + std::to_string(level);
  }
  const unsigned ipa_bits = s.s2.geometry.input_bits();
  const bool out_of_range = ipa_bits < 64 && (f.gpa.value() >> ipa_bits) != 0;
  std::string line = std::string("stage=2 kind=") + kind_name(f.kind);
  // With on=walk the emulator reports the stage-1 lookup level, so no level is given there.
  if (!f.on_stage1_table)
    line += " level=" + std::to_string(out_of_range ? 0 : s.s2_first_level + f.level);
  return line + " gpa=" + hex(f.gpa.value()) + (f.on_stage1_table ? " on=walk" : " on=final");
}

const char* ImageFormat::entry_name(const ImageSetup&, Stage stage, int) {
  return stage == Stage::Stage2 ? "S2DESC" : "S1DESC";
}

}  // namespace nptsim::arm64_s2
