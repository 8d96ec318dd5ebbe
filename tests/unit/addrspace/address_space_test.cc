// AddrSpace behaviour (spec §3, §5, §12.1-12.2), on every architecture: the crate's own tests
// (mock HAL: bump allocator from HPA 0x1000, 16 frames, space [0x10000, 0x20000), 4 levels),
// plus the places where the crate panics and nptsim must return an error and stay usable.
#include "models/core/addrspace/address_space.h"

#include <gtest/gtest.h>

namespace nptsim {
namespace {

constexpr uint32_t R = MappingFlags::READ, W = MappingFlags::WRITE, X = MappingFlags::EXECUTE;

class AddrSpaceTest : public ::testing::TestWithParam<Arch> {
 protected:
  void SetUp() override { as_ = make(GuestPhysAddr(0x10000), 0x10000); }

  std::unique_ptr<AddrSpace> make(GuestPhysAddr base, uint64_t size, int levels = 4) {
    auto r = AddrSpace::new_empty(Stage2Config{GetParam(), levels, GeometryMode::Crate, 0}, base,
                                  size, Hal{&frames_, &mem_});
    EXPECT_TRUE(r.ok());
    return r.ok() ? std::move(r.value()) : nullptr;
  }
  std::optional<HostPhysAddr> tr(uint64_t gpa) {
    auto r = as_->translate(GuestPhysAddr(gpa));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  }

  BumpFrameAllocator frames_{16, HostPhysAddr(0x1000)};
  PhysMem mem_;
  std::unique_ptr<AddrSpace> as_;
};

TEST_P(AddrSpaceTest, CreationAllocatesOnlyTheRootAndDropFreesIt) {
  EXPECT_EQ(as_->base().value(), 0x10000u);
  EXPECT_EQ(as_->size(), 0x10000u);
  EXPECT_EQ(as_->end().value(), 0x20000u);
  EXPECT_EQ(frames_.stats().allocs, 1u);
  EXPECT_EQ(as_->page_table_root().value(), 0x1000u);
  as_.reset();
  EXPECT_EQ(frames_.stats().deallocs, 1u);
}

TEST_P(AddrSpaceTest, ContainsRange) {
  EXPECT_TRUE(*as_->contains_range(GuestPhysAddr(0x10000), 0x1000));
  EXPECT_TRUE(*as_->contains_range(GuestPhysAddr(0x10000), 0x10000));
  EXPECT_FALSE(*as_->contains_range(GuestPhysAddr(0xf000), 0x2000));
  EXPECT_FALSE(*as_->contains_range(GuestPhysAddr(0x1f000), 0x2000));
  EXPECT_FALSE(*as_->contains_range(GuestPhysAddr(0x30000), 0x1000));
  auto overflow = as_->contains_range(GuestPhysAddr(~uint64_t{0}), 2);
  ASSERT_FALSE(overflow.ok());
  EXPECT_EQ(overflow.error().code, AxError::Panic);
}

TEST_P(AddrSpaceTest, MapLinearTranslates) {
  ASSERT_TRUE(as_->map_linear(GuestPhysAddr(0x18000), HostPhysAddr(0x10000), 0x8000, R | W).ok());
  EXPECT_EQ(tr(0x18000)->value(), 0x10000u);
  EXPECT_EQ(tr(0x19010)->value(), 0x11010u);
}

TEST_P(AddrSpaceTest, MapAllocPopulateGivesDistinctFrames) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x10000), 0x2000, R | W, true).ok());
  EXPECT_GT(frames_.stats().allocs, 1u);
  auto a = tr(0x10000), b = tr(0x11000);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->value(), 0x2000u);  // data frame before its tables (spec §5.2)
}

TEST_P(AddrSpaceTest, LazyAreaFaultsInOneFrame) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x10000), 0x2000, R | W, false).ok());
  EXPECT_FALSE(tr(0x10000));
  const uint64_t before = frames_.stats().allocs;
  EXPECT_TRUE(as_->handle_page_fault(GuestPhysAddr(0x10123), R));
  EXPECT_EQ(frames_.stats().allocs, before + 1);
  auto first = tr(0x10000);
  ASSERT_TRUE(first);
  // No presence check: a second fault takes a new frame and the old one leaks (spec §3.7).
  EXPECT_TRUE(as_->handle_page_fault(GuestPhysAddr(0x10000), MappingFlags()));
  EXPECT_NE(*tr(0x10000), *first);
  EXPECT_FALSE(tr(0x11000));
}

TEST_P(AddrSpaceTest, FaultsThatAreNotResolved) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x10000), 0x1000, R | W, false).ok());
  ASSERT_TRUE(as_->map_linear(GuestPhysAddr(0x12000), HostPhysAddr(0x40000), 0x1000, R | W).ok());
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x14000), 0x1000, R | W, true).ok());
  EXPECT_FALSE(as_->handle_page_fault(GuestPhysAddr(0x10000), W | X));  // not a subset
  EXPECT_FALSE(as_->handle_page_fault(GuestPhysAddr(0x12000), R));      // linear
  EXPECT_FALSE(as_->handle_page_fault(GuestPhysAddr(0x14000), R));      // populated
  EXPECT_FALSE(as_->handle_page_fault(GuestPhysAddr(0x16000), R));      // no area
  EXPECT_FALSE(as_->handle_page_fault(GuestPhysAddr(0x30000), R));      // outside the space
}

