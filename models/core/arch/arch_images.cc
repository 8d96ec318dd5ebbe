#include "models/core/arch/arch_images.h"

#include "models/core/arch/arm64_s2/s2_image.h"
#include "models/core/arch/riscv_gstage/gstage_image.h"
#include "models/core/arch/x86_ept/ept_image.h"

namespace nptsim {

Result<ImageSetup, ImageSetupError> arch_image_setup(Arch arch, const ImageRegisters& r) {
  switch (arch) {
    case Arch::X86_64:
      return x86_ept::image_setup(r);
    case Arch::AArch64:
      return arm64_s2::image_setup(r);
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::image_setup(r);
}

uint64_t arch_image_host_base(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return x86_ept::kImageHostBase;
    case Arch::AArch64:
      return arm64_s2::kImageHostBase;
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::kImageHostBase;
}

bool arch_image_stub_page(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return x86_ept::kImageStubPage;
    case Arch::AArch64:
      return arm64_s2::kImageStubPage;
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::kImageStubPage;
}

bool arch_image_fetch_probes(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return x86_ept::kImageFetchProbes;
    case Arch::AArch64:
      return arm64_s2::kImageFetchProbes;
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::kImageFetchProbes;
}

Result<ImageRegisters, ImageSetupError> arch_image_registers(Arch arch, const Stage2Regime& s2,
                                                             const Stage1Regime* s1) {
  switch (arch) {
    case Arch::X86_64:
      return x86_ept::image_registers(s2, s1);
    case Arch::AArch64:
      return arm64_s2::image_registers(s2, s1);
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::image_registers(s2, s1);
}

std::string arch_fault_text(const ImageSetup& s, const WalkResult& w) {
  switch (s.arch) {
    case Arch::X86_64:
      return x86_ept::fault_text(s, w);
    case Arch::AArch64:
      return arm64_s2::fault_text(s, w);
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::fault_text(s, w);
}

const char* arch_entry_name(const ImageSetup& s, Stage stage, int depth) {
  switch (s.arch) {
    case Arch::X86_64:
      return x86_ept::entry_name(s, stage, depth);
    case Arch::AArch64:
      return arm64_s2::entry_name(s, stage, depth);
    case Arch::RiscV64:
      break;
  }
  return riscv_gstage::entry_name(s, stage, depth);
}

}  // namespace nptsim
