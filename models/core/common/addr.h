// Typed 64-bit addresses, half-open ranges and alignment helpers (spec §1).
//
// Contract: every address type is a distinct 64-bit newtype, totally ordered, default 0.
// Arithmetic operators wrap modulo 2^64 (the crate's optimised-build semantics, conformance
// README "Debug-build differences"); code that must detect overflow uses the checked_* helpers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace nptsim {

// Alignment helpers of memory_addr (spec §1.2). `align` must be a power of two (not checked).
constexpr uint64_t align_down(uint64_t a, uint64_t align) { return a & ~(align - 1); }
constexpr uint64_t align_up(uint64_t a, uint64_t align) { return (a + align - 1) & ~(align - 1); }
constexpr uint64_t align_offset(uint64_t a, uint64_t align) { return a & (align - 1); }
constexpr bool is_aligned(uint64_t a, uint64_t align) { return align_offset(a, align) == 0; }
constexpr bool is_aligned_4k(uint64_t a) { return is_aligned(a, 0x1000); }

// a + b, or nothing when the sum does not fit in 64 bits.
constexpr std::optional<uint64_t> checked_add(uint64_t a, uint64_t b) {
  if (a + b < a) return std::nullopt;
  return a + b;
}

// One strongly typed address kind. Tag only distinguishes the kinds at compile time.
template <class Tag>
class Addr {
 public:
  constexpr Addr() = default;
  constexpr explicit Addr(uint64_t v) : v_(v) {}
  constexpr uint64_t value() const { return v_; }

  constexpr Addr operator+(uint64_t n) const { return Addr(v_ + n); }
  constexpr Addr operator-(uint64_t n) const { return Addr(v_ - n); }
  constexpr uint64_t operator-(Addr o) const { return v_ - o.v_; }
  Addr& operator+=(uint64_t n) {
    v_ += n;
    return *this;
  }

  constexpr Addr align_down(uint64_t al) const { return Addr(nptsim::align_down(v_, al)); }
  constexpr Addr align_up(uint64_t al) const { return Addr(nptsim::align_up(v_, al)); }
  constexpr uint64_t align_offset(uint64_t al) const { return nptsim::align_offset(v_, al); }
  constexpr bool is_aligned(uint64_t al) const { return nptsim::is_aligned(v_, al); }
  constexpr bool is_aligned_4k() const { return nptsim::is_aligned_4k(v_); }

  friend constexpr bool operator==(Addr a, Addr b) { return a.v_ == b.v_; }
  friend constexpr bool operator!=(Addr a, Addr b) { return a.v_ != b.v_; }
  friend constexpr bool operator<(Addr a, Addr b) { return a.v_ < b.v_; }
  friend constexpr bool operator<=(Addr a, Addr b) { return a.v_ <= b.v_; }
  friend constexpr bool operator>(Addr a, Addr b) { return a.v_ > b.v_; }
  friend constexpr bool operator>=(Addr a, Addr b) { return a.v_ >= b.v_; }

 private:
  uint64_t v_ = 0;
};

struct GuestPhysTag {};
struct GuestVirtTag {};
struct HostPhysTag {};
struct HostVirtTag {};
using GuestPhysAddr = Addr<GuestPhysTag>;
using GuestVirtAddr = Addr<GuestVirtTag>;
using HostPhysAddr = Addr<HostPhysTag>;
using HostVirtAddr = Addr<HostVirtTag>;

// "0x1f" style lowercase hex, the format of the conformance vectors.
std::string to_hex(uint64_t v);
// The crate's Debug formats: "GPA:0x..", "GVA:0x..", "PA:0x..", "VA:0x.." (spec §1.1).
std::string to_string(GuestPhysAddr a);
std::string to_string(GuestVirtAddr a);
std::string to_string(HostPhysAddr a);
std::string to_string(HostVirtAddr a);

// Half-open range [start, end) (spec §1.3). An empty range (start >= end) overlaps nothing.
template <class A>
struct AddrRange {
  A start;
  A end;

  // [start, start + size), or nothing when start + size overflows (the crate panics there).
  static std::optional<AddrRange> try_from_start_size(A start, uint64_t size) {
    auto end = checked_add(start.value(), size);
    if (!end) return std::nullopt;
    return AddrRange{start, A(*end)};
  }

  bool is_empty() const { return start >= end; }
  uint64_t size() const { return end - start; }
  bool contains(A a) const { return start <= a && a < end; }
  bool contains_range(const AddrRange& o) const { return start <= o.start && o.end <= end; }
  bool contained_in(const AddrRange& o) const { return o.contains_range(*this); }
  bool overlaps(const AddrRange& o) const { return start < o.end && o.start < end; }
  friend bool operator==(const AddrRange& a, const AddrRange& b) {
    return a.start == b.start && a.end == b.end;
  }
};

using GuestPhysAddrRange = AddrRange<GuestPhysAddr>;
using GuestVirtAddrRange = AddrRange<GuestVirtAddr>;

}  // namespace nptsim
