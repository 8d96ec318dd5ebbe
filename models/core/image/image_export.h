// From a simulated guest to an oracle image (shared/oracles/IMAGE.md): the translation
// registers that describe its regimes, and the host frames the walks of a probe set read, so an
// emulator can check the tables nptsim built.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "models/core/image/image_setup.h"
#include "models/core/image/probe_answer.h"
#include "models/core/mem/phys_mem.h"

namespace nptsim {

// Registers for stage 2 (`s2`) and, when given, the guest's stage 1 (`s1`; x86 probes run at
// CPL 0 as the Bochs harness does, the other architectures keep s1->user). Fails when the
// regimes mix accessed/dirty policies the image format cannot express (it has one for both
// stages).
Result<ImageRegisters, ImageSetupError> image_registers(Arch arch, const Stage2Regime& s2,
                                                        const Stage1Regime* s1);

// The 4 KiB host frames (by address) that the walks of `probes` read, in probe order on
// `mem` (accessed/dirty updates are not written: they change no frame set).
std::set<uint64_t> frames_read_by(const ImageSetup& setup, const PhysMem& mem,
                                  const std::vector<Probe>& probes);

}  // namespace nptsim
