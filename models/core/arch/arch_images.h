// The image half of the architecture registry: which format code (arch/<format>/*_image.cc)
// reads and writes an oracle image's registers and words its answers. Its switches, with those
// of arch_registry.cc and arch_formats.h, are the only ones over Arch.
#pragma once

#include <string>

#include "models/core/image/image_setup.h"
#include "models/core/walk/walk_types.h"

namespace nptsim {

Result<ImageSetup, ImageSetupError> arch_image_setup(Arch arch, const ImageRegisters& r);
// Where the architecture's emulator has RAM for an exported image.
uint64_t arch_image_host_base(Arch arch);
// Whether its emulator's harness runs from a page of the guest (a stub page to map first).
bool arch_image_stub_page(Arch arch);
// Whether its images may hold execute (X) probes.
bool arch_image_fetch_probes(Arch arch);
Result<ImageRegisters, ImageSetupError> arch_image_registers(Arch arch, const Stage2Regime& s2,
                                                             const Stage1Regime* s1);
std::string arch_fault_text(const ImageSetup& s, const WalkResult& w);
const char* arch_entry_name(const ImageSetup& s, Stage stage, int depth);

}  // namespace nptsim
