// The editor's tokenizer on real lines of guest assembly. The classes of
// mnemonics come from the ISA table, so these tests also check that the
// colours tell privileged instructions and virtualization holes apart.
#include "editor/syntax.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "asm/pseudo.h"
#include "isa/isa.h"

namespace trapeze::ui::editor {
namespace {

// The kinds on a line, punctuation left out, with the text of each token.
std::vector<std::pair<TokenKind, std::string>> kinds(std::string_view line) {
  std::vector<std::pair<TokenKind, std::string>> out;
  for (const Token& t : tokenize_line(line))
    if (t.kind != TokenKind::Punct)
      out.emplace_back(t.kind, std::string(line.substr(size_t(t.begin), size_t(t.end - t.begin))));
  return out;
}

using K = TokenKind;
using Expected = std::vector<std::pair<TokenKind, std::string>>;

TEST(Syntax, LabelInstructionRegistersNumberComment) {
  EXPECT_EQ(kinds("loop: ldw r1, 4(sp) ; c"), (Expected{{K::Label, "loop:"},
                                                        {K::Instruction, "ldw"},
                                                        {K::Register, "r1"},
                                                        {K::Number, "4"},
                                                        {K::Register, "sp"},
                                                        {K::Comment, "; c"}}));
}

TEST(Syntax, PrivilegedAndSensitiveInstructionsHaveTheirOwnClasses) {
  EXPECT_EQ(kinds("    rdpsw r2          ; sensitive but not privileged"),
            (Expected{{K::VirtHole, "rdpsw"},
                      {K::Register, "r2"},
                      {K::Comment, "; sensitive but not privileged"}}));
  EXPECT_EQ(kinds("    out  PORT_CONSOLE, r1"),
            (Expected{{K::Privileged, "out"}, {K::Symbol, "PORT_CONSOLE"}, {K::Register, "r1"}}));
  EXPECT_EQ(kinds("HALT")[0].first, K::Privileged);  // mnemonics are case-insensitive
}

TEST(Syntax, EveryTableMnemonicIsClassifiedFromItsFlags) {
  for (const isa::InsnInfo& i : isa::instructions()) {
    const K expected = i.privileged()            ? K::Privileged
                       : i.virtualization_hole() ? K::VirtHole
                                                 : K::Instruction;
    EXPECT_EQ(classify_mnemonic(i.mnemonic), expected) << i.mnemonic;
  }
  // And the three deliberate holes are the ones the lecture is about.
  EXPECT_EQ(classify_mnemonic("wrpsw"), K::VirtHole);
  EXPECT_EQ(classify_mnemonic("sptr"), K::VirtHole);
  EXPECT_EQ(classify_mnemonic("ldptr"), K::Privileged);
}

TEST(Syntax, PseudoInstructionsComeFromTheAssemblersTable) {
  for (const assembler::PseudoInsn& p : assembler::kPseudoInsns)
    EXPECT_EQ(classify_mnemonic(p.name), K::Pseudo) << p.name;
  EXPECT_EQ(kinds("    li   r1, 'H'"),
            (Expected{{K::Pseudo, "li"}, {K::Register, "r1"}, {K::Number, "'H'"}}));
  EXPECT_EQ(classify_mnemonic("frobnicate"), K::Plain);
}

TEST(Syntax, DirectivesStringsAndSlashComments) {
  EXPECT_EQ(kinds("msg: .ascii \"hi; there\\\"\" // not a ; comment start"),
            (Expected{{K::Label, "msg:"},
                      {K::Directive, ".ascii"},
                      {K::String, "\"hi; there\\\"\""},
                      {K::Comment, "// not a ; comment start"}}));
  EXPECT_EQ(
      kinds(".word 0x10, 0b101, end"),
      (Expected{
          {K::Directive, ".word"}, {K::Number, "0x10"}, {K::Number, "0b101"}, {K::Symbol, "end"}}));
}

TEST(Syntax, ControlRegistersOnlyWhereTheInstructionTakesOne) {
  EXPECT_EQ(kinds("mfcr r3, cause"),
            (Expected{{K::Privileged, "mfcr"}, {K::Register, "r3"}, {K::ControlReg, "cause"}}));
  EXPECT_EQ(kinds("jmp epc")[1].first, K::Symbol);  // a label that happens to be called epc
}

TEST(Syntax, SeveralLabelsAndALabelAlone) {
  EXPECT_EQ(kinds("a: b : nop"),
            (Expected{{K::Label, "a:"}, {K::Label, "b :"}, {K::Pseudo, "nop"}}));
  EXPECT_EQ(kinds("_start:"), (Expected{{K::Label, "_start:"}}));
}

TEST(Syntax, TokensCoverEveryNonBlankByteAndNeverOverlap) {
  const std::string_view lines[] = {
      "",
      "   ",
      "\tadd r1,r2,r3",
      "x: .word \"unterminated",
      "li r1, -(4 + 0x10) << 2 // c",
      "'",
      "@#$%",
      "r99 r1x sp lr zero",
      "weird\t\ttabs ; \xC3\xA9 utf8",
  };
  for (std::string_view line : lines) {
    std::vector<bool> covered(line.size(), false);
    int last_end = 0;
    for (const Token& t : tokenize_line(line)) {
      EXPECT_LE(last_end, t.begin) << line;
      EXPECT_LT(t.begin, t.end) << line;
      EXPECT_LE(t.end, int(line.size())) << line;
      for (int i = t.begin; i < t.end; ++i) covered[size_t(i)] = true;
      last_end = t.end;
    }
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] != ' ' && line[i] != '\t') {
        EXPECT_TRUE(covered[i]) << "byte " << i << " of: " << line;
      }
    }
  }
}

}  // namespace
}  // namespace trapeze::ui::editor
