#include "models/core/mem/phys_frame.h"

#include <utility>

namespace nptsim {

Result<PhysFrame, AxStatusError> PhysFrame::alloc(FrameAllocator& frames, PhysMem& mem) {
  auto pa = frames.alloc_frame();
  if (!pa) return fail(AxStatusError{AxError::NoMemory, "no free frame"});
  if (pa->value() == 0) {
    return fail(AxStatusError{AxError::Panic, "frame allocator returned HPA 0"});
  }
  PhysFrame f;
  f.frames_ = &frames;
  f.mem_ = &mem;
  f.start_ = *pa;
  return f;
}

Result<PhysFrame, AxStatusError> PhysFrame::alloc_zero(FrameAllocator& frames, PhysMem& mem) {
  auto f = alloc(frames, mem);
  if (f.ok()) f.value().mem_->discard_frame(*f.value().start_);
  return f;
}

PhysFrame& PhysFrame::operator=(PhysFrame&& o) noexcept {
  if (this != &o) {
    release();
    frames_ = o.frames_;
    mem_ = o.mem_;
    start_ = std::exchange(o.start_, std::nullopt);
  }
  return *this;
}

Result<void, AxStatusError> PhysFrame::fill(uint8_t byte) {
  if (!start_) return fail(AxStatusError{AxError::BadState, "uninitialized PhysFrame"});
  mem_->fill(*start_, byte, kFrameBytes);
  return {};
}

void PhysFrame::release() {
  if (start_) frames_->dealloc_frame(*start_);
  start_.reset();
}

}  // namespace nptsim
