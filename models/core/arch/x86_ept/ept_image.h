// x86-64 paging over EPT (Intel SDM vol. 3: EPTP §25.6.11, CR0/CR3/CR4/EFER §2.5, §4.1): oracle
// test images (IMAGE.md) for this format: regime.json registers decoded into walker regimes and
// encoded from them, fault answers and reference names.
#pragma once

#include <string>

#include "models/core/image/image_setup.h"
#include "models/core/walk/walk_types.h"

namespace nptsim::x86_ept {

// This format's oracle-image code, as arch/arch_images.cc dispatches to it.
struct ImageFormat {
  // Where the emulator has RAM for an exported image (tests/oracles/README.md): Bochs RAM from 0.
  static constexpr uint64_t kHostBase = 0x0100'0000;
  // Whether the emulator's harness runs from a page of the guest (IMAGE.md §2 stub_gva/stub_gpa:
  // the Bochs harness does).
  static constexpr bool kStubPage = true;
  // Whether images may hold execute (X) probes (IMAGE.md §2: RISC-V HLVX only).
  static constexpr bool kFetchProbes = false;

  static Result<ImageSetup, ImageSetupError> setup(const ImageRegisters& r);
  static Result<ImageRegisters, ImageSetupError> registers(const Stage2Regime& s2,
                                                           const Stage1Regime* s1);
  // The part of an answer line after "FAULT " (IMAGE.md §4).
  static std::string fault_text(const ImageSetup& s, const WalkResult& w);
  // The name of a walk step in a reference sequence (IMAGE.md §5).
  static const char* entry_name(const ImageSetup& s, Stage stage, int depth);
};

}  // namespace nptsim::x86_ept
