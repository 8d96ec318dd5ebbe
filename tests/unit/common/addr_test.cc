// Typed addresses, ranges and alignment helpers (spec §1).
#include "models/core/common/addr.h"

#include <gtest/gtest.h>

#include "models/core/common/page_size.h"

namespace nptsim {
namespace {

TEST(Align, HelpersFollowMemoryAddr) {
  EXPECT_EQ(align_down(0x1fff, 0x1000), 0x1000u);
  EXPECT_EQ(align_up(0x1001, 0x1000), 0x2000u);
  EXPECT_EQ(align_up(0x1000, 0x1000), 0x1000u);
  EXPECT_EQ(align_offset(0x12345, 0x1000), 0x345u);
  EXPECT_TRUE(is_aligned_4k(0x3000));
  EXPECT_FALSE(is_aligned_4k(0x3001));
  EXPECT_TRUE(GuestPhysAddr(0x4000'0000).is_aligned(kPageSize1G));
  EXPECT_FALSE(GuestPhysAddr(0x20'0000).is_aligned(kPageSize1G));
}

TEST(Addr, ArithmeticWrapsLikeTheReleaseBuild) {
  GuestPhysAddr a(0x1000);
  EXPECT_EQ((a - 0x2000).value(), 0xffff'ffff'ffff'f000u);
  EXPECT_EQ(GuestPhysAddr(0x5000) - GuestPhysAddr(0x1000), 0x4000u);
  EXPECT_EQ(checked_add(~uint64_t{0}, 1), std::nullopt);
  EXPECT_EQ(checked_add(1, 2), 3u);
}

TEST(Addr, DebugFormatsOfTheCrate) {
  EXPECT_EQ(to_string(GuestPhysAddr(0x1f)), "GPA:0x1f");
  EXPECT_EQ(to_string(GuestVirtAddr(0x10)), "GVA:0x10");
  EXPECT_EQ(to_string(HostPhysAddr(0xabc)), "PA:0xabc");
  EXPECT_EQ(to_string(HostVirtAddr(0)), "VA:0x0");
}

TEST(AddrRange, HalfOpenSemantics) {
  auto r = *GuestPhysAddrRange::try_from_start_size(GuestPhysAddr(0x1000), 0x2000);
  EXPECT_EQ(r.size(), 0x2000u);
  EXPECT_TRUE(r.contains(GuestPhysAddr(0x1000)));
  EXPECT_TRUE(r.contains(GuestPhysAddr(0x2fff)));
  EXPECT_FALSE(r.contains(GuestPhysAddr(0x3000)));
  // An empty range at the end is contained; empty ranges overlap nothing.
  GuestPhysAddrRange empty_at_end{GuestPhysAddr(0x3000), GuestPhysAddr(0x3000)};
  EXPECT_TRUE(r.contains_range(empty_at_end));
  EXPECT_TRUE(empty_at_end.is_empty());
  EXPECT_FALSE(r.overlaps(empty_at_end));
  GuestPhysAddrRange touching{GuestPhysAddr(0x3000), GuestPhysAddr(0x4000)};
  EXPECT_FALSE(r.overlaps(touching));
  GuestPhysAddrRange crossing{GuestPhysAddr(0x2fff), GuestPhysAddr(0x4000)};
  EXPECT_TRUE(r.overlaps(crossing));
  EXPECT_TRUE(r.contained_in(GuestPhysAddrRange{GuestPhysAddr(0), GuestPhysAddr(0x3000)}));
}

TEST(AddrRange, FromStartSizeRefusesOverflow) {
  EXPECT_FALSE(
      GuestPhysAddrRange::try_from_start_size(GuestPhysAddr(~uint64_t{0} - 0xfff), 0x2000));
  EXPECT_TRUE(GuestPhysAddrRange::try_from_start_size(GuestPhysAddr(~uint64_t{0} - 0xfff), 0xfff));
}

TEST(PageSize, SizesAndShifts) {
  EXPECT_EQ(bytes(PageSize::Size2M), 0x20'0000u);
  EXPECT_FALSE(is_huge(PageSize::Size4K));
  EXPECT_TRUE(is_huge(PageSize::Size1G));
  PageSize ps = PageSize::Size4K;
  EXPECT_TRUE(page_size_for_shift(30, &ps));
  EXPECT_EQ(ps, PageSize::Size1G);
  EXPECT_FALSE(page_size_for_shift(39, &ps));
  EXPECT_STREQ(to_string(PageSize::Size2M), "2M");
}

}  // namespace
}  // namespace nptsim
