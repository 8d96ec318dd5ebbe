#include "traces/formats/text_scan.h"

namespace nptsim::trace::scan {

std::string token_at(const char* p, const char* e) {
  const char* q = p;
  while (q < e && !is_space(*q) && q - p < 40) ++q;
  if (q == p) return "end of line";
  return "'" + std::string(p, q) + "'";
}

}  // namespace nptsim::trace::scan
