// The /proc and /sys parsers of host_info and the points of the calibration series.
#include <gtest/gtest.h>

#include "sim/calibrate/host_info.h"
#include "sim/calibrate/series.h"

namespace nptsim::calibrate {
namespace {

TEST(HostInfo, ParsesCpuinfo) {
  const std::string x86 =
      "processor\t: 0\nmodel name\t: AMD EPYC 9554\nflags\t\t: fpu sse2 hypervisor avx\n";
  EXPECT_EQ(cpuinfo_model(x86), "AMD EPYC 9554");
  EXPECT_TRUE(cpuinfo_has_flag(x86, "hypervisor"));
  EXPECT_FALSE(cpuinfo_has_flag(x86, "hyper"));
  const std::string arm =
      "processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\n"
      "CPU part\t: 0xd0c\n";
  EXPECT_EQ(cpuinfo_model(arm), "Arm implementer 0x41 part 0xd0c");
  EXPECT_FALSE(cpuinfo_has_flag(arm, "hypervisor"));
  EXPECT_EQ(cpuinfo_model(""), "unknown");
}

TEST(HostInfo, ParsesThpMeminfoDmi) {
  EXPECT_EQ(thp_mode("always [madvise] never\n"), "madvise");
  EXPECT_EQ(thp_mode(""), "unknown");
  const std::string mi = "MemTotal:  100 kB\nMemAvailable:   2048 kB\nHugepagesize:    2048 kB\n";
  EXPECT_EQ(meminfo_bytes(mi, "MemAvailable"), 2048u * 1024);
  EXPECT_EQ(meminfo_bytes(mi, "Nope"), 0u);
  EXPECT_TRUE(dmi_names_vm("QEMU"));
  EXPECT_TRUE(dmi_names_vm("Microsoft Corporation Virtual Machine"));
  EXPECT_FALSE(dmi_names_vm("Dell Inc."));
}

TEST(HostInfo, SumsAnonHugePagesOfTheRegion) {
  const std::string smaps =
      "7f0000000000-7f0000400000 rw-p 00000000 00:00 0 \nSize:  4096 kB\n"
      "AnonHugePages:   4096 kB\nFilePmdMapped:  0 kB\n"
      "7f0000400000-7f0000600000 rw-p 00000000 00:00 0 \nAnonHugePages:   2048 kB\n";
  EXPECT_EQ(smaps_anon_huge_bytes(smaps, 0x7f0000000000, 0x7f0000400000), 4u << 20);
  EXPECT_EQ(smaps_anon_huge_bytes(smaps, 0x7f0000000000, 0x7f0000600000), 6u << 20);
  EXPECT_EQ(smaps_anon_huge_bytes(smaps, 0x7f0000600000, 0x7f0000800000), 0u);
}

TEST(Series, FootprintsAscendWholePagesWithinTheMaximum) {
  for (const SeriesDef& d : series_defs()) {
    for (bool quick : {false, true}) {
      const uint64_t max = quick ? d.quick_max : d.default_max;
      const auto fp = series_footprints(d, max, quick);
      ASSERT_GE(fp.size(), 2u) << d.name;
      EXPECT_EQ(fp.front(), d.min_footprint);
      EXPECT_EQ(fp.back(), max) << d.name;
      const uint64_t unit = d.mode == ChaseMode::LinePerPage ? d.page_bytes : 64;
      for (size_t i = 0; i < fp.size(); ++i) {
        EXPECT_EQ(fp[i] % unit, 0u);
        if (i) {
          EXPECT_GT(fp[i], fp[i - 1]);
        }
      }
    }
  }
  const auto tlb = series_footprints(*find_series("tlb-4k"), 32 * 4096, false);
  EXPECT_EQ(tlb, (std::vector<uint64_t>{8 * 4096, 10 * 4096, 12 * 4096, 14 * 4096, 16 * 4096,
                                        20 * 4096, 24 * 4096, 28 * 4096, 32 * 4096}));
  EXPECT_TRUE(series_footprints(*find_series("tlb-2m"), 1 << 20, false).empty());
  EXPECT_EQ(find_series("tlb-1g"), nullptr);
}

}  // namespace
}  // namespace nptsim::calibrate
