// Conditional assembly, .include and .macro: one guest source, several variants.
#include <gtest/gtest.h>

#include <map>

#include "asm/assembler.h"
#include "asm_test_util.h"
#include "isa/isa.h"

namespace trapeze::assembler {
namespace {

using testing::errors_of;
using testing::messages;
using testing::words;
using testing::words_of;
using W = std::vector<uint32_t>;

uint32_t enc(isa::Op op, uint8_t a = 0, uint8_t b = 0, uint8_t c = 0, int32_t imm = 0) {
  return *isa::encode({op, a, b, c, imm});
}

// The guest-kernel pattern the conditionals exist for: how to read the PSW.
constexpr const char* kVariants =
    ".ifdef PARAVIRT\n"
    "        hypercall 1          ; ask the VMM\n"
    ".elif defined(MODE) && MODE == 2\n"
    "        mfcr r1, epsw        ; a variant chosen by value\n"
    ".else\n"
    "        rdpsw r1             ; bare metal: the sensitive instruction\n"
    ".endif\n"
    "        halt\n";

W build(const std::map<std::string, int64_t>& defines) {
  Options o;
  o.defines = defines;
  return words_of(kVariants, o);
}

TEST(AsmSource, ConditionalAssemblyPicksTheVariantFromDefines) {
  using isa::Op;
  const uint32_t halt = enc(Op::HALT);
  EXPECT_EQ(build({}), (W{enc(Op::RDPSW, 1), halt}));
  EXPECT_EQ(build({{"PARAVIRT", 1}}), (W{enc(Op::HYPERCALL, 0, 0, 0, 1), halt}));
  EXPECT_EQ(build({{"PARAVIRT", 0}}),
            (W{enc(Op::HYPERCALL, 0, 0, 0, 1), halt}));  // defined is enough
  EXPECT_EQ(build({{"MODE", 2}}), (W{enc(Op::MFCR, 1, 1), halt}));
  EXPECT_EQ(build({{"MODE", 3}}), (W{enc(Op::RDPSW, 1), halt}));
}

TEST(AsmSource, NestedConditionalsAndSkippedLinesAreNotAssembled) {
  const char* source =
      ".if 1\n"
      "  .if 0\n"
      "    this line is never lexed @#$ \"\n"
      "  .elif 1\n"
      "    .word 1\n"
      "  .elif 1\n"
      "    .word 2\n"  // an earlier branch was taken
      "  .else\n"
      "    .word 3\n"
      "  .endif\n"
      "  .ifndef NOPE\n"
      "    .word 4\n"
      "  .endif\n"
      ".else\n"
      "  .if 1\n"  // nested inside a skipped branch: ignored, but balanced
      "    .word 5\n"
      "  .endif\n"
      ".endif\n";
  EXPECT_EQ(words_of(source), (W{1, 4}));
}

TEST(AsmSource, ConditionsSeeOnlySymbolsAbove) {
  // A label above the .if is usable; the condition decides which lines exist.
  EXPECT_EQ(words_of("a: .word 0\n.if a == 0\n.word 1\n.endif"), (W{0, 1}));
  EXPECT_EQ(errors_of(".if later\n.endif\nlater:"),
            std::vector<std::string>{"input.s:1:5: error: .if needs a value known at this point, "
                                     "but 'later' is defined further down"});
  // A condition in error selects no branch, not even .else: one error, not a cascade.
  EXPECT_EQ(errors_of(".if nope\n.word 1\n.else\n.word 2\n.endif"),
            std::vector<std::string>{"input.s:1:5: error: undefined symbol 'nope'"});
}

TEST(AsmSource, IncludeInsertsAFileAndItsSymbols) {
  std::map<std::string, std::string> files = {
      {"consts.s", "STACK_TOP = 0x8000\n.macro exit\n  halt\n.endm\n"},
      {"lib.s", "putc: out PORT_CONSOLE, r1\n  ret\n.include \"tail.s\"\n"},
      {"tail.s", ".word 0xabcd\n"},
  };
  Options o;
  o.include = [&](const std::string& path) -> std::optional<std::string> {
    const auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  const Result r = assemble(
      ".include \"consts.s\"\n_start: li sp, STACK_TOP\n  call putc\n  exit\n.include \"lib.s\"\n",
      o);
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  using isa::Op;
  EXPECT_EQ(
      words(r.program.segments[0]),
      (W{enc(Op::LUI, 14, 0, 0, 0), enc(Op::ORI, 14, 14, 0, 0x8000), enc(Op::CALL, 0, 0, 0, 4),
         enc(Op::HALT), enc(Op::OUT, 1, 0, 0, 1), enc(Op::RET), 0xabcd}));
  const Symbol* putc = nullptr;
  for (const Symbol& s : r.program.symbols)
    if (s.name == "putc") putc = &s;
  ASSERT_TRUE(putc);
  EXPECT_EQ(putc->file, "lib.s");
  EXPECT_EQ(putc->line, 1);
  // Each file's conditionals must close in that file.
  files["open.s"] = ".if 1\n";
  EXPECT_EQ(errors_of(".include \"open.s\"\n.endif", o),
            (std::vector<std::string>{"open.s:1:1: error: unterminated .if (missing .endif)",
                                      "input.s:2:1: error: .endif without .if"}));
}

TEST(AsmSource, NestedIncludesAreRelativeToTheIncludingFile) {
  // guests/os/os.s includes ../lib/a.inc, which includes b.inc next to itself.
  const std::map<std::string, std::string> files = {
      {"guests/lib/a.inc", ".include \"b.inc\"\nA = B + 1\n"},
      {"guests/lib/b.inc", "B = 41\n"},
      {"shared/c.inc", "C = 7\n"},  // found only by its name as written, like -I
  };
  std::vector<std::string> asked;
  Options o;
  o.file_name = "guests/os/os.s";
  o.include = [&](const std::string& path) -> std::optional<std::string> {
    asked.push_back(path);
    const auto it = files.find(path);
    if (it != files.end()) return it->second;
    if (path == "c.inc") return files.at("shared/c.inc");
    return std::nullopt;
  };
  const Result r = assemble(".include \"../lib/a.inc\"\n.include \"c.inc\"\n.word A, C\n", o);
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  EXPECT_EQ(words(r.program.segments[0]), (W{42, 7}));
  EXPECT_EQ(asked, (std::vector<std::string>{"guests/lib/a.inc", "guests/lib/b.inc",
                                             "guests/os/c.inc", "c.inc"}));
  // Errors name the included file by its resolved path.
  const std::map<std::string, std::string> bad = {{"guests/lib/a.inc", "nop r1\n"}};
  o.include = [&](const std::string& path) -> std::optional<std::string> {
    const auto it = bad.find(path);
    return it == bad.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  EXPECT_EQ(errors_of(".include \"../lib/a.inc\"\n", o).at(0).rfind("guests/lib/a.inc:1:", 0), 0u);
}

TEST(AsmSource, MacrosSubstituteArgumentsAndMakeUniqueLabels) {
  const char* source =
      ".macro delay reg, count\n"
      "        li \\reg, \\count\n"
      "loop\\@: addi \\reg, \\reg, -1\n"
      "        bnez \\reg, loop\\@\n"
      ".endm\n"
      "        delay r1, 3\n"
      "        delay r2, 5\n";
  const Result r = assemble(source);
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  using isa::Op;
  EXPECT_EQ(words(r.program.segments[0]),
            (W{enc(Op::ADDI, 1, 0, 0, 3), enc(Op::ADDI, 1, 1, 0, -1), enc(Op::BNE, 1, 0, 0, -8),
               enc(Op::ADDI, 2, 0, 0, 5), enc(Op::ADDI, 2, 2, 0, -1), enc(Op::BNE, 2, 0, 0, -8)}));
  EXPECT_EQ(r.program.symbol("loop1"), 4u);
  EXPECT_EQ(r.program.symbol("loop2"), 16u);
}

TEST(AsmSource, MacrosCanUseOtherMacrosAndConditionals) {
  const char* source =
      ".macro put ch\n"
      "  li r1, \\ch\n"
      "  out PORT_CONSOLE, r1\n"
      ".endm\n"
      ".macro greet\n"
      ".ifdef LOUD\n"
      "  put 'H'\n"
      ".endif\n"
      "  put 'i'\n"
      ".endm\n"
      "greet\n";
  EXPECT_EQ(words_of(source).size(), 2u);
  Options loud;
  loud.defines["LOUD"] = 1;
  EXPECT_EQ(words_of(source, loud).size(), 4u);
}

TEST(AsmSource, MacroDefinitionErrors) {
  EXPECT_EQ(
      errors_of(".macro add x\n.endm"),
      std::vector<std::string>{
          "input.s:1:8: error: 'add' cannot be a macro name (it is an instruction or directive)"});
  EXPECT_EQ(errors_of(".macro m\n.endm\n.macro m\n.endm"),
            std::vector<std::string>{
                "input.s:3:8: error: duplicate macro 'm' (first defined at input.s:1)"});
  EXPECT_EQ(errors_of(".macro m a, a\n.endm"),
            std::vector<std::string>{"input.s:1:13: error: duplicate macro parameter 'a'"});
  // A bad header still swallows its body, so the body is not assembled as code.
  EXPECT_EQ(errors_of(".macro\nbogus\n.endm"),
            std::vector<std::string>{"input.s:1:1: error: .macro needs a name"});
}

}  // namespace
}  // namespace trapeze::assembler
