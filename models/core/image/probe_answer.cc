#include "models/core/image/probe_answer.h"

#include <cstdio>

#include "models/core/arch/arch_images.h"
#include "models/core/image/image_util.h"

namespace nptsim {
using image_util::hex;

WalkResult translate_probe(const ImageSetup& setup, PteMemory& mem, const Probe& probe) {
  if (setup.two_stage)
    return walk_2d(setup.arch, GuestVirtAddr(probe.addr), probe.access, setup.s1, setup.s2, mem);
  return walk_stage2(setup.arch, GuestPhysAddr(probe.addr), probe.access, setup.s2, mem);
}

std::string answer_line(const ImageSetup& setup, const Probe& probe, const WalkResult& w) {
  std::string line = std::to_string(probe.index);
  if (w.ok) return line + " OK pa=" + hex(w.hpa.value());
  line += " FAULT ";
  return line + arch_fault_text(setup, w);
}

std::string reference_lines(const ImageSetup& setup, const Probe& probe, const WalkResult& w,
                            const PhysMem& mem) {
  std::string out;
  const std::string idx = std::to_string(probe.index);
  for (const WalkStep& s : w.steps) {
    const char* what = arch_entry_name(setup, s.stage, s.level);
    out += idx + (s.write ? " W " : " R ") + hex(s.pte_addr.value()) + " " + what + " " +
           hex(s.raw) + "\n";
  }
  if (w.ok) {
    out += idx + (probe.access == AccessKind::Write ? " W " : " R ") + hex(w.hpa.value()) +
           " DATA " + hex(mem.read_u64(HostPhysAddr(w.hpa.value() & ~uint64_t{7}))) + "\n";
  }
  return out;
}

}  // namespace nptsim
