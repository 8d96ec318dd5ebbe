// Reading and writing oracle image directories (shared/oracles/IMAGE.md): seg_<hpa>.bin
// segments, regime.json, probes.txt. Every error names the file (and line or key) and what to
// fix; nothing here aborts.
#pragma once

#include <string>
#include <vector>

#include "models/core/common/result.h"
#include "models/core/image/image_setup.h"
#include "models/core/image/probe_answer.h"
#include "models/core/mem/phys_mem.h"

namespace nptsim::cli {

struct Segment {
  uint64_t hpa = 0;
  std::vector<uint8_t> bytes;
};

struct ImageDir {
  ImageRegisters registers;
  std::vector<Segment> segments;  // sorted by address, non-overlapping
  std::vector<Probe> probes;      // in file order
};

Result<ImageDir, std::string> read_image_dir(const std::string& dir);
// Copies the segments into `mem`.
void load_segments(const ImageDir& image, PhysMem& mem);

// Writes segments, regime.json and probes.txt into `dir` (created if needed). Register values
// are written as hex strings; parameters named in `bool_params` as JSON booleans, in
// `number_params` as JSON numbers (IMAGE.md's style: "svadu": true, "maxphyaddr": 40).
Result<void, std::string> write_image_dir(const std::string& dir, const ImageDir& image,
                                          const std::vector<std::string>& bool_params,
                                          const std::vector<std::string>& number_params,
                                          const std::string& notes);

}  // namespace nptsim::cli
