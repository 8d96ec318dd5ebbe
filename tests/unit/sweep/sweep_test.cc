// Sweep files, their expansion into jobs, and the engines' small helpers (sim/sweep/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "sim/sweep/sweep_engines.h"
#include "sim/sweep/sweep_plan.h"
#include "sim/sweep/sweep_spec.h"

namespace fs = std::filesystem;
using namespace nptsim::sweep;

namespace {

std::vector<std::string> values_of(const std::string& text) {
  std::vector<std::string> out;
  const std::string error = expand_values(text, out, true);
  EXPECT_EQ(error, "") << text;
  return out;
}

std::string error_of(const std::string& text) {
  std::vector<std::string> out;
  return expand_values(text, out, true);
}

using Strings = std::vector<std::string>;

TEST(SweepValues, ListsAreTrimmedAndKeptInOrder) {
  EXPECT_EQ(values_of(" 512, 1536 ,4096"), (Strings{"512", "1536", "4096"}));
  EXPECT_EQ(values_of("hash, pa_bits"), (Strings{"hash", "pa_bits"}));
}

TEST(SweepValues, RangesCountByOneByAStepOrByAFactor) {
  EXPECT_EQ(values_of("1..4"), (Strings{"1", "2", "3", "4"}));
  EXPECT_EQ(values_of("0..100 +40"), (Strings{"0", "40", "80"}));
  EXPECT_EQ(values_of("512..4096 *2"), (Strings{"512", "1024", "2048", "4096"}));
  EXPECT_EQ(values_of("1, 4..5"), (Strings{"1", "4", "5"}));
}

TEST(SweepValues, EmptyListsAndBadRangesAreErrors) {
  EXPECT_NE(error_of(""), "");
  EXPECT_NE(error_of("1,,2"), "");
  EXPECT_NE(error_of("4..1"), "");
  EXPECT_NE(error_of("1..4 *1"), "");
  EXPECT_NE(error_of("1..4 -1"), "");
  EXPECT_NE(error_of("1..x"), "");
}

TEST(SweepValues, WithoutRangesDotsAreText) {
  std::vector<std::string> out;
  EXPECT_EQ(expand_values("../a.nptb, 1..2", out, false), "");
  EXPECT_EQ(out, (Strings{"../a.nptb", "1..2"}));
}

TEST(SweepEngines, ArrayIndicesBecomeRanges) {
  EXPECT_EQ(array_ranges({1, 2, 3, 5, 7, 8, 9}), "1-3,5,7-9");
  EXPECT_EQ(array_ranges({4}), "4");
  EXPECT_EQ(array_ranges({}), "");
}

TEST(SweepPlan, ShellQuotingOnlyWhereNeeded) {
  EXPECT_EQ(shell_quote("/usr/bin/nptsim"), "/usr/bin/nptsim");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}

// A sweep file in a fresh directory holding an (empty) trace file t.nptb.
class SweepFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nptsim-sweep-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    std::ofstream(dir_ / "t.nptb") << "";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& text) {
    const std::string path = (dir_ / "s.ini").string();
    std::ofstream(path) << text;
    return path;
  }
  // The error of reading `text` as a sweep file, "" when it reads.
  std::string error(const std::string& text) {
    try {
      read_sweep_file(write(text));
    } catch (const SweepError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(SweepFile, ReadsSettingsAxesAndFixedKeys) {
  const SweepSpec s = read_sweep_file(
      write("[sweep]\nname = n1\ntrace = t.nptb\narch = x86_64, riscv64\nbackend = linear, lazy\n"
            "timing = off\n[axes]\ntlb.l2.entries = 512, 1024\nmmu.walkers = 1..2\n"
            "[fixed]\ncore.window = 32\n"));
  EXPECT_EQ(s.name, "n1");
  EXPECT_EQ(s.traces, Strings{"t.nptb"});
  EXPECT_EQ(s.archs, (Strings{"x86_64", "riscv64"}));
  ASSERT_EQ(s.axes.size(), 2u);
  EXPECT_EQ(s.axes[1].values, (Strings{"1", "2"}));
  EXPECT_EQ(s.fixed.size(), 1u);
  EXPECT_EQ(s.presets, Strings{""});  // no preset: the built-in defaults
}

TEST_F(SweepFile, ErrorsNameTheFileAndLine) {
  EXPECT_NE(error("[axes]\nno.such.key = 1\n").find("s.ini:2: no configuration key 'no.such.key'"),
            std::string::npos);
  EXPECT_NE(error("[sweep]\n\n[axes]\ntlb.l2.entries = \n").find("s.ini:4: axis tlb.l2.entries"),
            std::string::npos);
  EXPECT_NE(
      error("[sweep]\ntrace = missing.nptb\n").find("s.ini:2: trace 'missing.nptb' not found"),
      std::string::npos);
  EXPECT_NE(error("[sweep]\ncolour = blue\n").find("s.ini:2: unknown sweep setting 'colour'"),
            std::string::npos);
  EXPECT_NE(error("[other]\nx = 1\n").find("s.ini:2:"), std::string::npos);
  EXPECT_NE(error("[axes]\ntlb.l2.entries = 512, lots\n").find("s.ini:2: tlb.l2.entries = 'lots'"),
            std::string::npos);
  EXPECT_NE(error("[axes]\ncore.window = 8\n[fixed]\ncore.window = 4\n").find("s.ini:4:"),
            std::string::npos);
  EXPECT_NE(error("[sweep]\narch = sparc\n").find("s.ini:2: arch: unknown architecture 'sparc'"),
            std::string::npos);
}

TEST_F(SweepFile, ExpandsEveryCombinationWithDistinctIds) {
  const SweepSpec s = read_sweep_file(
      write("[sweep]\narch = x86_64, aarch64, riscv64\nbackend = linear, lazy\n[axes]\n"
            "tlb.l2.entries = 512, 1536, 4096\n[fixed]\ntlb.l2.ways = 8\n"));
  const std::vector<SweepJob> jobs = expand(s, "/bin/nptsim");
  ASSERT_EQ(jobs.size(), 18u);
  std::set<std::string> ids;
  for (const SweepJob& j : jobs) ids.insert(j.id);
  EXPECT_EQ(ids.size(), 18u);
  // Outermost the axis, innermost the backend.
  EXPECT_EQ(jobs[0].point.front().second, "512");
  EXPECT_EQ(jobs[1].backend, "lazy");
  EXPECT_EQ(jobs[6].point.front().second, "1536");
  EXPECT_EQ(jobs[0].id.rfind("x86_64-linear-", 0), 0u);
  EXPECT_NE(job_command(jobs[0], "/r/x.json").find("--set tlb.l2.entries=512 --json /r/x.json"),
            std::string::npos);
}

TEST_F(SweepFile, AJobKeepsItsIdWhenTheSweepGrowsOrTheBinaryMoves) {
  const auto ids = [&](const std::string& text, const std::string& binary) {
    std::set<std::string> out;
    for (const SweepJob& j : expand(read_sweep_file(write(text)), binary)) out.insert(j.id);
    return out;
  };
  const auto small = ids("[sweep]\narch = x86_64\n[axes]\nmmu.walkers = 1, 2\n", "/a/nptsim");
  const auto grown = ids("[sweep]\narch = x86_64\n[axes]\nmmu.walkers = 1..4\n", "/b/nptsim");
  for (const std::string& id : small) EXPECT_EQ(grown.count(id), 1u) << id;
  EXPECT_EQ(grown.size(), 4u);
}

TEST_F(SweepFile, RepeatedValuesAreRejected) {
  EXPECT_THROW(expand(read_sweep_file(write("[sweep]\narch = x86_64, x86_64\n")), "nptsim"),
               SweepError);
}

}  // namespace
