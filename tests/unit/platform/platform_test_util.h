// What the platform tests share: building a platform from a configuration, failing the test
// (not crashing) when the configuration is refused.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "models/core/platform/functional_platform.h"

namespace nptsim::testutil {

inline std::unique_ptr<FunctionalPlatform> build(const PlatformConfig& c) {
  std::string err;
  auto p = FunctionalPlatform::create(c, err);
  EXPECT_TRUE(p) << err;
  return p;
}

}  // namespace nptsim::testutil
