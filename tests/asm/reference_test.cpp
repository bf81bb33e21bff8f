// docs/isa.md stays true: its generated part is what the table produces now,
// and its example program assembles. Plus the classification the page shows.
#include "asm/reference.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "asm/assembler.h"
#include "asm_test_util.h"
#include "isa/isa.h"

namespace trapeze::assembler {
namespace {

std::string read_doc() {
  std::ifstream in(std::string(TRAPEZE_SOURCE_DIR) + "/docs/isa.md", std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AsmReference, DocsMatchTheInstructionTable) {
  const std::string doc = read_doc();
  ASSERT_FALSE(doc.empty()) << "docs/isa.md is missing";
  const auto part = generated_part(doc);
  ASSERT_TRUE(part) << "docs/isa.md lost its generated-reference markers";
  EXPECT_TRUE(*part == reference_markdown())
      << "docs/isa.md is out of date with the instruction table; run:\n"
         "  trapeze isa --update-doc docs/isa.md";
}

TEST(AsmReference, TheDocsExampleProgramAssembles) {
  const std::string doc = read_doc();
  const size_t start = doc.find("```asm\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = doc.find("```", start + 7);
  const Result r = assemble(std::string_view(doc).substr(start + 7, end - start - 7));
  EXPECT_TRUE(r.ok()) << testing::messages(r)[0];
  EXPECT_TRUE(r.program.symbol("_start"));
}

TEST(AsmReference, GeneratedPartCanBeReplaced) {
  const std::string doc = std::string("intro\n") + std::string(kGeneratedBegin) + "old\n" +
                          std::string(kGeneratedEnd) + "outro\n";
  EXPECT_EQ(generated_part(doc), "old\n");
  EXPECT_EQ(with_generated_part(doc, "new\n"), std::string("intro\n") +
                                                   std::string(kGeneratedBegin) + "new\n" +
                                                   std::string(kGeneratedEnd) + "outro\n");
  EXPECT_FALSE(with_generated_part("no markers", "x"));
}

TEST(AsmReference, EveryInstructionIsInExactlyOneOpcodeGroup) {
  for (const isa::InsnInfo& i : isa::instructions()) {
    int groups = 0;
    for (const OpcodeGroup& g : kOpcodeGroups) groups += i.opcode >= g.first && i.opcode <= g.last;
    EXPECT_EQ(groups, 1) << i.mnemonic;
  }
}

TEST(AsmReference, ClassesFollowTheFlags) {
  std::map<std::string_view, std::vector<std::string_view>> by_class;
  for (const isa::InsnInfo& i : isa::instructions()) by_class[insn_class(i)].push_back(i.mnemonic);
  EXPECT_EQ(by_class["sensitive-unprivileged"],
            (std::vector<std::string_view>{"rdpsw", "wrpsw", "sptr"}));
  EXPECT_EQ(by_class["trap"],
            (std::vector<std::string_view>{"illegal", "syscall", "hypercall", "brk"}));
  for (std::string_view m : by_class["privileged"])
    EXPECT_TRUE(isa::find_mnemonic(m)->traps_in_user_mode()) << m;
  EXPECT_EQ(sensitive_kind(*isa::find_mnemonic("wrpsw")), "control+behaviour");
  EXPECT_EQ(sensitive_kind(*isa::find_mnemonic("sptr")), "behaviour");
  EXPECT_EQ(sensitive_kind(*isa::find_mnemonic("ldptr")), "control");
  EXPECT_EQ(sensitive_kind(*isa::find_mnemonic("add")), "none");
}

}  // namespace
}  // namespace trapeze::assembler
