// Field positions: Intel SDM vol. 3 (EPTP §25.6.11, CR0/CR3/CR4/EFER §2.5, §4.1).
#include "models/core/arch/x86_ept/ept_image.h"

#include "models/core/arch/arch_registry.h"
#include "models/core/image/image_util.h"

namespace nptsim::x86_ept {

using namespace image_util;

namespace {
// x86 EPT violation kind (IMAGE.md §4): exit-qualification bits 5:3 are the AND of the R/W/X
// bits of the EPT entries walked for the failing translation, i.e. the trailing stage-2 reads.
// None set means "translation" (not present), else "permission". A fault with no stage-2 walk
// behind it (a guest A/D update to a page EPT maps without write) is a permission violation.
const char* ept_violation_kind(const WalkResult& w) {
  uint64_t rwx = 7;
  bool any = false;
  for (size_t i = w.steps.size(); i-- > 0;) {
    const WalkStep& s = w.steps[i];
    if (s.stage != Stage::Stage2) break;
    if (s.write) continue;
    rwx &= s.raw;
    any = true;
    if (s.level == 0) break;  // the root read begins this stage-2 walk
  }
  if (!any) return w.fault.kind == FaultKind::Permission ? "permission" : "translation";
  return (rwx & 7) ? "permission" : "translation";
}

}  // namespace

Result<ImageSetup, ImageSetupError> ImageFormat::setup(const ImageRegisters& r) {
  ImageSetup s;
  s.arch = Arch::X86_64;
  if (auto e = only_known(r.stage2, "stage2", {"eptp"})) return fail(*e);
  if (auto e = need(r.stage2, "stage2", "eptp")) return fail(*e);
  if (auto e = only_known(r.params, "params",
                          {"maxphyaddr", "ept_execute_only", "ept_ad", "stub_gva", "stub_gpa"})) {
    return fail(*e);
  }
  const uint64_t eptp = r.stage2.at("eptp");
  const uint64_t memtype = bits(eptp, 2, 0);
  if (memtype != 0 && memtype != 6) return error("stage2.eptp.memtype", "must be 0 (UC) or 6 (WB)");
  const uint64_t walk = bits(eptp, 5, 3);
  if (walk != 3 && walk != 4)
    return error("stage2.eptp.walk_length", "must be 3 (4-level) or 4 (5-level)");
  if (bits(eptp, 11, 7) != 0)
    return error("stage2.eptp", "bits 11:7 must be 0 (shadow-stack and reserved bits)");
  const unsigned maxphy = static_cast<unsigned>(get(r.params, "maxphyaddr", 40));
  if (maxphy < 32 || maxphy > 52) return error("params.maxphyaddr", "must be 32..52");
  s.s2.geometry = *stage2_geometry(
      Stage2Config{Arch::X86_64, static_cast<int>(walk + 1), GeometryMode::Hardware, 0});
  s.s2.root = HostPhysAddr(eptp & 0x000F'FFFF'FFFF'F000);
  s.s2.pa_bits = maxphy;
  s.s2.ept_ad_enabled = bit(eptp, 6);
  s.s2.ept_execute_only = get(r.params, "ept_execute_only", 1) != 0;
  if (r.params.count("ept_ad") && (get(r.params, "ept_ad", 0) != 0) != s.s2.ept_ad_enabled) {
    return error("params.ept_ad", "contradicts EPTP bit 6");
  }
  if (r.ad_policy != "hw-update")
    return error("ad_policy", "x86 accessed/dirty flags are always hardware-set (hw-update)");
  s.s1.user = r.privilege == "user";
  if (r.stage1) {
    const Regs& s1 = *r.stage1;
    if (auto e = only_known(s1, "stage1", {"cr0", "cr3", "cr4", "efer"})) return fail(*e);
    for (const char* k : {"cr0", "cr3", "cr4", "efer"}) {
      if (auto e = need(s1, "stage1", k)) return fail(*e);
    }
    const uint64_t cr0 = s1.at("cr0"), cr4 = s1.at("cr4"), efer = s1.at("efer");
    if (!bit(cr0, 31) || !bit(cr0, 0))
      return error("stage1.cr0",
                   "PG (bit 31) and PE (bit 0) must be set (use stage1: null for no paging)");
    if (!bit(cr4, 5)) return error("stage1.cr4.PAE", "must be 1 (IA-32e paging)");
    if (!bit(efer, 8) || !bit(efer, 10))
      return error("stage1.efer", "LME (bit 8) and LMA (bit 10) must be set");
    for (auto [b, name] :
         {std::pair{20u, "SMEP"}, {21u, "SMAP"}, {22u, "PKE"}, {23u, "CET"}, {24u, "PKS"}}) {
      if (bit(cr4, b))
        return error(std::string("stage1.cr4.") + name, "is not modelled (must be 0)");
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

Result<ImageRegisters, ImageSetupError> ImageFormat::registers(const Stage2Regime& s2,
                                                               const Stage1Regime* s1) {
  ImageRegisters r = registers_for("x86_64", s1);
  const Geometry& g2 = s2.geometry;
  r.stage2["eptp"] = s2.root.value() | 6 | (static_cast<uint64_t>(g2.levels - 1) << 3) |
                     (uint64_t{s2.ept_ad_enabled} << 6);
  r.ad_policy = "hw-update";
  r.privilege = "supervisor";
  // The Bochs oracle is configured with MAXPHYADDR 40 (IMAGE.md §2); exported images keep
  // their host frames below 2^40.
  r.params = {
      {"maxphyaddr", 40}, {"ept_execute_only", s2.ept_execute_only}, {"ept_ad", s2.ept_ad_enabled}};
  if (s1) {
    const uint64_t cr0 = (uint64_t{1} << 31) | (uint64_t{s1->x86_wp} << 16) | 1;
    const uint64_t cr4 = 0x20 | (s1->geometry.levels == 5 ? 0x1000 : 0);
    const uint64_t efer = 0x500 | (uint64_t{s1->x86_nxe} << 11);
    r.stage1 = std::map<std::string, uint64_t>{
        {"cr0", cr0}, {"cr3", s1->root.value()}, {"cr4", cr4}, {"efer", efer}};
  }
  return r;
}

std::string ImageFormat::fault_text(const ImageSetup&, const WalkResult& w) {
  const Fault& f = w.fault;
  if (f.stage == Stage::Stage2) {
    if (f.kind == FaultKind::Misconfig) return "stage=2 kind=misconfig gpa=" + hex(f.gpa.value());
    return std::string("stage=2 kind=") + ept_violation_kind(w) + " gpa=" + hex(f.gpa.value()) +
           (f.on_stage1_table ? " on=walk" : " on=final");
  }
  switch (f.kind) {
    case FaultKind::NonCanonical:
      return "stage=1 kind=noncanonical";
    case FaultKind::Misconfig:
      return "stage=1 kind=reserved";
    case FaultKind::Translation:
      return "stage=1 kind=translation";
    default:
      return "stage=1 kind=permission";
  }
}

const char* ImageFormat::entry_name(const ImageSetup& s, Stage stage, int depth) {
  const int levels = stage == Stage::Stage2 ? s.s2.geometry.levels : s.s1.geometry.levels;
  static const char* const kS2[] = {"EPT_PML5E", "EPT_PML4E", "EPT_PDPTE", "EPT_PDE", "EPT_PTE"};
  static const char* const kS1[] = {"PML5E", "PML4E", "PDPTE", "PDE", "PTE"};
  const int i = depth + (5 - levels);
  if (i < 0 || i > 4) return "ENTRY";
  return stage == Stage::Stage2 ? kS2[i] : kS1[i];
}

}  // namespace nptsim::x86_ept
