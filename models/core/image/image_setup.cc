// Decoding of IMAGE.md §2 registers: the checks every architecture shares here, the fields of
// each architecture in its folder (arch/<format>/*_image.cc), reached through arch_images.h.
#include "models/core/image/image_setup.h"

#include <cstdio>

#include "models/core/arch/arch_images.h"
#include "models/core/image/image_util.h"

namespace nptsim {

std::string image_util::hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

Result<ImageSetup, ImageSetupError> image_setup(const ImageRegisters& regs) {
  using image_util::error;
  if (regs.privilege != "supervisor" && regs.privilege != "user") {
    return error("privilege", "must be \"supervisor\" or \"user\"");
  }
  if (regs.ad_policy != "hw-update" && regs.ad_policy != "fault") {
    return error("ad_policy", "must be \"hw-update\" or \"fault\"");
  }
  for (Arch a : kAllArchs) {
    if (regs.arch == to_string(a)) return arch_image_setup(a, regs);
  }
  return error("arch", "must be \"riscv64\", \"aarch64\" or \"x86_64\"");
}

}  // namespace nptsim
