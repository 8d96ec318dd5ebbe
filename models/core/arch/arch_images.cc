#include "models/core/arch/arch_images.h"

#include "models/core/arch/arm64_s2/s2_image.h"
#include "models/core/arch/riscv_gstage/gstage_image.h"
#include "models/core/arch/x86_ept/ept_image.h"

namespace nptsim {

namespace {

// fn(the ImageFormat of `arch`'s format folder); returns what fn returns.
template <class Fn>
decltype(auto) visit_image_format(Arch arch, Fn&& fn) {
  switch (arch) {
    case Arch::X86_64:
      return fn(x86_ept::ImageFormat{});
    case Arch::AArch64:
      return fn(arm64_s2::ImageFormat{});
    case Arch::RiscV64:
      break;
  }
  return fn(riscv_gstage::ImageFormat{});
}

}  // namespace

Result<ImageSetup, ImageSetupError> arch_image_setup(Arch arch, const ImageRegisters& r) {
  return visit_image_format(arch, [&](auto f) { return decltype(f)::setup(r); });
}

uint64_t arch_image_host_base(Arch arch) {
  return visit_image_format(arch, [](auto f) { return decltype(f)::kHostBase; });
}

bool arch_image_stub_page(Arch arch) {
  return visit_image_format(arch, [](auto f) { return decltype(f)::kStubPage; });
}

bool arch_image_fetch_probes(Arch arch) {
  return visit_image_format(arch, [](auto f) { return decltype(f)::kFetchProbes; });
}

Result<ImageRegisters, ImageSetupError> arch_image_registers(Arch arch, const Stage2Regime& s2,
                                                             const Stage1Regime* s1) {
  return visit_image_format(arch, [&](auto f) { return decltype(f)::registers(s2, s1); });
}

std::string arch_fault_text(const ImageSetup& s, const WalkResult& w) {
  return visit_image_format(s.arch, [&](auto f) { return decltype(f)::fault_text(s, w); });
}

const char* arch_entry_name(const ImageSetup& s, Stage stage, int depth) {
  return visit_image_format(s.arch,
                            [&](auto f) { return decltype(f)::entry_name(s, stage, depth); });
}

}  // namespace nptsim
