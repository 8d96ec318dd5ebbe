#include "models/core/image/image_export.h"

#include "models/core/arch/arch_images.h"
#include "models/core/walk/pte_memory.h"

namespace nptsim {
namespace {

// Reads PhysMem, remembers the frames, drops writes.
class RecordingPteMemory final : public PteMemory {
 public:
  explicit RecordingPteMemory(const PhysMem& m) : m_(m) {}
  uint64_t read_pte(HostPhysAddr pa, Stage) override {
    frames.insert(pa.value() & ~uint64_t{0xFFF});
    return m_.read_u64(pa);
  }
  void write_pte(HostPhysAddr, uint64_t, Stage) override {}
  std::set<uint64_t> frames;

 private:
  const PhysMem& m_;
};

}  // namespace

Result<ImageRegisters, ImageSetupError> image_registers(Arch arch, const Stage2Regime& s2,
                                                        const Stage1Regime* s1) {
  return arch_image_registers(arch, s2, s1);
}

std::set<uint64_t> frames_read_by(const ImageSetup& setup, const PhysMem& mem,
                                  const std::vector<Probe>& probes) {
  RecordingPteMemory rec(mem);
  for (const Probe& p : probes) translate_probe(setup, rec, p);
  return rec.frames;
}

}  // namespace nptsim