TEST_P(AddrSpaceTest, UnmapFreesPopulatedFrames) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x10000), 0x2000, R | W, true).ok());
  ASSERT_TRUE(as_->unmap(GuestPhysAddr(0x10000), 0x2000).ok());
  EXPECT_FALSE(tr(0x10000));
  EXPECT_FALSE(tr(0x11000));
  EXPECT_EQ(frames_.stats().deallocs, 2u);
  EXPECT_TRUE(as_->areas().empty());
}

TEST_P(AddrSpaceTest, UnmapMiddleSplitsTheArea) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x10000), 0x4000, R | W, true).ok());
  ASSERT_TRUE(as_->unmap(GuestPhysAddr(0x11000), 0x2000).ok());
  EXPECT_EQ(frames_.stats().deallocs, 2u);
  ASSERT_EQ(as_->areas().len(), 2u);
  for (uint64_t gpa : {0x10000u, 0x13000u}) {
    auto lim = as_->translate_and_get_limit(GuestPhysAddr(gpa));
    ASSERT_TRUE(lim.ok() && *lim);
    EXPECT_EQ((*lim)->second, 0x1000u);
  }
  EXPECT_TRUE(as_->unmap(GuestPhysAddr(0x18000), 0x2000).ok());  // a hole is not an error
}

TEST_P(AddrSpaceTest, ClearRemovesEverything) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x10000), 0x1000, R | W, true).ok());
  ASSERT_TRUE(as_->map_linear(GuestPhysAddr(0x18000), HostPhysAddr(0x10000), 0x2000, R).ok());
  ASSERT_TRUE(as_->clear().ok());
  EXPECT_FALSE(tr(0x10000));
  EXPECT_FALSE(tr(0x18000));
  EXPECT_EQ(frames_.stats().deallocs, 1u);  // the data frame; tables stay until drop
  as_.reset();
  EXPECT_EQ(frames_.stats().outstanding(), 0u);
}

TEST_P(AddrSpaceTest, TranslateBoundaries) {
  ASSERT_TRUE(as_->map_linear(GuestPhysAddr(0x10000), HostPhysAddr(0x80000), 0x1000, R).ok());
  EXPECT_EQ(tr(0x10fff)->value(), 0x80fffu);
  EXPECT_FALSE(tr(0x11000));
  EXPECT_FALSE(tr(0x30000));
}

TEST_P(AddrSpaceTest, TranslatedByteBuffer) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x19000), 0x2000, R | W, true).ok());
  auto buf = as_->translated_byte_buffer(GuestPhysAddr(0x19000), 0x1100);
  ASSERT_TRUE(buf.ok() && *buf);
  ASSERT_EQ((*buf)->size(), 2u);
  EXPECT_EQ((**buf)[0].len, 0x1000u);
  EXPECT_EQ((**buf)[1].len, 0x100u);
  EXPECT_EQ((**buf)[1].hpa, *tr(0x1a000));
  EXPECT_FALSE(*as_->translated_byte_buffer(GuestPhysAddr(0x19000), 0x3000));  // > area size
  EXPECT_FALSE(*as_->translated_byte_buffer(GuestPhysAddr(0x1c000), 0x10));    // no area
  EXPECT_TRUE((*as_->translated_byte_buffer(GuestPhysAddr(0x19000), 0))->empty());
}

TEST_P(AddrSpaceTest, TranslatedByteBufferOverUnfaultedPageIsAnError) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x10000), 0x2000, R | W, false).ok());
  auto buf = as_->translated_byte_buffer(GuestPhysAddr(0x10000), 0x10);
  ASSERT_FALSE(buf.ok());
  EXPECT_EQ(buf.error().code, AxError::Panic);
}

TEST_P(AddrSpaceTest, LimitIsTheWholeAreaSize) {
  ASSERT_TRUE(as_->map_alloc(GuestPhysAddr(0x10000), 0x3000, R | W, true).ok());
  auto lim = as_->translate_and_get_limit(GuestPhysAddr(0x12abc));
  ASSERT_TRUE(lim.ok() && *lim);
  EXPECT_EQ((*lim)->second, 0x3000u);
  EXPECT_FALSE(*as_->translate_and_get_limit(GuestPhysAddr(0x15000)));
  EXPECT_FALSE(*as_->translate_and_get_limit(GuestPhysAddr(0x40000)));
}

