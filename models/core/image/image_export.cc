#include "models/core/image/image_export.h"

#include "models/core/walk/pte_memory.h"

namespace nptsim {
namespace {

// Reads PhysMem, remembers the frames, drops writes.
class RecordingPteMemory final : public PteMemory {
 public:
  explicit RecordingPteMemory(const PhysMem& m) : m_(m) {}
  uint64_t read_pte(HostPhysAddr pa) override {
    frames.insert(pa.value() & ~uint64_t{0xFFF});
    return m_.read_u64(pa);
  }
  void write_pte(HostPhysAddr, uint64_t) override {}
  std::set<uint64_t> frames;

 private:
  const PhysMem& m_;
};

Unexpected<ImageSetupError> error(std::string field, std::string message) {
  return fail(ImageSetupError{std::move(field), std::move(message)});
}

// Arm PS/IPS encoding of a physical-address width.
uint64_t arm_pa_encoding(unsigned bits) {
  static constexpr unsigned kBits[] = {32, 36, 40, 42, 44, 48};
  for (uint64_t i = 0; i < 6; ++i) {
    if (bits <= kBits[i]) return i;
  }
  return 5;
}

}  // namespace

Result<ImageRegisters, ImageSetupError> image_registers(Arch arch, const Stage2Regime& s2, const Stage1Regime* s1) {
  ImageRegisters r;
  r.arch = arch == Arch::X86_64 ? "x86_64" : arch == Arch::AArch64 ? "aarch64" : "riscv64";
  r.privilege = s1 && s1->user ? "user" : "supervisor";
  const Geometry& g2 = s2.geometry;
  switch (arch) {
    case Arch::RiscV64: {
      const uint64_t mode2 = g2.levels == 3 ? 8 : 9;
      r.stage2["hgatp"] = (mode2 << 60) | (s2.root.value() >> 12);
      const bool hw = s2.riscv_hw_ad;
      if (s1 && s1->riscv_hw_ad != hw) return error("ad_policy", "stage 1 and stage 2 must both use Svadu or both Svade");
      r.ad_policy = hw ? "hw-update" : "fault";
      r.params = {{"vsstatus_sum", s1 && s1->riscv_sum}, {"vsstatus_mxr", 0}, {"mstatus_mxr", 0},
                  {"svpbmt", 0}, {"svnapot", 0}, {"svadu", hw}};
      if (s1) {
        const uint64_t mode1 = s1->geometry.levels == 3 ? 8 : 9;
        r.stage1 = std::map<std::string, uint64_t>{{"vsatp", (mode1 << 60) | (s1->root.value() >> 12)}};
      }
      break;
    }
    case Arch::AArch64: {
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
      break;
    }
    case Arch::X86_64: {
      r.stage2["eptp"] = s2.root.value() | 6 | (static_cast<uint64_t>(g2.levels - 1) << 3) |
                         (uint64_t{s2.ept_ad_enabled} << 6);
      r.ad_policy = "hw-update";
      r.privilege = "supervisor";
      // The Bochs oracle is configured with MAXPHYADDR 40 (IMAGE.md §2); exported images keep
      // their host frames below 2^40.
      r.params = {{"maxphyaddr", 40},
                  {"ept_execute_only", s2.ept_execute_only},
                  {"ept_ad", s2.ept_ad_enabled}};
      if (s1) {
        const uint64_t cr0 = (uint64_t{1} << 31) | (uint64_t{s1->x86_wp} << 16) | 1;
        const uint64_t cr4 = 0x20 | (s1->geometry.levels == 5 ? 0x1000 : 0);
        const uint64_t efer = 0x500 | (uint64_t{s1->x86_nxe} << 11);
        r.stage1 = std::map<std::string, uint64_t>{{"cr0", cr0}, {"cr3", s1->root.value()}, {"cr4", cr4}, {"efer", efer}};
      }
      break;
    }
  }
  return r;
}

std::set<uint64_t> frames_read_by(const ImageSetup& setup, const PhysMem& mem, const std::vector<Probe>& probes) {
  RecordingPteMemory rec(mem);
  for (const Probe& p : probes) translate_probe(setup, rec, p);
  return rec.frames;
}

}  // namespace nptsim
