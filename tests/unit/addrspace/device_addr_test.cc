// Device address types (spec §10).
#include "models/core/addrspace/device_addr.h"

#include <gtest/gtest.h>

#include "models/core/addrspace/fault_info.h"

namespace nptsim {
namespace {

TEST(AccessWidth, FromSizeAndBits) {
  EXPECT_EQ(access_width_from_size(1), AccessWidth::Byte);
  EXPECT_EQ(access_width_from_size(2), AccessWidth::Word);
  EXPECT_EQ(access_width_from_size(4), AccessWidth::Dword);
  EXPECT_EQ(access_width_from_size(8), AccessWidth::Qword);
  EXPECT_EQ(access_width_from_size(3), std::nullopt);
  EXPECT_EQ(access_width_from_size(16), std::nullopt);
  EXPECT_EQ(size(AccessWidth::Dword), 4u);
  EXPECT_EQ(bits_range_end(AccessWidth::Word), 16u);
}

TEST(Port, FormatsAndInclusiveRange) {
  EXPECT_EQ(to_hex_string(Port{0x3f8}), "Port(0x3f8)");
  EXPECT_EQ(to_debug_string(Port{0x3f8}), "Port(1016)");
  PortRange com1{Port{0x3f8}, Port{0x3ff}};
  EXPECT_TRUE(com1.contains(Port{0x3f8}));
  EXPECT_TRUE(com1.contains(Port{0x3ff}));  // inclusive end
  EXPECT_FALSE(com1.contains(Port{0x400}));
  EXPECT_EQ(to_hex_string(com1), "0x3f8..=0x3ff");
}

TEST(SysRegAddr, InclusiveRange) {
  SysRegAddrRange r{SysRegAddr{0x10}, SysRegAddr{0x20}};
  EXPECT_TRUE(r.contains(SysRegAddr{0x20}));
  EXPECT_FALSE(r.contains(SysRegAddr{0x21}));
  EXPECT_EQ(to_hex_string(r), "0x10..=0x20");
}

TEST(GpaRange, HalfOpenAsDeviceRange) {
  GuestPhysAddrRange r{GuestPhysAddr(0x1000), GuestPhysAddr(0x2000)};
  EXPECT_TRUE(device_range_contains(r, GuestPhysAddr(0x1fff)));
  EXPECT_FALSE(device_range_contains(r, GuestPhysAddr(0x2000)));
}

TEST(NestedPageFaultInfo, PlainData) {
  NestedPageFaultInfo f{MappingFlags(MappingFlags::WRITE), GuestPhysAddr(0x1234)};
  EXPECT_TRUE(f.access_flags.has(MappingFlags::WRITE));
  EXPECT_EQ(f.fault_guest_paddr.value(), 0x1234u);
}

}  // namespace
}  // namespace nptsim
