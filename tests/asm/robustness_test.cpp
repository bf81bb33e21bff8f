// The assembler never crashes, hangs or throws, whatever it is given: random
// bytes, random token soup, pathological nesting, huge sizes, runaway macros and
// includes. Each case must end with errors (or an image), quickly.
#include <gtest/gtest.h>

#include <random>

#include "asm/assembler.h"
#include "asm/disassembler.h"
#include "asm_test_util.h"

namespace trapeze::assembler {
namespace {

using testing::errors_of;

// Assembles and checks the invariants every result must keep.
void check_invariants(std::string_view source, const Options& options = {}) {
  const Result r = assemble(source, options);
  size_t bytes = 0;
  for (size_t i = 0; i < r.program.segments.size(); ++i) {
    const Segment& s = r.program.segments[i];
    bytes += s.bytes.size();
    if (r.ok() && i > 0) {
      const Segment& prev = r.program.segments[i - 1];
      ASSERT_LT(uint64_t(prev.base) + prev.bytes.size(), uint64_t(s.base) + 1) << "overlap";
    }
  }
  ASSERT_LE(bytes, options.max_output_bytes);
  for (const Diagnostic& d : r.errors) {
    ASSERT_GE(d.line, 1);
    ASSERT_GE(d.col, 1);
    ASSERT_FALSE(d.message.empty());
    ASSERT_EQ(d.message.find("internal error"), std::string::npos) << d.format();
  }
  ASSERT_LE(r.errors.size(), 101u);
}

TEST(AsmRobustness, RandomBytes) {
  std::mt19937 rng(1);
  for (int n = 0; n < 300; ++n) {
    std::string s(rng() % 2000, '\0');
    for (char& c : s) c = char(rng());
    check_invariants(s);
  }
}

TEST(AsmRobustness, RandomTokenSoup) {
  // Fragments of the real syntax, glued at random: reaches much deeper than bytes.
  static const char* kPieces[] = {"add",
                                  "addi",
                                  "li",
                                  "la",
                                  "beq",
                                  "jmp",
                                  "ldw",
                                  "stw",
                                  "out",
                                  "mfcr",
                                  "hypercall",
                                  "nop",
                                  "bgt",
                                  "r1",
                                  "sp",
                                  "lr",
                                  "epc",
                                  "r16",
                                  "x",
                                  "y",
                                  "_start",
                                  ".",
                                  ".org",
                                  ".word",
                                  ".byte",
                                  ".ascii",
                                  ".asciz",
                                  ".space",
                                  ".align",
                                  ".equ",
                                  ".if",
                                  ".ifdef",
                                  ".elif",
                                  ".else",
                                  ".endif",
                                  ".macro",
                                  ".endm",
                                  ".error",
                                  ".include",
                                  "m",
                                  "\\a",
                                  "\\@",
                                  "defined(",
                                  "hi(",
                                  "lo(",
                                  ",",
                                  ":",
                                  "(",
                                  ")",
                                  "=",
                                  "+",
                                  "-",
                                  "*",
                                  "/",
                                  "%",
                                  "<<",
                                  ">>",
                                  "&&",
                                  "||",
                                  "==",
                                  "!",
                                  "~",
                                  "0",
                                  "1",
                                  "-1",
                                  "4",
                                  "0x7fff",
                                  "0xffffffff",
                                  "0x100000000",
                                  "'a'",
                                  "\"s\"",
                                  "\"\\x4",
                                  ";",
                                  "\n",
                                  "\n",
                                  "\n",
                                  "\n",
                                  " ",
                                  " ",
                                  "x:",
                                  "y:",
                                  "PORT_CONSOLE",
                                  "1/0",
                                  "0b2",
                                  "@"};
  std::mt19937 rng(2);
  Options o;
  o.include = [](const std::string& p) -> std::optional<std::string> {
    if (p == "s") return ".word 1\n.include \"s\"\n";
    return std::nullopt;
  };
  for (int n = 0; n < 3000; ++n) {
    std::string s;
    const int count = int(rng() % 60);
    for (int i = 0; i < count; ++i) s += std::string(kPieces[rng() % std::size(kPieces)]) + " ";
    check_invariants(s, o);
  }
}

TEST(AsmRobustness, PathologicalNesting) {
  EXPECT_EQ(errors_of("li r1, " + std::string(100000, '(') + "1"),
            std::vector<std::string>{"input.s:1:209: error: expression nested too deeply"});
  EXPECT_FALSE(errors_of("li r1, " + std::string(100000, '-') + "1").empty());
  std::string ifs;
  for (int i = 0; i < 20000; ++i) ifs += ".if 1\n";
  for (int i = 0; i < 20000; ++i) ifs += ".endif\n";
  EXPECT_TRUE(errors_of(ifs + "nop").empty());
  std::string sum = "li r1, 0";
  for (int i = 0; i < 100000; ++i) sum += " + 1";
  EXPECT_TRUE(errors_of(sum).empty());  // long but flat: fine
}

TEST(AsmRobustness, RunawayMacrosStop) {
  // Each macro uses the next one twice: 2^25 lines if nothing stopped it.
  std::string s;
  for (int i = 0; i < 25; ++i)
    s += ".macro m" + std::to_string(i) + "\n  m" + std::to_string(i + 1) + "\n  m" +
         std::to_string(i + 1) + "\n.endm\n";
  s += ".macro m25\n  nop\n.endm\n  m0\n";
  const auto errors = errors_of(s);  // about 2 million lines of work, then it stops
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("too much to assemble"), std::string::npos) << errors[0];
  // A macro whose lines grow with each level stops too.
  EXPECT_FALSE(errors_of(".macro g a\n  g \\a\\a\\a\\a\n.endm\n  g x").empty());
}

TEST(AsmRobustness, HugeSizesAreErrorsNotAllocations) {
  EXPECT_FALSE(errors_of(".space 0xffffffff").empty());
  EXPECT_FALSE(errors_of(".space -1").empty());
  EXPECT_FALSE(errors_of(".align 0x100000000").empty());
  EXPECT_FALSE(errors_of(".org 0x100000000").empty());
  EXPECT_FALSE(errors_of(".byte 1\n.align 0x80000000").empty());
  Options small;
  small.max_output_bytes = 1000;
  EXPECT_EQ(errors_of(".space 600\n.space 600", small),
            std::vector<std::string>{"input.s:2:8: error: output too large: more than 1000 bytes"});
  const std::string long_line = ".ascii \"" + std::string(900000, 'x') + "\"";
  EXPECT_TRUE(errors_of(long_line).empty());
}

TEST(AsmRobustness, EmptyAndBlankSources) {
  EXPECT_TRUE(assemble("").ok());
  EXPECT_TRUE(assemble("\n\n   \n\t\r\n").ok());
  EXPECT_TRUE(assemble("nop").ok());              // no final newline
  EXPECT_TRUE(assemble("nop\r\nhalt\r\n").ok());  // Windows line ends
}

}  // namespace
}  // namespace trapeze::assembler
