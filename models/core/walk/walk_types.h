// What a hardware page-table walk yields (DESIGN.md convention 4): its steps, each one PTE read
// (or A/D write-back) at a host-physical address, and a result or a fault. A walk is a pure
// function of the request and memory; timing models replay its steps as timed reads.
#pragma once

#include <array>
#include <cstdint>

#include "models/core/common/addr.h"
#include "models/core/common/page_size.h"

namespace nptsim {

enum class AccessKind : uint8_t { Read, Write, Fetch };
enum class Stage : uint8_t { Stage1, Stage2 };

// A set of access kinds, one bit per AccessKind (what a translation permits, what a TLB entry
// may serve without a walk).
using AccessMask = uint8_t;
constexpr AccessMask access_bit(AccessKind a) {
  return static_cast<AccessMask>(1u << static_cast<unsigned>(a));
}
constexpr AccessMask kAllAccess = 7;

const char* to_string(AccessKind a);
const char* to_string(Stage s);

struct WalkStep {
  Stage stage = Stage::Stage2;
  int8_t level = 0;       // depth from the root: 0 is the root table
  bool write = false;     // an A/D write-back of this entry rather than a read
  HostPhysAddr pte_addr;  // where the entry is
  uint64_t raw = 0;       // the entry read (for a write-back: the value written)
};

// Why a walk stopped. Each format documents which architectural fault each kind stands for.
enum class FaultKind : uint8_t {
  Translation,   // an entry is not valid/present (EPT violation, stage-2 translation fault,
                 // guest-page fault), or the input address is out of range
  Permission,    // the leaf does not allow the access
  Misconfig,     // a reserved or contradictory encoding (EPT misconfiguration, reserved bits,
                 // a block where none is allowed, a misaligned superpage)
  AddressSize,   // an output address beyond the physical address size (AArch64)
  AccessFlag,    // A (or D for a write) clear and no hardware update (AArch64 AF, RISC-V Svade)
  NonCanonical,  // a guest-virtual address outside the stage-1 range (x86 #GP, RISC-V and
                 // AArch64 translation faults of an invalid VA)
};
constexpr int kFaultKindCount = 6;
const char* to_string(FaultKind k);

struct Fault {
  Stage stage = Stage::Stage2;
  FaultKind kind = FaultKind::Translation;
  int8_t level = 0;   // depth of the entry that faulted (in the faulting stage)
  GuestPhysAddr gpa;  // the guest-physical address being translated (a stage-2 fault)
  GuestVirtAddr gva;  // the guest-virtual address (two-dimensional walks)
  // Two-dimensional walks: a stage-2 fault while translating the address of a stage-1 table
  // entry (at stage-1 depth s1_level), rather than the final guest-physical address.
  bool on_stage1_table = false;
  int8_t s1_level = 0;
};

// Up to kMaxSteps steps, no allocation. The reads per stage and depth, and the write-backs, are
// counted as steps are pushed (statistics without a second pass over the steps).
class WalkSteps {
 public:
  static constexpr size_t kMaxSteps = 64;
  static constexpr int kMaxDepths = 8;
  WalkSteps() {}  // slots stay uninitialised until pushed (a walk result is built per walk)
  WalkSteps(const WalkSteps& o) { *this = o; }
  WalkSteps& operator=(const WalkSteps& o) {
    n_ = o.n_;
    writes_ = o.writes_;
    for (int st = 0; st < 2; ++st) {
      for (int d = 0; d < kMaxDepths; ++d) reads_[st][d] = o.reads_[st][d];
    }
    for (size_t i = 0; i < n_; ++i) slots_[i].step = o.slots_[i].step;
    return *this;
  }
  void push(const WalkStep& s) {
    if (n_ == kMaxSteps) return;
    slots_[n_++].step = s;
    if (s.write) {
      ++writes_;
    } else {
      ++reads_[static_cast<int>(s.stage)][s.level];
    }
  }
  size_t size() const { return n_; }
  const WalkStep& operator[](size_t i) const { return slots_[i].step; }
  const WalkStep* begin() const { return &slots_[0].step; }
  const WalkStep* end() const { return &slots_[0].step + n_; }
  size_t reads() const { return n_ - writes_; }
  // Entries read in `stage` at `depth` (0 <= depth < kMaxDepths).
  uint32_t reads(Stage stage, int depth) const { return reads_[static_cast<int>(stage)][depth]; }
  size_t writes() const { return writes_; }
  // Adds the reads of `stage` at depths 0..depths-1 to per_depth[]; returns their sum.
  uint32_t add_reads_to(Stage stage, uint64_t* per_depth, int depths) const {
    uint32_t sum = 0;
    for (int d = 0; d < depths; ++d) {
      per_depth[d] += reads(stage, d);
      sum += reads(stage, d);
    }
    return sum;
  }
  void clear() { *this = WalkSteps(); }

 private:
  union Slot {
    Slot() {}
    WalkStep step;
  };
  static_assert(sizeof(Slot) == sizeof(WalkStep), "slots must be contiguous steps");
  std::array<Slot, kMaxSteps> slots_;
  size_t n_ = 0;
  uint32_t writes_ = 0;
  uint8_t reads_[2][kMaxDepths] = {};
};

struct WalkResult {
  bool ok = false;
  HostPhysAddr hpa;                  // the translation of the requested address (when ok)
  PageSize size = PageSize::Size4K;  // the leaf's size (when ok and 4K/2M/1G)
  uint8_t leaf_shift = 12;           // log2 of the leaf's span (39 for a RISC-V 512 GiB leaf)
  uint8_t s1_leaf_shift = 12;        // two-dimensional walks: the stage-1 leaf's span
  GuestPhysAddr gpa;                 // two-dimensional walks: the guest-physical address
  Fault fault;                       // why it failed (when !ok)
  int8_t leaf_depth = 0;             // depth of the leaf (when ok)
  // When ok: the access kinds the translation permits (both stages in a two-dimensional walk),
  // and the subset a TLB entry may serve later without a walk: permitted and with no A/D update
  // due (a write to a page whose dirty flag hardware must still set walks again).
  AccessMask permitted = 0;
  AccessMask tlb_servable = 0;
  bool write_permitted() const { return permitted & access_bit(AccessKind::Write); }
  // For each depth whose entry pointed to a next-level table: that table, and the permissions
  // accumulated down to it (what a walk cache keeps).
  // Addresses in the stage's table space: host-physical for stage 2, guest-physical for stage 1.
  uint64_t next_table[8] = {};
  uint32_t path[8] = {};
  WalkSteps steps;
};

}  // namespace nptsim
