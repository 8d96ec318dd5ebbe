// Decoding of oracle-image registers (IMAGE.md §2) into walker regimes, and the answer lines.
#include "models/core/image/image_setup.h"

#include <gtest/gtest.h>

#include "models/core/image/image_export.h"
#include "models/core/image/probe_answer.h"
#include "models/core/walk/pte_memory.h"

namespace nptsim {
namespace {

ImageRegisters arm(uint64_t vtcr) {
  ImageRegisters r;
  r.arch = "aarch64";
  r.ad_policy = "fault";
  r.stage2 = {{"vtcr_el2", vtcr}, {"vttbr_el2", 0x4020'0000}};
  return r;
}

TEST(ImageSetup, AArch64StartLevelOneWith40BitIpaConcatenatesTwoRootPages) {
  // T0SZ = 24 (40-bit IPA), SL0 = 1 (start at level 1), PS = 2 (40 bits).
  auto s = image_setup(arm(24 | (1u << 6) | (2u << 16)));
  ASSERT_TRUE(s.ok()) << s.error().field << " " << s.error().message;
  EXPECT_EQ(s->s2.geometry.levels, 3);
  EXPECT_EQ(s->s2_first_level, 1);
  EXPECT_EQ(s->s2.geometry.root_frames(), 2u);
  EXPECT_EQ(s->s2.geometry.input_bits(), 40u);
  EXPECT_EQ(s->s2.pa_bits, 40u);
  EXPECT_FALSE(s->two_stage);
}

TEST(ImageSetup, AArch64RejectsInconsistentStartLevelAndOtherGranules) {
  auto bad_sl = image_setup(arm(24 | (0u << 6)));  // 40-bit IPA at start level 2: 2^19 tables
  ASSERT_FALSE(bad_sl.ok());
  EXPECT_EQ(bad_sl.error().field, "stage2.vtcr_el2");
  auto granule = image_setup(arm(24 | (1u << 6) | (1u << 14)));
  ASSERT_FALSE(granule.ok());
  EXPECT_EQ(granule.error().field, "stage2.vtcr_el2.TG0");
}

TEST(ImageSetup, HwUpdatePolicyMustMatchTheHaBits) {
  ImageRegisters r = arm(24 | (1u << 6));
  r.ad_policy = "hw-update";
  auto s = image_setup(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "ad_policy");
}

TEST(ImageSetup, RiscvRootIsSixteenKiBAlignedAndSvpbmtIsRefused) {
  ImageRegisters r;
  r.arch = "riscv64";
  r.stage2 = {{"hgatp", (uint64_t{8} << 60) | 0x80203}};  // low two PPN bits read as zero
  auto s = image_setup(r);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->s2.root.value(), 0x8020'0000u);
  EXPECT_EQ(s->s2.geometry.input_bits(), 41u);
  r.params["svpbmt"] = 1;
  auto refused = image_setup(r);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "params.svpbmt");
}

TEST(ImageSetup, ExportedRegistersDecodeToTheSameRegimes) {
  for (Arch a : kAllArchs) {
    Stage2Regime s2;
    s2.geometry = *hardware_walk_geometry(
        Stage2Config{a, a == Arch::X86_64 ? 4 : 3, GeometryMode::Hardware, 0});
    s2.root = HostPhysAddr(0x4100'0000);
    s2.pa_bits = 40;
    s2.arm_hw_access_flag = s2.riscv_hw_ad = true;
    Stage1Regime s1;
    s1.geometry = *stage1_geometry(a, 4);
    s1.root = GuestPhysAddr(0x2000);
    s1.arm_hw_af = s1.riscv_hw_ad = true;
    auto regs = image_registers(a, s2, &s1);
    ASSERT_TRUE(regs.ok()) << to_string(a);
    auto s = image_setup(*regs);
    ASSERT_TRUE(s.ok()) << to_string(a) << ": " << s.error().field << " " << s.error().message;
    EXPECT_TRUE(s->two_stage);
    EXPECT_EQ(s->s2.root, s2.root) << to_string(a);
    EXPECT_EQ(s->s2.geometry.levels, s2.geometry.levels) << to_string(a);
    EXPECT_EQ(s->s2.geometry.input_bits(), s2.geometry.input_bits()) << to_string(a);
    EXPECT_EQ(s->s1.root, s1.root) << to_string(a);
    EXPECT_EQ(s->s1.geometry.levels, 4) << to_string(a);
  }
}

TEST(ProbeAnswer, EptViolationKindFollowsTheAndOfTheEntriesWalked) {
  // An EPT whose PML4E allows read only (R=1) and the PTE allows write+read: a write faults
  // with permission (R/W/X AND = R), an access to a not-present PDE with translation.
  ImageRegisters r;
  r.arch = "x86_64";
  r.stage2 = {{"eptp", 0x10000 | 6 | (3u << 3)}};
  auto s = image_setup(r);
  ASSERT_TRUE(s.ok());
  PhysMem mem;
  mem.write_u64(HostPhysAddr(0x10000), 0x11000 | 1);              // PML4E: R
  mem.write_u64(HostPhysAddr(0x11000), 0x12000 | 7);              // PDPTE
  mem.write_u64(HostPhysAddr(0x12000), 0x13000 | 7);              // PDE[0]
  mem.write_u64(HostPhysAddr(0x13000), 0x50000 | 7 | (6u << 3));  // PTE[0]: RWX, WB
  DirectPteMemory m(mem);
  const Probe write{0, AccessKind::Write, 0x18};
  EXPECT_EQ(answer_line(*s, write, translate_probe(*s, m, write)),
            "0 FAULT stage=2 kind=permission gpa=0x18 on=final");
  const Probe read{1, AccessKind::Read, 0x18};
  EXPECT_EQ(answer_line(*s, read, translate_probe(*s, m, read)), "1 OK pa=0x50018");
  const Probe absent{2, AccessKind::Read, 0x200000};
  EXPECT_EQ(answer_line(*s, absent, translate_probe(*s, m, absent)),
            "2 FAULT stage=2 kind=translation gpa=0x200000 on=final");
}

}  // namespace
}  // namespace nptsim
