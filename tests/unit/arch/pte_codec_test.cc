// Golden encodings of the three nested page-table entry codecs (spec §9.1 x86 EPT, §9.2 AArch64
// stage 2, §9.3 RISC-V G-stage), their predicates and reverse flags (spec §8.2), and the
// format-independent codec properties as a typed test.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "models/core/arch/arm64_s2/s2_pte.h"
#include "models/core/arch/riscv_gstage/gstage_pte.h"
#include "models/core/arch/x86_ept/ept_pte.h"
#include "models/core/common/addr.h"
#include "models/core/common/mapping_flags.h"

namespace nptsim {
namespace {

using F = MappingFlags;
constexpr uint32_t kR = F::READ;
constexpr uint32_t kW = F::WRITE;
constexpr uint32_t kX = F::EXECUTE;
constexpr uint32_t kU = F::USER;
constexpr uint32_t kDev = F::DEVICE;
constexpr uint32_t kUc = F::UNCACHED;

constexpr uint64_t kP = 0x0000'0123'4567'8000;  // a 4 KiB-aligned HPA below 2^44
const HostPhysAddr P(kP);
const HostPhysAddr kAllOnes(0xFFFF'FFFF'FFFF'F000);  // every HPA bit above the page offset

// ---------------------------------------------------------------------------------------------
// §9.1 x86 EPT

using Ept = x86_ept::EptPte;

// §9.1 "Examples": leaf encodings (memtype WB=6 at bits 5:3, bit 7 for 2M/1G) and the table entry.
TEST(EptPte, GoldenLeafAndTableEncodings) {
  EXPECT_EQ(Ept::new_page(P, kR, false), kP | 0x31);
  EXPECT_EQ(Ept::new_page(P, kR | kW, false), kP | 0x33);
  EXPECT_EQ(Ept::new_page(P, kR | kX, false), kP | 0x35);
  EXPECT_EQ(Ept::new_page(P, kR | kW | kX, false), kP | 0x37);
  EXPECT_EQ(Ept::new_page(P, kDev | kR | kW, false), kP | 0x03);
  EXPECT_EQ(Ept::new_page(P, kR | kW, true), kP | 0xB3);       // RW 2M
  EXPECT_EQ(Ept::new_page(P, kR | kW | kX, true), kP | 0xB7);  // RWX 1G
  // USER and UNCACHED are ignored.
  EXPECT_EQ(Ept::new_page(P, kR | kW | kU | kUc, false), kP | 0x33);
  // Empty flags: flag part 0; the lazy placeholder (P = 0) is the all-zero entry.
  EXPECT_EQ(Ept::new_page(P, F(), false), kP);
  EXPECT_EQ(Ept::new_page(HostPhysAddr(0), F(), false), 0u);
  // Table entry: P | RWX.
  EXPECT_EQ(Ept::new_table(P), kP | 0x7);
}

// §9.1 "Predicates": unused <=> raw 0; present <=> any of bits 0-2; huge <=> bit 7.
TEST(EptPte, Predicates) {
  EXPECT_TRUE(Ept::is_unused(0));
  EXPECT_FALSE(Ept::is_unused(kP));  // empty-flag leaf with an address: used, not present
  EXPECT_FALSE(Ept::is_present(0));
  EXPECT_FALSE(Ept::is_present(kP | 0x30));  // memtype only
  EXPECT_TRUE(Ept::is_present(kP | 0x1));
  EXPECT_TRUE(Ept::is_present(kP | 0x2));  // write-only: present to the crate
  EXPECT_TRUE(Ept::is_present(kP | 0x4));  // execute-only
  EXPECT_TRUE(Ept::is_huge(kP | 0xB3));
  EXPECT_FALSE(Ept::is_huge(kP | 0x33));
  EXPECT_FALSE(Ept::is_huge(Ept::new_table(P)));
  EXPECT_FALSE(Ept::is_huge(0));
}

// §9.1 "Reverse": R/W/X from bits 0-2, DEVICE iff memtype == 0 (UC); USER/UNCACHED lost.
TEST(EptPte, ReverseFlags) {
  EXPECT_EQ(Ept::flags(kP | 0x31), F(kR));
  EXPECT_EQ(Ept::flags(kP | 0x33), F(kR | kW));
  EXPECT_EQ(Ept::flags(kP | 0x37), F(kR | kW | kX));
  EXPECT_EQ(Ept::flags(kP | 0x03), F(kR | kW | kDev));  // RW device reads back as 0x13
  EXPECT_EQ(Ept::flags(kP | 0x03)->bits(), 0x13u);
  EXPECT_EQ(Ept::flags(Ept::new_page(P, kR | kW | kX | kU | kUc, false)), F(kR | kW | kX));
  EXPECT_EQ(Ept::flags(kP | (4u << 3) | 0x3), F(kR | kW));  // WT memtype: no extra flag
  EXPECT_EQ(Ept::flags(kP | 0xB3), F(kR | kW));
}

// §9.1 address field bits 51:12: HPA bits 52..63 and the page offset are dropped.
TEST(EptPte, AddressMaskKeeps52Bits) {
  EXPECT_EQ(Ept::new_page(kAllOnes, kR, false), 0x000F'FFFF'FFFF'F000u | 0x31);
  EXPECT_EQ(Ept::paddr(Ept::new_page(kAllOnes, kR, false)).value(), 0x000F'FFFF'FFFF'F000u);
  EXPECT_EQ(Ept::new_table(kAllOnes), 0x000F'FFFF'FFFF'F000u | 0x7);
  EXPECT_EQ(Ept::paddr(Ept::new_page(HostPhysAddr((uint64_t{1} << 52) | kP | 0xABC), kR, false)),
            P);
  EXPECT_EQ(Ept::paddr(~uint64_t{0}).value(), 0x000F'FFFF'FFFF'F000u);
}

// §8.2 set_flags keeps only the address field (A/D, suppress-VE etc. are dropped);
// set_paddr keeps everything but the address.
TEST(EptPte, SetFlagsKeepsOnlyAddress) {
  const uint64_t raw = kP | 0x3B7 | (uint64_t{1} << 63);  // RWX, large, A, D, bit 63
  EXPECT_EQ(Ept::set_flags(raw, kR, false), kP | 0x31);
  EXPECT_EQ(Ept::set_flags(raw, kR | kW, true), kP | 0xB3);
  EXPECT_EQ(Ept::set_flags(raw, F(), false), kP);
  EXPECT_EQ(Ept::set_paddr(raw, HostPhysAddr(0x5000)), 0x5000u | 0x3B7 | (uint64_t{1} << 63));
}

// ---------------------------------------------------------------------------------------------
// §9.2 AArch64 stage 2

using S2 = arm64_s2::S2Pte;

// §9.2 "Examples": Normal WB outer-shareable 0x23C base, READ = VALID|bit6, WRITE = bit7, AF,
// bit 1 for pages only; EXECUTE ignored; DEVICE and DEVICE|UNCACHED memory attributes.
TEST(S2Pte, GoldenLeafAndTableEncodings) {
  EXPECT_EQ(S2::new_page(P, kR, false), kP | 0x67F);
  EXPECT_EQ(S2::new_page(P, kR | kW, false), kP | 0x6FF);
  EXPECT_EQ(S2::new_page(P, kR | kW | kX, false), kP | 0x6FF);  // X ignored
  EXPECT_EQ(S2::new_page(P, kR | kX, false), kP | 0x67F);
  EXPECT_EQ(S2::new_page(P, kDev | kR | kW, false), kP | 0x6C3);
  EXPECT_EQ(S2::new_page(P, kDev | kUc | kR | kW, false), kP | 0x6DF);
  EXPECT_EQ(S2::new_page(P, kUc | kR | kW, false), kP | 0x6FF);  // UNCACHED alone ignored
  EXPECT_EQ(S2::new_page(P, kR | kW, true), kP | 0x6FD);         // RW 2M block
  EXPECT_EQ(S2::new_page(P, kR | kW | kX, true), kP | 0x6FD);    // RWX 1G block
  EXPECT_EQ(S2::new_page(P, kR | kW | kU, false), kP | 0x6FF);   // USER ignored
  EXPECT_EQ(S2::new_table(P), kP | 0x3);
}

// §9.2 "Lazy placeholder" 0x63E and "a leaf without READ has VALID clear".
TEST(S2Pte, PlaceholderAndLeavesWithoutRead) {
  const uint64_t ph = S2::new_page(HostPhysAddr(0), F(), false);
  EXPECT_EQ(ph, 0x63Eu);
  EXPECT_FALSE(S2::is_unused(ph));
  EXPECT_FALSE(S2::is_present(ph));
  EXPECT_EQ(S2::new_page(P, kW, false), kP | 0x6BE);
  EXPECT_FALSE(S2::is_present(S2::new_page(P, kW, false)));
  EXPECT_FALSE(S2::is_present(S2::new_page(P, kX, false)));
}

// §9.2 "Predicates": present <=> bit 0; huge <=> bit 1 clear, so the zero entry is huge.
TEST(S2Pte, PredicatesIncludingZeroEntryIsHuge) {
  EXPECT_TRUE(S2::is_unused(0));
  EXPECT_FALSE(S2::is_present(0));
  EXPECT_TRUE(S2::is_huge(0));  // all-zero entry counts as huge
  EXPECT_TRUE(S2::is_huge(kP | 0x6FD));
  EXPECT_FALSE(S2::is_huge(kP | 0x6FF));
  EXPECT_FALSE(S2::is_huge(S2::new_table(P)));
  EXPECT_TRUE(S2::is_present(kP | 0x1));
  EXPECT_FALSE(S2::is_present(kP | 0x6FE));
}

// §9.2 "Reverse": READ iff VALID, WRITE iff bit 7 CLEAR (inverted), EXECUTE iff bit 54 clear,
// DEVICE iff MemAttr 0; MemAttr other than 0b1111/0b0100/0b0000 is rejected (crate panics ->
// std::nullopt), which includes the DEVICE|UNCACHED encoding 0b0111.
TEST(S2Pte, ReverseFlagsInvertedWriteAndDecoderRejection) {
  EXPECT_EQ(S2::flags(kP | 0x6FF), F(kR | kX));  // RW reads back as 0x5
  EXPECT_EQ(S2::flags(kP | 0x6FF)->bits(), 0x5u);
  EXPECT_EQ(S2::flags(kP | 0x67F), F(kR | kW | kX));  // R reads back as 0x7
  EXPECT_EQ(S2::flags(kP | 0x6C3), F(kR | kX | kDev));
  EXPECT_EQ(S2::flags(kP | 0x6FD), F(kR | kX));
  EXPECT_EQ(S2::flags(kP | 0x6FF | (uint64_t{1} << 54)), F(kR));   // XN set: no EXECUTE
  EXPECT_EQ(S2::flags(S2::new_table(P)), F(kR | kW | kX | kDev));  // tables decode as DEVICE
  EXPECT_EQ(S2::flags(kP | 0x6DF), std::nullopt);  // DEVICE|UNCACHED|RW: decoder rejects 0b0111
  for (uint64_t memattr = 0; memattr < 16; ++memattr) {
    const uint64_t raw = kP | 0x6C3 | (memattr << 2);
    const bool accepted = memattr == 0 || memattr == 4 || memattr == 15;
    EXPECT_EQ(S2::flags(raw).has_value(), accepted) << "MemAttr " << memattr;
  }
  EXPECT_EQ(S2::flags(kP | 0x6C3 | (4u << 2)), F(kR | kX));  // 0b0100 accepted, not DEVICE
}

// §9.2 address field bits 47:12: HPA bits 48..63 are dropped.
TEST(S2Pte, AddressMaskKeeps48Bits) {
  EXPECT_EQ(S2::new_page(kAllOnes, kR, false), 0x0000'FFFF'FFFF'F000u | 0x67F);
  EXPECT_EQ(S2::paddr(S2::new_page(kAllOnes, kR, false)).value(), 0x0000'FFFF'FFFF'F000u);
  EXPECT_EQ(S2::new_table(kAllOnes), 0x0000'FFFF'FFFF'F000u | 0x3);
  EXPECT_EQ(S2::paddr(S2::new_page(HostPhysAddr((uint64_t{1} << 48) | kP), kR, false)), P);
}

// §8.2 set_flags keeps only the address field (contiguous, XN and upper bits dropped).
TEST(S2Pte, SetFlagsKeepsOnlyAddress) {
  const uint64_t raw = kP | 0x6FF | (uint64_t{1} << 52) | (uint64_t{1} << 54) | (uint64_t{1} << 63);
  EXPECT_EQ(S2::set_flags(raw, kR, false), kP | 0x67F);
  EXPECT_EQ(S2::set_flags(raw, kR | kW, true), kP | 0x6FD);
  EXPECT_EQ(S2::set_flags(raw, F(), false), kP | 0x63E);
  EXPECT_EQ(S2::set_paddr(kP | 0x6FF, HostPhysAddr(0x7000)), 0x7000u | 0x6FF);
}

// ---------------------------------------------------------------------------------------------
// §9.3 RISC-V G-stage

using Gs = riscv_gstage::GstagePte;
constexpr uint64_t kPpn = kP >> 2;  // the PPN field for P

// §9.3 "Examples": V|A|D plus R/W/X/U, same encoding at every level; table = (P>>2)|V.
TEST(GstagePte, GoldenLeafAndTableEncodings) {
  EXPECT_EQ(Gs::new_page(P, kR, false), kPpn | 0xC3);
  EXPECT_EQ(Gs::new_page(P, kR | kW, false), kPpn | 0xC7);
  EXPECT_EQ(Gs::new_page(P, kR | kX, false), kPpn | 0xCB);
  EXPECT_EQ(Gs::new_page(P, kR | kW | kX, false), kPpn | 0xCF);
  EXPECT_EQ(Gs::new_page(P, kR | kW | kX | kU, false), kPpn | 0xDF);
  EXPECT_EQ(Gs::new_page(P, kR | kW, true), kPpn | 0xC7);                // RW 2M leaf
  EXPECT_EQ(Gs::new_page(P, kR | kW | kX, true), kPpn | 0xCF);           // RWX 1G leaf
  EXPECT_EQ(Gs::new_page(P, kDev | kUc | kR | kW, false), kPpn | 0xC7);  // DEVICE/UNCACHED ignored
  EXPECT_EQ(Gs::new_page(P, F(), false), kPpn);  // empty flags: flag part 0 (HEAD)
  EXPECT_EQ(Gs::new_page(HostPhysAddr(0), F(), false), 0u);
  EXPECT_EQ(Gs::new_table(P), kPpn | 0x1);
}

// §9.3 "Predicates": present <=> V; huge <=> R or X.
TEST(GstagePte, Predicates) {
  EXPECT_TRUE(Gs::is_unused(0));
  EXPECT_FALSE(Gs::is_present(0));
  EXPECT_FALSE(Gs::is_huge(0));
  EXPECT_FALSE(Gs::is_huge(Gs::new_table(P)));
  EXPECT_TRUE(Gs::is_huge(kPpn | 0xC3));
  EXPECT_TRUE(Gs::is_huge(kPpn | 0xC9));   // X only
  EXPECT_FALSE(Gs::is_huge(kPpn | 0xC5));  // W only: neither R nor X
  EXPECT_TRUE(Gs::is_present(kPpn | 0x1));
  EXPECT_FALSE(Gs::is_present(kPpn | 0xCE));
  EXPECT_FALSE(Gs::is_unused(kPpn));
}

// §9.3 "Reverse": V clear -> empty; else R/W/X/U (RWXU = 0xF, DEVICE lost).
TEST(GstagePte, ReverseFlags) {
  EXPECT_EQ(Gs::flags(kPpn | 0xDF), F(kR | kW | kX | kU));
  EXPECT_EQ(Gs::flags(kPpn | 0xDF)->bits(), 0xFu);
  EXPECT_EQ(Gs::flags(kPpn | 0xC7), F(kR | kW));
  EXPECT_EQ(Gs::flags(kPpn | 0xDE), F());  // V clear
  EXPECT_EQ(Gs::flags(Gs::new_page(P, kDev | kR, false)), F(kR));
}

// §9.3 PPN field bits 53:10 = HPA >> 2: HPA bits 56..63 are dropped (56-bit PA).
TEST(GstagePte, AddressMaskKeeps56Bits) {
  EXPECT_EQ(Gs::new_page(kAllOnes, kR, false), 0x003F'FFFF'FFFF'FC00u | 0xC3);
  EXPECT_EQ(Gs::paddr(Gs::new_page(kAllOnes, kR, false)).value(), 0x00FF'FFFF'FFFF'F000u);
  EXPECT_EQ(Gs::new_table(kAllOnes), 0x003F'FFFF'FFFF'FC00u | 0x1);
  EXPECT_EQ(Gs::paddr(Gs::new_page(HostPhysAddr((uint64_t{1} << 56) | kP), kR, false)), P);
  EXPECT_EQ(Gs::paddr(kPpn | 0xC3 | (uint64_t{1} << 63) | (uint64_t{1} << 54)), P);
}

// §8.2 set_flags keeps only the PPN field (G, RSW, reserved and N/PBMT bits dropped).
TEST(GstagePte, SetFlagsKeepsOnlyAddress) {
  const uint64_t raw = kPpn | 0x3FF | (uint64_t{1} << 54) | (uint64_t{1} << 63);
  EXPECT_EQ(Gs::set_flags(raw, kR, false), kPpn | 0xC3);
  EXPECT_EQ(Gs::set_flags(raw, kR | kW, true), kPpn | 0xC7);
  EXPECT_EQ(Gs::set_flags(raw, F(), false), kPpn);
  EXPECT_EQ(Gs::set_paddr(kPpn | 0xC7, HostPhysAddr(0x9000)), (0x9000u >> 2) | 0xC7);
}

// ---------------------------------------------------------------------------------------------
// Format-independent codec properties (spec §8.2), one instance per codec.

template <class Pte>
class PteCodecTyped : public ::testing::Test {};

struct CodecName {
  template <class T>
  static std::string GetName(int) {
    return T::kName;
  }
};

using Codecs = ::testing::Types<x86_ept::EptPte, arm64_s2::S2Pte, riscv_gstage::GstagePte>;
TYPED_TEST_SUITE(PteCodecTyped, Codecs, CodecName);

// §8.2/§8.3: a table entry is present, used, not huge, and its address field is the table.
TYPED_TEST(PteCodecTyped, NewTableIsPresentAndNotHuge) {
  using Pte = TypeParam;
  const uint64_t t = Pte::new_table(P);
  EXPECT_TRUE(Pte::is_present(t));
  EXPECT_FALSE(Pte::is_unused(t));
  EXPECT_FALSE(Pte::is_huge(t));
  EXPECT_EQ(Pte::paddr(t), P);
}

// §8.2: new_page round-trips the (4 KiB-aligned) address for pages and blocks, any flags.
TYPED_TEST(PteCodecTyped, NewPageRoundTripsPaddr) {
  using Pte = TypeParam;
  for (uint64_t pa :
       {uint64_t{0x1000}, kP, uint64_t{0x0000'7FFF'FFFF'F000}, uint64_t{0x4000'0000}}) {
    for (uint32_t f : {kR, kR | kW, kR | kW | kX, kR | kDev, 0u}) {
      for (bool huge : {false, true}) {
        const uint64_t e = Pte::new_page(HostPhysAddr(pa), f, huge);
        EXPECT_EQ(Pte::paddr(e).value(), pa) << std::hex << pa << " flags " << f;
      }
    }
  }
}

// §8.2/§8.3: a readable leaf is present and decodes with READ; a block is huge. Zero is unused.
TYPED_TEST(PteCodecTyped, ReadableLeafIsPresent) {
  using Pte = TypeParam;
  for (uint32_t f : {kR, kR | kW, kR | kW | kX}) {
    EXPECT_TRUE(Pte::is_present(Pte::new_page(P, f, false)));
    EXPECT_TRUE(Pte::is_present(Pte::new_page(P, f, true)));
    EXPECT_TRUE(Pte::is_huge(Pte::new_page(P, f, true)));
    ASSERT_TRUE(Pte::flags(Pte::new_page(P, f, false)).has_value());
    EXPECT_TRUE(Pte::flags(Pte::new_page(P, f, false))->has(F::READ));
  }
  EXPECT_TRUE(Pte::is_unused(0));
  EXPECT_FALSE(Pte::is_present(0));
}

// §8.2: set_paddr replaces only the address; set_flags rewrites the entry from the address field
// only, so it equals a fresh new_page with the same address.
TYPED_TEST(PteCodecTyped, SetPaddrAndSetFlags) {
  using Pte = TypeParam;
  const HostPhysAddr q(0x0000'0042'0000'0000);
  for (bool huge : {false, true}) {
    const uint64_t e = Pte::new_page(P, kR | kW, huge);
    EXPECT_EQ(Pte::set_paddr(e, q), Pte::new_page(q, kR | kW, huge));
    EXPECT_EQ(Pte::paddr(Pte::set_paddr(e, q)), q);
    EXPECT_EQ(Pte::set_flags(e, kR, huge), Pte::new_page(P, kR, huge));
    EXPECT_EQ(Pte::set_flags(e, kR | kW | kX, huge), Pte::new_page(P, kR | kW | kX, huge));
    EXPECT_EQ(Pte::set_flags(~uint64_t{0}, kR, huge),
              Pte::new_page(Pte::paddr(~uint64_t{0}), kR, huge));
  }
  // A table entry turned into a leaf keeps its address.
  EXPECT_EQ(Pte::paddr(Pte::set_flags(Pte::new_table(P), kR, false)), P);
}

}  // namespace
}  // namespace nptsim
