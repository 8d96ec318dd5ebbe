// Field positions: RISC-V privileged spec 1.12 (hgatp, vsatp).
#include "models/core/arch/riscv_gstage/gstage_image.h"

#include "models/core/arch/arch_registry.h"
#include "models/core/image/image_util.h"

namespace nptsim::riscv_gstage {

using namespace image_util;

Result<ImageSetup, ImageSetupError> ImageFormat::setup(const ImageRegisters& r) {
  ImageSetup s;
  s.arch = Arch::RiscV64;
  if (auto e = only_known(r.stage2, "stage2", {"hgatp"})) return fail(*e);
  if (auto e = need(r.stage2, "stage2", "hgatp")) return fail(*e);
  if (auto e = only_known(
          r.params, "params",
          {"vsstatus_sum", "vsstatus_mxr", "mstatus_mxr", "svpbmt", "svnapot", "svadu"})) {
    return fail(*e);
  }
  const uint64_t hgatp = r.stage2.at("hgatp");
  const uint64_t mode = bits(hgatp, 63, 60);
  if (mode != 8 && mode != 9) return error("stage2.hgatp.MODE", "must be 8 (Sv39x4) or 9 (Sv48x4)");
  Stage2Config cfg{Arch::RiscV64, mode == 8 ? 3 : 4, GeometryMode::Hardware, 0};
  s.s2.geometry = *stage2_geometry(cfg);
  // The 16 KiB root: the two low PPN bits read as zero (§9.2.10).
  s.s2.root = HostPhysAddr((bits(hgatp, 43, 0) << 12) & ~uint64_t{0x3FFF});
  if (get(r.params, "svpbmt", 0))
    return error("params.svpbmt", "Svpbmt is not modelled (PTE bits 62:61 are reserved)");
  if (get(r.params, "svnapot", 0))
    return error("params.svnapot", "Svnapot is not modelled (PTE bit 63 is reserved)");
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
    if (vmode != 0 && vmode != 8 && vmode != 9)
      return error("stage1.vsatp.MODE", "must be 0 (Bare), 8 (Sv39) or 9 (Sv48)");
    if (vmode != 0) {
      s.two_stage = true;
      s.s1.geometry = *stage1_geometry(Arch::RiscV64, vmode == 8 ? 3 : 4);
      s.s1.root = GuestPhysAddr(bits(vsatp, 43, 0) << 12);
    }
  }
  return s;
}

Result<ImageRegisters, ImageSetupError> ImageFormat::registers(const Stage2Regime& s2,
                                                               const Stage1Regime* s1) {
  ImageRegisters r = registers_for("riscv64", s1);
  const Geometry& g2 = s2.geometry;
  const uint64_t mode2 = g2.levels == 3 ? 8 : 9;
  r.stage2["hgatp"] = (mode2 << 60) | (s2.root.value() >> 12);
  const bool hw = s2.riscv_hw_ad;
  if (s1 && s1->riscv_hw_ad != hw)
    return error("ad_policy", "stage 1 and stage 2 must both use Svadu or both Svade");
  r.ad_policy = hw ? "hw-update" : "fault";
  r.params = {{"vsstatus_sum", s1 && s1->riscv_sum},
              {"vsstatus_mxr", 0},
              {"mstatus_mxr", 0},
              {"svpbmt", 0},
              {"svnapot", 0},
              {"svadu", hw}};
  if (s1) {
    const uint64_t mode1 = s1->geometry.levels == 3 ? 8 : 9;
    r.stage1 = std::map<std::string, uint64_t>{{"vsatp", (mode1 << 60) | (s1->root.value() >> 12)}};
  }
  return r;
}

std::string ImageFormat::fault_text(const ImageSetup&, const WalkResult& w) {
  const Fault& f = w.fault;

  if (f.stage == Stage::Stage1) return "stage=1 kind=page";
  return "stage=2 kind=page gpa=" + hex(f.gpa.value()) +
         (f.on_stage1_table ? " on=walk" : " on=final");
}

const char* ImageFormat::entry_name(const ImageSetup&, Stage stage, int) {
  return stage == Stage::Stage2 ? "GPTE" : "VSPTE";
}

}  // namespace nptsim::riscv_gstage
