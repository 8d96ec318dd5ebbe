// PhysFrame: one owned 4 KiB host-physical frame, freed when the object dies (spec §6.3).
//
// Unlike the crate, nothing here panics: a refused allocation is AxError::NoMemory, a frame at
// HPA 0 (which the crate asserts against) is AxError::Panic, and using an uninitialised frame
// reports an error instead of panicking. Not copyable; moving transfers ownership.
#pragma once

#include <cstdint>
#include <optional>

#include "models/core/common/addr.h"
#include "models/core/common/errors.h"
#include "models/core/common/result.h"
#include "models/core/mem/frame_allocator.h"
#include "models/core/mem/phys_mem.h"

namespace nptsim {

class PhysFrame {
 public:
  // Allocates one frame; its content is whatever the memory held.
  static Result<PhysFrame, AxStatusError> alloc(FrameAllocator& frames, PhysMem& mem);
  // Allocates one frame and fills it with zeros.
  static Result<PhysFrame, AxStatusError> alloc_zero(FrameAllocator& frames, PhysMem& mem);
  // A placeholder that owns no frame; dropping it frees nothing.
  static PhysFrame uninit() { return PhysFrame(); }

  PhysFrame(PhysFrame&& o) noexcept { *this = std::move(o); }
  PhysFrame& operator=(PhysFrame&& o) noexcept;
  PhysFrame(const PhysFrame&) = delete;
  PhysFrame& operator=(const PhysFrame&) = delete;
  ~PhysFrame() { release(); }

  bool initialized() const { return start_.has_value(); }
  // The frame's address; nothing for an uninitialised placeholder.
  std::optional<HostPhysAddr> start_paddr() const { return start_; }
  // Writes `byte` over exactly 4096 bytes; BadState on an uninitialised placeholder.
  Result<void, AxStatusError> fill(uint8_t byte);

 private:
  PhysFrame() = default;
  void release();

  FrameAllocator* frames_ = nullptr;
  PhysMem* mem_ = nullptr;
  std::optional<HostPhysAddr> start_;
};

}  // namespace nptsim