TEST_P(AddrSpaceTest, ParameterErrorsInCrateOrder) {
  auto code = [](const AxStatus& s) {
    return s.ok() ? std::string("ok") : to_string(s.error().code);
  };
  EXPECT_EQ(code(as_->map_linear(GuestPhysAddr(0x30000), HostPhysAddr(0), 0x1000, R)),
            "InvalidInput");
  EXPECT_EQ(code(as_->map_linear(GuestPhysAddr(0x10000), HostPhysAddr(0x10), 0x1000, R)),
            "InvalidInput");
  EXPECT_EQ(code(as_->map_alloc(GuestPhysAddr(0x10000), 0, R, true)), "InvalidInput");
  EXPECT_EQ(code(as_->map_alloc(GuestPhysAddr(0x10000), 0x1000, R, true)), "ok");
  EXPECT_EQ(code(as_->map_alloc(GuestPhysAddr(0x10000), 0x1000, R, true)), "AlreadyExists");
  EXPECT_EQ(code(as_->unmap(GuestPhysAddr(0x10000), 0)), "ok");
  EXPECT_EQ(code(as_->map_linear(GuestPhysAddr(~uint64_t{0} - 0xfff), HostPhysAddr(0), 0x2000, R)),
            "Panic");
}

TEST_P(AddrSpaceTest, PopulateOutOfMemoryIsBadStateAndKeepsWhatWasMapped) {
  // 16 frames: root + 15. A 32-page populate runs out part way.
  auto r = as_->map_alloc(GuestPhysAddr(0x10000), 0x10000, R | W, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AxError::BadState);
  EXPECT_TRUE(tr(0x10000));           // earlier pages stay mapped
  EXPECT_TRUE(as_->areas().empty());  // but no area was recorded
  EXPECT_FALSE(as_->handle_page_fault(GuestPhysAddr(0x10000), R));
  EXPECT_GT(frames_.stats().failed_allocs, 0u);
}

// Unmapping part of a 2 MiB block: the crate asserts and panics; nptsim returns Panic, and the
// address space stays usable and destructible.
TEST_P(AddrSpaceTest, UnmapInsideABlockIsAPanicErrorNotACrash) {
  BumpFrameAllocator frames(64);
  PhysMem mem;
  auto big = AddrSpace::new_empty(Stage2Config{GetParam(), 4, GeometryMode::Crate, 0},
                                  GuestPhysAddr(0), uint64_t{1} << 32, Hal{&frames, &mem});
  ASSERT_TRUE(big.ok());
  AddrSpace& as = *big.value();
  ASSERT_TRUE(
      as.map_linear(GuestPhysAddr(0x20'0000), HostPhysAddr(0x4020'0000), 0x20'0000, R | W).ok());
  auto r = as.unmap(GuestPhysAddr(0x20'1000), 0x1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AxError::Panic);
  EXPECT_TRUE(as.map_alloc(GuestPhysAddr(0x100'0000), 0x1000, R, true).ok());  // still usable
  auto td = as.teardown();  // clear meets the half-removed block: the crate panics at drop
  EXPECT_FALSE(td.ok());
  big.value().reset();  // the destructor still releases the tables
  EXPECT_GT(frames.stats().deallocs, 0u);
}

TEST_P(AddrSpaceTest, UnsupportedLevelsAndNoMemory) {
  for (int levels : {0, 2, 5}) {
    auto r = AddrSpace::new_empty(Stage2Config{GetParam(), levels, GeometryMode::Crate, 0},
                                  GuestPhysAddr(0), 0x1000, Hal{&frames_, &mem_});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, AxError::InvalidInput);
  }
  BumpFrameAllocator none(0);
  auto r = AddrSpace::new_empty(Stage2Config{GetParam(), 4, GeometryMode::Crate, 0},
                                GuestPhysAddr(0), 0x1000, Hal{&none, &mem_});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AxError::NoMemory);
  EXPECT_EQ(none.stats().failed_allocs, 1u);
}

INSTANTIATE_TEST_SUITE_P(AllArchs, AddrSpaceTest, ::testing::ValuesIn(kAllArchs),
                         [](const auto& p) { return std::string(to_string(p.param)); });

TEST(AddrSpaceX86, HasNoThreeLevelTable) {
  BumpFrameAllocator f(4);
  PhysMem m;
  auto r = AddrSpace::new_empty(Stage2Config{Arch::X86_64, 3, GeometryMode::Crate, 0},
                                GuestPhysAddr(0), 0x1000, Hal{&f, &m});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AxError::InvalidInput);
  EXPECT_EQ(f.stats().allocs, 0u);
}

TEST(AddrSpaceArm64, DeviceUncachedCannotBeQueried) {
  BumpFrameAllocator f(16);
  PhysMem m;
  auto r = AddrSpace::new_empty(Stage2Config{Arch::AArch64, 3, GeometryMode::Crate, 0},
                                GuestPhysAddr(0), 0x10'0000, Hal{&f, &m});
  ASSERT_TRUE(r.ok());
  AddrSpace& as = *r.value();
  const MappingFlags dev(R | W | MappingFlags::DEVICE | MappingFlags::UNCACHED);
  ASSERT_TRUE(as.map_linear(GuestPhysAddr(0x1000), HostPhysAddr(0x9000'0000), 0x1000, dev).ok());
  auto t = as.translate(GuestPhysAddr(0x1000));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, AxError::Panic);
  EXPECT_FALSE(as.teardown().ok());
}

}  // namespace
}  // namespace nptsim
