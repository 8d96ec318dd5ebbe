// The conformance runner: parsing errors name the place; mismatches are detected.
#include "sim/conformance/vector_script.h"

#include <gtest/gtest.h>

#include <sstream>

#include "sim/conformance/conformance.h"

namespace nptsim::conformance {
namespace {

const std::string kGood =
    R"({"id":"t1","arch":"x86_64","levels":4,"base":"0x10000","size":"0x10000","frame_limit":4096,)"
    R"("ops":[{"op":"new_empty","expect":"ok"},{"op":"check_frames","allocs":1,"deallocs":0,"failed_allocs":0},)"
    R"({"op":"map_linear","gpa":"0x10000","hpa":"0x20000","size":"0x1000","flags":["READ"],"expect":"ok"},)"
    R"({"op":"translate","gpa":"0x10010","expect":"0x20010"},{"op":"drop","expect":"ok"}]})";

std::string message_of(const std::string& line) {
  try {
    parse_script(line, "f.jsonl:7");
  } catch (const MalformedVector& e) {
    return e.what();
  }
  return "";
}

TEST(VectorScript, ParsesAScript) {
  VectorScript s = parse_script(kGood, "f.jsonl:1");
  EXPECT_EQ(s.id, "t1");
  EXPECT_EQ(s.arch, Arch::X86_64);
  ASSERT_EQ(s.ops.size(), 5u);
  EXPECT_EQ(s.ops[2].kind, OpKind::MapLinear);
  EXPECT_EQ(s.ops[2].hpa, 0x20000u);
  EXPECT_EQ(s.ops[2].flags, MappingFlags(MappingFlags::READ));
}

TEST(VectorScript, MalformedInputNamesFileLineAndProblem) {
  EXPECT_EQ(message_of("{not json"), "f.jsonl:7: not valid JSON");
  std::string unknown = kGood;
  unknown.replace(unknown.find("\"translate\""), 11, "\"teleport\"");
  EXPECT_NE(message_of(unknown).find("f.jsonl:7: script t1, op #3: unknown op 'teleport'"),
            std::string::npos);
  std::string missing = kGood;
  missing.replace(missing.find(R"("hpa":"0x20000",)"), 16, "");
  EXPECT_NE(message_of(missing).find("op #2: missing field 'hpa'"), std::string::npos);
  std::string bad_flag = kGood;
  bad_flag.replace(bad_flag.find("\"READ\""), 6, "\"READS\"");
  EXPECT_NE(message_of(bad_flag).find("unknown flag"), std::string::npos);
  std::string bad_hex = kGood;
  bad_hex.replace(bad_hex.find(R"("gpa":"0x10000")"), 15, R"("gpa":"0x1g000")");
  EXPECT_NE(message_of(bad_hex).find("field 'gpa' is not a hex number"), std::string::npos);
  std::string bad_arch = kGood;
  bad_arch.replace(bad_arch.find("x86_64"), 6, "mips64");
  EXPECT_NE(message_of(bad_arch).find("unknown arch 'mips64'"), std::string::npos);
}

TEST(Conformance, PassingAndFailingScripts) {
  EXPECT_TRUE(run_script(kGood, "f:1").passed);
  std::string wrong = kGood;
  wrong.replace(wrong.find("\"0x20010\""), 9, "\"0x20011\"");
  ScriptOutcome r = run_script(wrong, "f:1");
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.op_index, 3u);
  EXPECT_EQ(r.expected, "\"0x20011\"");
  EXPECT_EQ(r.got, "\"0x20010\"");
}

TEST(Conformance, BundledVectorsAllPass) {
  std::ostringstream out;
  FileSummary s = run_file(std::string(NPTSIM_TEST_DATA) + "/handwritten.jsonl.gz", out);
  EXPECT_EQ(s.passed, 311u);
  EXPECT_EQ(s.failed, 0u) << out.str();
}

}  // namespace
}  // namespace nptsim::conformance
