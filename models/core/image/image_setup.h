// An oracle image's translation registers (shared/oracles/IMAGE.md §2, regime.json) decoded into
// the walker configuration nptsim's own walkers use (walk/regime.h, walk/stage1_regime.h).
// Every register field and parameter IMAGE.md defines is honoured; anything else that would
// change a translation is refused with the field's name, never silently ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "models/core/arch/arch_registry.h"
#include "models/core/common/result.h"
#include "models/core/walk/regime.h"
#include "models/core/walk/stage1_regime.h"

namespace nptsim {

// regime.json with every value already a number (hex strings parsed, booleans 0/1).
struct ImageRegisters {
  std::string arch;                                       // "riscv64", "aarch64", "x86_64"
  std::map<std::string, uint64_t> stage2;                 // hgatp | vtcr_el2, vttbr_el2 | eptp
  std::optional<std::map<std::string, uint64_t>> stage1;  // null: stage 1 off
  std::string privilege = "supervisor";                   // "supervisor" | "user"
  std::string ad_policy = "hw-update";                    // "hw-update" | "fault"
  std::map<std::string, uint64_t> params;
};

struct ImageSetup {
  Arch arch = Arch::X86_64;
  bool two_stage = false;  // stage 1 on: probe addresses are GVAs
  Stage1Regime s1;
  Stage2Regime s2;
  // The architecture's number of the first level walked (AArch64 counts levels 0..3 with the
  // 4 KiB leaf at 3; a walk that starts at level 1 has depth 0 = level 1). 0 elsewhere.
  int s1_first_level = 0;
  int s2_first_level = 0;
};

// Why a regime cannot be set up: `field` names the register or parameter ("stage2.vtcr_el2.TG0").
struct ImageSetupError {
  std::string field;
  std::string message;
};

Result<ImageSetup, ImageSetupError> image_setup(const ImageRegisters& regs);

}  // namespace nptsim
