// MappingFlags bit positions and names (spec §7), error conversions (spec §2).
#include "models/core/common/mapping_flags.h"

#include <gtest/gtest.h>

#include "models/core/common/errors.h"

namespace nptsim {
namespace {

TEST(MappingFlags, BitPositionsOfTheCrate) {
  EXPECT_EQ(MappingFlags::READ, 1u);
  EXPECT_EQ(MappingFlags::WRITE, 2u);
  EXPECT_EQ(MappingFlags::EXECUTE, 4u);
  EXPECT_EQ(MappingFlags::USER, 8u);
  EXPECT_EQ(MappingFlags::DEVICE, 16u);
  EXPECT_EQ(MappingFlags::UNCACHED, 32u);
  EXPECT_EQ(MappingFlags(0xff).bits(), 0x3fu);  // unknown bits are dropped
}

TEST(MappingFlags, ContainsIsSubset) {
  MappingFlags rw(MappingFlags::READ | MappingFlags::WRITE);
  EXPECT_TRUE(rw.contains(MappingFlags()));
  EXPECT_TRUE(rw.contains(MappingFlags::WRITE));
  EXPECT_FALSE(rw.contains(MappingFlags(MappingFlags::WRITE | MappingFlags::EXECUTE)));
}

TEST(MappingFlags, NamesRoundTrip) {
  EXPECT_EQ(MappingFlags::from_name("UNCACHED"), MappingFlags::UNCACHED);
  EXPECT_EQ(MappingFlags::from_name("read"), std::nullopt);
  EXPECT_STREQ(MappingFlags::bit_name(MappingFlags::DEVICE), "DEVICE");
  EXPECT_EQ(MappingFlags::bit_name(64), nullptr);
  EXPECT_EQ(MappingFlags(MappingFlags::READ | MappingFlags::USER).to_string(), "READ|USER");
  EXPECT_EQ(MappingFlags().to_string(), "(empty)");
}

TEST(Errors, MappingErrorToAxError) {
  EXPECT_EQ(to_ax_error(MappingError::InvalidParam), AxError::InvalidInput);
  EXPECT_EQ(to_ax_error(MappingError::AlreadyExists), AxError::AlreadyExists);
  EXPECT_EQ(to_ax_error(MappingError::BadState), AxError::BadState);
  EXPECT_EQ(to_ax_error(MappingError::Panic), AxError::Panic);
  EXPECT_STREQ(to_string(AxError::NoMemory), "NoMemory");
  EXPECT_STREQ(to_string(PagingError::MappedToHugePage), "MappedToHugePage");
  EXPECT_STREQ(to_string(MappingError::InvalidParam), "InvalidParam");
}

}  // namespace
}  // namespace nptsim
