// Decoding of IMAGE.md §2 registers per architecture. Field positions: RISC-V privileged spec
// 1.12 (hgatp, vsatp), Arm ARM DDI 0487 (VTCR_EL2, VTTBR_EL2, TCR_EL1, TTBR0_EL1, SCTLR_EL1,
// HCR_EL2), Intel SDM vol. 3 (EPTP §25.6.11, CR0/CR3/CR4/EFER §2.5, §4.1).
#include "models/core/image/image_setup.h"

#include <set>

namespace nptsim {
namespace {

using Regs = std::map<std::string, uint64_t>;
using SetupResult = Result<ImageSetup, ImageSetupError>;

uint64_t bits(uint64_t v, unsigned hi, unsigned lo) { return (v >> lo) & ((uint64_t{1} << (hi - lo + 1)) - 1); }
bool bit(uint64_t v, unsigned b) { return (v >> b) & 1; }

Unexpected<ImageSetupError> error(std::string field, std::string message) {
  return fail(ImageSetupError{std::move(field), std::move(message)});
}

// The keys a group may hold; any other key is refused (it could change a translation).
std::optional<ImageSetupError> only_known(const Regs& regs, const std::string& group,
                                          const std::set<std::string>& known) {
  for (const auto& kv : regs) {
    if (!known.count(kv.first)) {
      return ImageSetupError{group + "." + kv.first, "is not a field nptsim knows for this architecture"};
    }
  }
  return std::nullopt;
}

std::optional<ImageSetupError> need(const Regs& regs, const std::string& group, const std::string& key) {
  if (!regs.count(key)) return ImageSetupError{group + "." + key, "is missing"};
  return std::nullopt;
}

uint64_t get(const Regs& regs, const std::string& key, uint64_t fallback) {
  auto it = regs.find(key);
  return it == regs.end() ? fallback : it->second;
}

// Arm PS/IPS encodings (4 KiB granule without FEAT_LPA2: 52 bits act as 48).
std::optional<unsigned> arm_pa_bits(uint64_t enc) {
  static constexpr unsigned kBits[] = {32, 36, 40, 42, 44, 48, 48};
  if (enc > 6) return std::nullopt;
  return kBits[enc];
}

// --- RISC-V -------------------------------------------------------------------------------
SetupResult setup_riscv(const ImageRegisters& r) {
  ImageSetup s;
  s.arch = Arch::RiscV64;
  if (auto e = only_known(r.stage2, "stage2", {"hgatp"})) return fail(*e);
  if (auto e = need(r.stage2, "stage2", "hgatp")) return fail(*e);
  if (auto e = only_known(r.params, "params", {"vsstatus_sum", "vsstatus_mxr", "mstatus_mxr", "svpbmt", "svnapot", "svadu"})) {
    return fail(*e);
  }
  const uint64_t hgatp = r.stage2.at("hgatp");
  const uint64_t mode = bits(hgatp, 63, 60);
  if (mode != 8 && mode != 9) return error("stage2.hgatp.MODE", "must be 8 (Sv39x4) or 9 (Sv48x4)");
  Stage2Config cfg{Arch::RiscV64, mode == 8 ? 3 : 4, GeometryMode::Hardware, 0};
  s.s2.geometry = *stage2_geometry(cfg);
  // The 16 KiB root: the two low PPN bits read as zero (§9.2.10).
  s.s2.root = HostPhysAddr((bits(hgatp, 43, 0) << 12) & ~uint64_t{0x3FFF});
  if (get(r.params, "svpbmt", 0)) return error("params.svpbmt", "Svpbmt is not modelled (PTE bits 62:61 are reserved)");
  if (get(r.params, "svnapot", 0)) return error("params.svnapot", "Svnapot is not modelled (PTE bit 63 is reserved)");
  const bool hw_ad = r.ad_policy == "hw-update";
  if (r.params.count("svadu") && (get(r.params, "svadu", 0) != 0) != hw_ad) {
    return error("params.svadu", "contradicts ad_policy (svadu true means hw-update)");
  }
  s.s2.riscv_hw_ad = hw_ad;
  s.s1.riscv_hw_ad = hw_ad;
  const bool mxr = get(r.params, "mstatus_mxr", 0) != 0;  // HS-level MXR: both stages
  s.s2.riscv_mxr = mxr;
  s.s1.riscv_mxr = mxr || get(r.params, "vsstatus_mxr", 0) != 0;
  s.s1.riscv_sum = get(r.params, "vsstatus_sum", 0) != 0;
  s.s1.user = r.privilege == "user";
  if (r.stage1) {
    if (auto e = only_known(*r.stage1, "stage1", {"vsatp"})) return fail(*e);
    if (auto e = need(*r.stage1, "stage1", "vsatp")) return fail(*e);
    const uint64_t vsatp = r.stage1->at("vsatp");
    const uint64_t vmode = bits(vsatp, 63, 60);
    if (vmode != 0 && vmode != 8 && vmode != 9) return error("stage1.vsatp.MODE", "must be 0 (Bare), 8 (Sv39) or 9 (Sv48)");
    if (vmode != 0) {
      s.two_stage = true;
      s.s1.geometry = *stage1_geometry(Arch::RiscV64, vmode == 8 ? 3 : 4);
      s.s1.root = GuestPhysAddr(bits(vsatp, 43, 0) << 12);
    }
  }
  return s;
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

SetupResult setup_aarch64(const ImageRegisters& r) {
  ImageSetup s;
  s.arch = Arch::AArch64;
  if (auto e = only_known(r.stage2, "stage2", {"vtcr_el2", "vttbr_el2"})) return fail(*e);
  for (const char* k : {"vtcr_el2", "vttbr_el2"}) {
    if (auto e = need(r.stage2, "stage2", k)) return fail(*e);
  }
  if (auto e = only_known(r.params, "params", {"hcr_el2"})) return fail(*e);
  const uint64_t hcr = get(r.params, "hcr_el2", (uint64_t{1} << 31) | 1);
  if (!bit(hcr, 0) || !bit(hcr, 31)) return error("params.hcr_el2", "VM (bit 0) and RW (bit 31) must be 1");
  if (bit(hcr, 2)) return error("params.hcr_el2.PTW", "protected table walk is not modelled (must be 0)");
  if (bit(hcr, 12)) return error("params.hcr_el2.DC", "default cacheability is not modelled (must be 0)");
  if (bit(hcr, 27)) return error("params.hcr_el2.TGE", "must be 0 (EL1&0 regime under stage 2)");

  const uint64_t vtcr = r.stage2.at("vtcr_el2");
  if (bits(vtcr, 15, 14) != 0) return error("stage2.vtcr_el2.TG0", "only the 4 KiB granule (0) is supported");
  if (bit(vtcr, 22)) return error("stage2.vtcr_el2.HD", "hardware dirty state is not modelled (must be 0)");
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
    return error("stage2.vtcr_el2", "T0SZ=" + std::to_string(64 - ipa_bits) + " and SL0=" + std::to_string(sl0) +
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
    if (auto e = only_known(s1, "stage1", {"tcr_el1", "ttbr0_el1", "sctlr_el1", "mair_el1"})) return fail(*e);
    for (const char* k : {"tcr_el1", "ttbr0_el1", "sctlr_el1"}) {
      if (auto e = need(s1, "stage1", k)) return fail(*e);
    }
    if (bit(s1.at("sctlr_el1"), 0)) {
      const uint64_t tcr = s1.at("tcr_el1");
      if (bits(tcr, 15, 14) != 0) return error("stage1.tcr_el1.TG0", "only the 4 KiB granule (0) is supported");
      if (bit(tcr, 7)) return error("stage1.tcr_el1.EPD0", "TTBR0 walks disabled is not modelled (must be 0)");
      if (!bit(tcr, 23)) return error("stage1.tcr_el1.EPD1", "must be 1 (TTBR1 walks are not modelled)");
      if (bit(tcr, 37)) return error("stage1.tcr_el1.TBI0", "top-byte-ignore is not modelled (must be 0)");
      if (bit(tcr, 40)) return error("stage1.tcr_el1.HD", "hardware dirty state is not modelled (must be 0)");
      if (bit(tcr, 59)) return error("stage1.tcr_el1.DS", "FEAT_LPA2 is not modelled (must be 0)");
      const auto ips = arm_pa_bits(bits(tcr, 34, 32));
      if (!ips) return error("stage1.tcr_el1.IPS", "reserved encoding");
      const unsigned t0sz = static_cast<unsigned>(bits(tcr, 5, 0));
      if (t0sz < 16 || t0sz > 39) return error("stage1.tcr_el1.T0SZ", "must be 16..39 with the 4 KiB granule");
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

// --- x86-64 -------------------------------------------------------------------------------
SetupResult setup_x86(const ImageRegisters& r) {
  ImageSetup s;
  s.arch = Arch::X86_64;
  if (auto e = only_known(r.stage2, "stage2", {"eptp"})) return fail(*e);
  if (auto e = need(r.stage2, "stage2", "eptp")) return fail(*e);
  if (auto e = only_known(r.params, "params", {"maxphyaddr", "ept_execute_only", "ept_ad", "stub_gva", "stub_gpa"})) {
    return fail(*e);
  }
  const uint64_t eptp = r.stage2.at("eptp");
  const uint64_t memtype = bits(eptp, 2, 0);
  if (memtype != 0 && memtype != 6) return error("stage2.eptp.memtype", "must be 0 (UC) or 6 (WB)");
  const uint64_t walk = bits(eptp, 5, 3);
  if (walk != 3 && walk != 4) return error("stage2.eptp.walk_length", "must be 3 (4-level) or 4 (5-level)");
  if (bits(eptp, 11, 7) != 0) return error("stage2.eptp", "bits 11:7 must be 0 (shadow-stack and reserved bits)");
  const unsigned maxphy = static_cast<unsigned>(get(r.params, "maxphyaddr", 40));
  if (maxphy < 32 || maxphy > 52) return error("params.maxphyaddr", "must be 32..52");
  s.s2.geometry = *stage2_geometry(Stage2Config{Arch::X86_64, static_cast<int>(walk + 1), GeometryMode::Hardware, 0});
  s.s2.root = HostPhysAddr(eptp & 0x000F'FFFF'FFFF'F000);
  s.s2.pa_bits = maxphy;
  s.s2.ept_ad_enabled = bit(eptp, 6);
  s.s2.ept_execute_only = get(r.params, "ept_execute_only", 1) != 0;
  if (r.params.count("ept_ad") && (get(r.params, "ept_ad", 0) != 0) != s.s2.ept_ad_enabled) {
    return error("params.ept_ad", "contradicts EPTP bit 6");
  }
  if (r.ad_policy != "hw-update") return error("ad_policy", "x86 accessed/dirty flags are always hardware-set (hw-update)");
  s.s1.user = r.privilege == "user";
  if (r.stage1) {
    const Regs& s1 = *r.stage1;
    if (auto e = only_known(s1, "stage1", {"cr0", "cr3", "cr4", "efer"})) return fail(*e);
    for (const char* k : {"cr0", "cr3", "cr4", "efer"}) {
      if (auto e = need(s1, "stage1", k)) return fail(*e);
    }
    const uint64_t cr0 = s1.at("cr0"), cr4 = s1.at("cr4"), efer = s1.at("efer");
    if (!bit(cr0, 31) || !bit(cr0, 0)) return error("stage1.cr0", "PG (bit 31) and PE (bit 0) must be set (use stage1: null for no paging)");
    if (!bit(cr4, 5)) return error("stage1.cr4.PAE", "must be 1 (IA-32e paging)");
    if (!bit(efer, 8) || !bit(efer, 10)) return error("stage1.efer", "LME (bit 8) and LMA (bit 10) must be set");
    for (auto [b, name] : {std::pair{20u, "SMEP"}, {21u, "SMAP"}, {22u, "PKE"}, {23u, "CET"}, {24u, "PKS"}}) {
      if (bit(cr4, b)) return error(std::string("stage1.cr4.") + name, "is not modelled (must be 0)");
    }
    s.s1.geometry = *stage1_geometry(Arch::X86_64, bit(cr4, 12) ? 5 : 4);
    s.s1.root = GuestPhysAddr(s1.at("cr3") & 0x000F'FFFF'FFFF'F000 & ((uint64_t{1} << maxphy) - 1));
    s.s1.x86_wp = bit(cr0, 16);
    s.s1.x86_nxe = bit(efer, 11);
    s.s1.pa_bits = maxphy;
    s.s1.table_access_is_write = s.s2.ept_ad_enabled;
    s.two_stage = true;
  }
  return s;
}

}  // namespace

Result<ImageSetup, ImageSetupError> image_setup(const ImageRegisters& regs) {
  if (regs.privilege != "supervisor" && regs.privilege != "user") {
    return error("privilege", "must be \"supervisor\" or \"user\"");
  }
  if (regs.ad_policy != "hw-update" && regs.ad_policy != "fault") {
    return error("ad_policy", "must be \"hw-update\" or \"fault\"");
  }
  if (regs.arch == "riscv64") return setup_riscv(regs);
  if (regs.arch == "aarch64") return setup_aarch64(regs);
  if (regs.arch == "x86_64") return setup_x86(regs);
  return error("arch", "must be \"riscv64\", \"aarch64\" or \"x86_64\"");
}

}  // namespace nptsim
