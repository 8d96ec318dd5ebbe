// Translating an oracle image's probes with nptsim's walkers and writing the answers in the
// normalized line format of shared/oracles/IMAGE.md §4 (and reference lines of §5).
#pragma once

#include <cstdint>
#include <string>

#include "models/core/image/image_setup.h"
#include "models/core/mem/phys_mem.h"
#include "models/core/walk/pte_memory.h"
#include "models/core/walk/walk_types.h"

namespace nptsim {

struct Probe {
  uint64_t index = 0;
  AccessKind access = AccessKind::Read;  // R, W, X (X: RISC-V HLVX, execute permission)
  uint64_t addr = 0;                     // a GVA with stage 1 on, else a GPA
};

// The walk of one probe: two-dimensional with stage 1 on, else stage 2 only. Accessed/dirty
// updates go to `mem` and persist for the next probe.
WalkResult translate_probe(const ImageSetup& setup, PteMemory& mem, const Probe& probe);

// "<index> OK pa=<hex>" or "<index> FAULT stage=<1|2> kind=<kind> [level=<n>] [gpa=<hex>]
// [on=<walk|final>]" with the fields and kind names the architecture's emulator reports.
std::string answer_line(const ImageSetup& setup, const Probe& probe, const WalkResult& walk);

// One "<index> <R|W> <hex hpa> <what> <hex value>" line per physical reference of the walk, in
// walk order, then the data access itself (DATA, with the memory's current 8 bytes there).
// `what`: x86 EPT_PML4E..EPT_PTE and PML4E..PTE (PML5E with 5 levels); RISC-V GPTE / VSPTE;
// AArch64 S2DESC / S1DESC.
std::string reference_lines(const ImageSetup& setup, const Probe& probe, const WalkResult& walk,
                            const PhysMem& mem);

}  // namespace nptsim
