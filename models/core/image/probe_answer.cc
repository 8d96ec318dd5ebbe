#include "models/core/image/probe_answer.h"

#include <cstdio>

namespace nptsim {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// x86 EPT violation kind (IMAGE.md §4): exit-qualification bits 5:3 are the AND of the R/W/X
// bits of the EPT entries walked for the failing translation, i.e. the trailing stage-2 reads.
// None set means "translation" (not present), else "permission". A fault with no stage-2 walk
// behind it (a guest A/D update to a page EPT maps without write) is a permission violation.
const char* ept_violation_kind(const WalkResult& w) {
  uint64_t rwx = 7;
  bool any = false;
  for (size_t i = w.steps.size(); i-- > 0;) {
    const WalkStep& s = w.steps[i];
    if (s.stage != Stage::Stage2) break;
    if (s.write) continue;
    rwx &= s.raw;
    any = true;
    if (s.level == 0) break;  // the root read begins this stage-2 walk
  }
  if (!any) return w.fault.kind == FaultKind::Permission ? "permission" : "translation";
  return (rwx & 7) ? "permission" : "translation";
}

std::string x86_fault(const Fault& f, const WalkResult& w) {
  if (f.stage == Stage::Stage2) {
    if (f.kind == FaultKind::Misconfig) return "stage=2 kind=misconfig gpa=" + hex(f.gpa.value());
    return std::string("stage=2 kind=") + ept_violation_kind(w) + " gpa=" + hex(f.gpa.value()) +
           (f.on_stage1_table ? " on=walk" : " on=final");
  }
  switch (f.kind) {
    case FaultKind::NonCanonical: return "stage=1 kind=noncanonical";
    case FaultKind::Misconfig: return "stage=1 kind=reserved";
    case FaultKind::Translation: return "stage=1 kind=translation";
    default: return "stage=1 kind=permission";
  }
}

std::string riscv_fault(const Fault& f) {
  if (f.stage == Stage::Stage1) return "stage=1 kind=page";
  return "stage=2 kind=page gpa=" + hex(f.gpa.value()) + (f.on_stage1_table ? " on=walk" : " on=final");
}

const char* arm_kind(FaultKind k) {
  switch (k) {
    case FaultKind::AddressSize: return "addrsize";
    case FaultKind::AccessFlag: return "access";
    case FaultKind::Permission: return "permission";
    default: return "translation";
  }
}

// PAR_EL1.FST reports the lookup level in the architecture's numbering; an input address
// outside the configured range is a level-0 translation fault at either stage.
std::string arm_fault(const ImageSetup& s, const Fault& f) {
  if (f.stage == Stage::Stage1) {
    const int level = f.kind == FaultKind::NonCanonical ? 0 : s.s1_first_level + f.level;
    return std::string("stage=1 kind=") + arm_kind(f.kind) + " level=" + std::to_string(level);
  }
  const unsigned ipa_bits = s.s2.geometry.input_bits();
  const bool out_of_range = ipa_bits < 64 && (f.gpa.value() >> ipa_bits) != 0;
  std::string line = std::string("stage=2 kind=") + arm_kind(f.kind);
  // With on=walk the emulator reports the stage-1 lookup level, so no level is given there.
  if (!f.on_stage1_table) line += " level=" + std::to_string(out_of_range ? 0 : s.s2_first_level + f.level);
  return line + " gpa=" + hex(f.gpa.value()) + (f.on_stage1_table ? " on=walk" : " on=final");
}

const char* x86_entry_name(Stage stage, int depth, int levels) {
  static const char* const kS2[] = {"EPT_PML5E", "EPT_PML4E", "EPT_PDPTE", "EPT_PDE", "EPT_PTE"};
  static const char* const kS1[] = {"PML5E", "PML4E", "PDPTE", "PDE", "PTE"};
  const int i = depth + (5 - levels);
  if (i < 0 || i > 4) return "ENTRY";
  return stage == Stage::Stage2 ? kS2[i] : kS1[i];
}

}  // namespace

WalkResult translate_probe(const ImageSetup& setup, PteMemory& mem, const Probe& probe) {
  if (setup.two_stage) return walk_2d(setup.arch, GuestVirtAddr(probe.addr), probe.access, setup.s1, setup.s2, mem);
  return walk_stage2(setup.arch, GuestPhysAddr(probe.addr), probe.access, setup.s2, mem);
}

std::string answer_line(const ImageSetup& setup, const Probe& probe, const WalkResult& w) {
  std::string line = std::to_string(probe.index);
  if (w.ok) return line + " OK pa=" + hex(w.hpa.value());
  line += " FAULT ";
  switch (setup.arch) {
    case Arch::X86_64: return line + x86_fault(w.fault, w);
    case Arch::RiscV64: return line + riscv_fault(w.fault);
    case Arch::AArch64: return line + arm_fault(setup, w.fault);
  }
  return line;
}

std::string reference_lines(const ImageSetup& setup, const Probe& probe, const WalkResult& w, const PhysMem& mem) {
  std::string out;
  const std::string idx = std::to_string(probe.index);
  for (const WalkStep& s : w.steps) {
    const char* what = "";
    switch (setup.arch) {
      case Arch::X86_64: {
        const int levels = s.stage == Stage::Stage2 ? setup.s2.geometry.levels : setup.s1.geometry.levels;
        what = x86_entry_name(s.stage, s.level, levels);
        break;
      }
      case Arch::RiscV64: what = s.stage == Stage::Stage2 ? "GPTE" : "VSPTE"; break;
      case Arch::AArch64: what = s.stage == Stage::Stage2 ? "S2DESC" : "S1DESC"; break;
    }
    out += idx + (s.write ? " W " : " R ") + hex(s.pte_addr.value()) + " " + what + " " + hex(s.raw) + "\n";
  }
  if (w.ok) {
    out += idx + (probe.access == AccessKind::Write ? " W " : " R ") + hex(w.hpa.value()) + " DATA " +
           hex(mem.read_u64(HostPhysAddr(w.hpa.value() & ~uint64_t{7}))) + "\n";
  }
  return out;
}

}  // namespace nptsim
