// One golden-vector script, parsed and validated before it is replayed
// (../shared/conformance/axaddrspace/README.md, "Line format" and "Ops").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/core/arch/arch_registry.h"
#include "models/core/common/mapping_flags.h"

namespace nptsim::conformance {

enum class OpKind {
  NewEmpty,
  ContainsRange,
  MapLinear,
  MapAlloc,
  Unmap,
  Clear,
  HandlePageFault,
  Translate,
  TranslateAndGetLimit,
  TranslatedByteBuffer,
  CheckFrames,
  DumpTables,
  Drop,
};

struct VectorOp {
  OpKind kind = OpKind::NewEmpty;
  std::string name;
  uint64_t gpa = 0, hpa = 0, size = 0, len = 0;
  MappingFlags flags;                                    // map_linear, map_alloc
  MappingFlags access;                                   // handle_page_fault
  bool populate = false;                                 // map_alloc
  uint64_t allocs = 0, deallocs = 0, failed_allocs = 0;  // check_frames
  nlohmann::json expect;  // the recorded result; for dump_tables {"root", "tables"}
};

struct VectorScript {
  std::string id;
  Arch arch = Arch::X86_64;
  int levels = 0;
  uint64_t base = 0, size = 0;
  uint64_t frame_limit = 4096;
  std::vector<VectorOp> ops;
};

// Parses one JSON line. Throws MalformedVector("<where>: ...") for bad JSON, an unknown arch or
// op, or a missing or ill-typed field.
VectorScript parse_script(const std::string& json_line, const std::string& where);

}  // namespace nptsim::conformance
