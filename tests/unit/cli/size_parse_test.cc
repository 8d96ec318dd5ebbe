// Size parsing and rendering of the CLI.
#include "models/core/common/size_parse.h"

#include <gtest/gtest.h>

namespace nptsim {
namespace {

TEST(ParseSize, UnitsAndBases) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("0x1000"), 4096u);
  EXPECT_EQ(parse_size("4K"), 4096u);
  EXPECT_EQ(parse_size("4GiB"), uint64_t{4} << 30);
  EXPECT_EQ(parse_size("4GB"), uint64_t{4} << 30);
  EXPECT_EQ(parse_size("1T"), uint64_t{1} << 40);
  EXPECT_EQ(parse_size("512B"), 512u);
  EXPECT_EQ(parse_size("64m"), uint64_t{64} << 20);
}

TEST(ParseSize, RejectsGarbageAndOverflow) {
  for (const char* bad :
       {"", "G", "4X", "4GiBs", "0x", "-1", "1.5G", "99999999999999999999", "16777216T"}) {
    EXPECT_EQ(parse_size(bad), std::nullopt) << bad;
  }
}

TEST(FormatSize, Readable) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(4096), "4 KiB");
  EXPECT_EQ(format_size(uint64_t{4} << 30), "4 GiB");
  EXPECT_EQ(format_size(1536 * 1024), "1.5 MiB");
}

}  // namespace
}  // namespace nptsim
