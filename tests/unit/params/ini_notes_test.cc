// read_ini's notes: the comment block above a key is its source (how presets cite each value).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "models/core/params/param_tree.h"

namespace nptsim {
namespace {

std::vector<IniEntry> read_text(const std::string& text) {
  const std::string path = ::testing::TempDir() + "ini_notes_test.ini";
  std::ofstream(path) << text;
  std::vector<IniEntry> out;
  EXPECT_FALSE(read_ini(path, out).has_value());
  std::remove(path.c_str());
  return out;
}

TEST(IniNotes, TheCommentAboveAKeyIsItsNote) {
  const auto e = read_text("[tlb.l1d]\n# Intel manual, Table 2-15\nentries = 64\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].key, "tlb.l1d.entries");
  EXPECT_EQ(e[0].note, "Intel manual, Table 2-15");
}

TEST(IniNotes, ConsecutiveCommentLinesJoinAndCoverTheFollowingKeys) {
  const auto e = read_text(
      "[mem.l2]\n# estimate: not published;\n# taken as Skylake's\n"
      "size = 1MiB\nways = 16\n# measured\nlatency = 14\n");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].note, "estimate: not published; taken as Skylake's");
  EXPECT_EQ(e[1].note, e[0].note);
  EXPECT_EQ(e[2].note, "measured");
}

TEST(IniNotes, ASectionHeaderEndsTheNote) {
  const auto e = read_text("# title of the file\n[core]\nfreq_ghz = 3\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].note, "");
}

TEST(IniNotes, TrailingCommentsAreNotNotes) {
  const auto e = read_text("[tlb.l2]\nentries = 1536 ; trailing\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].value, "1536");
  EXPECT_EQ(e[0].note, "");
}

}  // namespace
}  // namespace nptsim
