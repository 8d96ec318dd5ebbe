// Number formatting shared by the reports and the commands' tables.
#pragma once

#include <cstdio>
#include <string>

namespace nptsim {

// `v` with `digits` digits after the point ("3.14").
inline std::string fixed(double v, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace nptsim
