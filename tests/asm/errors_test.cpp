// Every class of assembler error, with its exact message, line and column; and
// a file with many errors reports all of them, in source order.
#include <gtest/gtest.h>

#include <map>

#include "asm/assembler.h"
#include "asm_test_util.h"

namespace trapeze::assembler {
namespace {

using testing::errors_of;
using V = std::vector<std::string>;

TEST(AsmErrors, UnknownMnemonic) {
  EXPECT_EQ(errors_of("  foo r1, r2"), V{"input.s:1:3: error: unknown mnemonic 'foo'"});
}

TEST(AsmErrors, WrongOperandCount) {
  EXPECT_EQ(errors_of("add r1, r2"),
            V{"input.s:1:1: error: add expects 3 operands (add rd, rs1, rs2), got 2"});
  EXPECT_EQ(errors_of("push r1, r2"),
            V{"input.s:1:10: error: push expects 1 operand (push rs), got 2"});
  EXPECT_EQ(errors_of("halt r1"), V{"input.s:1:6: error: halt takes no operands"});
  EXPECT_EQ(errors_of("li r1"),
            V{"input.s:1:1: error: li expects 2 operands (li rd, value), got 1"});
  EXPECT_EQ(errors_of("add r1, , r2"), V{"input.s:1:9: error: missing operand"});
  EXPECT_EQ(errors_of("add r1, r2,"), V{"input.s:1:12: error: missing operand"});
}

TEST(AsmErrors, BadRegister) {
  EXPECT_EQ(errors_of("add r1, r2, r16"),
            V{"input.s:1:13: error: bad register 'r16' (use r0..r15, sp or lr)"});
  EXPECT_EQ(errors_of("push 5"), V{"input.s:1:6: error: bad register '5' (use r0..r15, sp or lr)"});
  EXPECT_EQ(errors_of("mov r1, x + 1"),
            V{"input.s:1:9: error: bad register 'x + 1' (use r0..r15, sp or lr)"});
  EXPECT_EQ(errors_of("mfcr r1, psw"),
            V{"input.s:1:10: error: bad control register 'psw' (use epc, epsw, cause, badaddr, "
              "scratch0 or scratch1)"});
  EXPECT_EQ(errors_of("ldw r1, 4(r99)"),
            V{"input.s:1:11: error: bad register 'r99' (use r0..r15, sp or lr)"});
  EXPECT_EQ(errors_of("ldw r1, 4"),
            V{"input.s:1:9: error: expected a memory operand such as 8(sp) or (r1), got '4'"});
}

TEST(AsmErrors, ImmediateOutOfRangeSaysTheRange) {
  EXPECT_EQ(errors_of("addi r1, r0, 70000"),
            V{"input.s:1:14: error: immediate 70000 out of range for addi (-32768..32767)"});
  EXPECT_EQ(errors_of("ori r1, r1, -1"),
            V{"input.s:1:13: error: immediate -1 out of range for ori (0..65535)"});
  EXPECT_EQ(errors_of("out 0x10000, r1"),
            V{"input.s:1:5: error: port 65536 out of range for out (0..65535)"});
  EXPECT_EQ(errors_of("ldw r1, -40000(sp)"),
            V{"input.s:1:9: error: offset -40000 out of range for ldw (-32768..32767)"});
  EXPECT_EQ(
      errors_of(".word 0x100000000"),
      V{"input.s:1:7: error: value 4294967296 out of range for .word (-2147483648..4294967295)"});
  EXPECT_EQ(errors_of(".byte 256"),
            V{"input.s:1:7: error: value 256 out of range for .byte (-128..255)"});
  EXPECT_EQ(errors_of("li r1, 0x100000000"),
            V{"input.s:1:8: error: value 4294967296 does not fit in 32 bits"});
}

TEST(AsmErrors, BranchTargetOutOfRange) {
  EXPECT_EQ(errors_of("beq r1, r2, 0x40000"),
            V{"input.s:1:13: error: branch target 0x00040000 out of range for beq (offset 262140 "
              "bytes; the limit is -131072..131068)"});
  EXPECT_EQ(errors_of("jmp 0x2000004"),
            V{"input.s:1:5: error: jump target 0x02000004 out of range for jmp (offset 33554432 "
              "bytes; the limit is -33554432..33554428)"});
  EXPECT_EQ(errors_of("bgt r1, r2, 0x40000"),  // a pseudo-instruction names itself
            V{"input.s:1:13: error: branch target 0x00040000 out of range for bgt (offset 262140 "
              "bytes; the limit is -131072..131068)"});
  EXPECT_EQ(errors_of("beq r1, r2, 6"),
            V{"input.s:1:13: error: branch target 0x00000006 is not 4-byte aligned"});
  EXPECT_EQ(errors_of("jmp 0x1ffffffff"),
            V{"input.s:1:5: error: jump target 8589934591 is not a 32-bit address"});
}

TEST(AsmErrors, UndefinedSymbol) {
  EXPECT_EQ(errors_of("jmp nowhere"), V{"input.s:1:5: error: undefined symbol 'nowhere'"});
  EXPECT_EQ(errors_of("li r1, 2 * missing + 1"),
            V{"input.s:1:12: error: undefined symbol 'missing'"});
  EXPECT_EQ(errors_of("Loop: jmp loop"),
            V{"input.s:1:11: error: undefined symbol 'loop'"});  // case-sensitive
}

TEST(AsmErrors, DuplicateSymbol) {
  EXPECT_EQ(errors_of("x: nop\nx: nop"),
            V{"input.s:2:1: error: duplicate symbol 'x' (first defined at input.s:1)"});
  EXPECT_EQ(errors_of("N = 1\n.equ N, 2"),
            V{"input.s:2:6: error: duplicate symbol 'N' (first defined at input.s:1)"});
  EXPECT_EQ(errors_of("PORT_CONSOLE = 3"),
            V{"input.s:1:1: error: duplicate symbol 'PORT_CONSOLE' (predefined by the assembler)"});
  Options o;
  o.defines["MODE"] = 1;
  EXPECT_EQ(errors_of(".equ MODE, 2", o),
            V{"input.s:1:6: error: duplicate symbol 'MODE' (defined with -D)"});
  EXPECT_EQ(errors_of("sp: nop"),
            V{"input.s:1:1: error: 'sp' cannot be a symbol name (it is a register)"});
}

TEST(AsmErrors, MisalignedInstruction) {
  EXPECT_EQ(errors_of(".byte 1\n  nop"),
            V{"input.s:2:3: error: instruction at 0x00000001 is not 4-byte aligned (put .align 4 "
              "before it)"});
}

TEST(AsmErrors, BadDirective) {
  EXPECT_EQ(errors_of(".bogus 1"), V{"input.s:1:1: error: unknown directive '.bogus'"});
  EXPECT_EQ(errors_of(".org"), V{"input.s:1:1: error: .org expects 1 argument, got 0"});
  EXPECT_EQ(errors_of(".space 1, 2, 3"),
            V{"input.s:1:14: error: .space expects 1 or 2 arguments, got 3"});
  EXPECT_EQ(errors_of(".ascii abc"),
            V{"input.s:1:8: error: expected a string in double quotes, got 'abc'"});
  EXPECT_EQ(errors_of(".align 3"),
            V{"input.s:1:8: error: alignment 3 is not a power of two (1, 2, 4, ... bytes)"});
  EXPECT_EQ(errors_of("nop\n.org end\nend:"),
            V{"input.s:2:6: error: .org needs a value known at this point, but 'end' is defined "
              "further down"});
  EXPECT_EQ(errors_of(".endm"), V{"input.s:1:1: error: .endm without .macro"});
  EXPECT_EQ(errors_of("x: .if 1"), V{"input.s:1:4: error: .if must be the first word on its line"});
}

TEST(AsmErrors, UnterminatedString) {
  EXPECT_EQ(errors_of(".ascii \"abc"), V{"input.s:1:8: error: unterminated string"});
  EXPECT_EQ(errors_of("li r1, 'a"), V{"input.s:1:8: error: unterminated character literal"});
  EXPECT_EQ(errors_of(".ascii \"a\\qb\""), V{"input.s:1:10: error: unknown escape sequence '\\q'"});
}

TEST(AsmErrors, BadNumberLiteral) {
  EXPECT_EQ(errors_of("li r1, 0x1g"), V{"input.s:1:8: error: bad number literal '0x1g'"});
  EXPECT_EQ(errors_of("li r1, 12ab"), V{"input.s:1:8: error: bad number literal '12ab'"});
  EXPECT_EQ(errors_of("li r1, 0b102"), V{"input.s:1:8: error: bad number literal '0b102'"});
  EXPECT_EQ(errors_of("li r1, 99999999999999999999"),
            V{"input.s:1:8: error: number '99999999999999999999' does not fit in 64 bits"});
}

TEST(AsmErrors, UnexpectedCharacter) {
  EXPECT_EQ(errors_of("add r1, r2, @"), V{"input.s:1:13: error: unexpected character '@'"});
  EXPECT_EQ(errors_of(std::string("nop \x01")), V{"input.s:1:5: error: unexpected character 0x01"});
  EXPECT_EQ(errors_of("42"),
            V{"input.s:1:1: error: expected an instruction or directive, got '42'"});
  EXPECT_EQ(errors_of("li r1, (1 + 2"), V{"input.s:1:14: error: missing ')'"});
  EXPECT_EQ(errors_of("li r1, 1 +"), V{"input.s:1:11: error: expected an expression"});
  EXPECT_EQ(errors_of("li r1, 5 / (2 - 2)"), V{"input.s:1:10: error: division by zero"});
  EXPECT_EQ(errors_of("li r1, 1 % 0"), V{"input.s:1:10: error: division by zero"});
}

TEST(AsmErrors, UnterminatedIf) {
  EXPECT_EQ(errors_of("nop\n  .if 1\nnop"),
            V{"input.s:2:3: error: unterminated .if (missing .endif)"});
  EXPECT_EQ(errors_of(".ifdef X\n.if 1\n.endif"),
            V{"input.s:1:1: error: unterminated .ifdef (missing .endif)"});
}

TEST(AsmErrors, ElseOrEndifWithoutIf) {
  EXPECT_EQ(errors_of(".endif"), V{"input.s:1:1: error: .endif without .if"});
  EXPECT_EQ(errors_of("  .else"), V{"input.s:1:3: error: .else without .if"});
  EXPECT_EQ(errors_of(".elif 1"), V{"input.s:1:1: error: .elif without .if"});
  EXPECT_EQ(errors_of(".if 1\n.else\n.else\n.endif"), V{"input.s:3:1: error: .else after .else"});
}

TEST(AsmErrors, IncludeNotFoundOrTooDeep) {
  EXPECT_EQ(errors_of(".include \"nope.s\""),
            V{"input.s:1:10: error: include file 'nope.s' not found"});
  Options o;
  // f0.s includes f1.s includes ... : a chain deeper than the limit.
  o.include = [](const std::string& path) -> std::optional<std::string> {
    const int n = std::stoi(path.substr(1));
    return ".include \"f" + std::to_string(n + 1) + ".s\"";
  };
  EXPECT_EQ(errors_of(".include \"f0.s\"", o),
            V{"f14.s:1:10: error: includes nested too deeply (limit 16)"});
  o.include = [](const std::string&) -> std::optional<std::string> {
    return ".include \"self.s\"";
  };
  EXPECT_EQ(errors_of(".include \"self.s\"", o),
            V{"self.s:1:10: error: recursive .include: 'self.s' is already being included"});
}

TEST(AsmErrors, OverlappingRegions) {
  EXPECT_EQ(errors_of(".org 0x100\n.word 1, 2\n.org 0x104\n  .word 3"),
            V{"input.s:4:3: error: overlapping output at 0x00000104..0x00000107 (also written by "
              "input.s:2)"});
  EXPECT_EQ(errors_of(".org 0x100\n.word 1\n.org 0x104\n.word 2"), V{});  // adjacent is fine
}

TEST(AsmErrors, SourceAndOutputTooLarge) {
  Options o;
  o.max_source_bytes = 10;
  EXPECT_EQ(errors_of("nop\nnop\nnop\n", o),
            V{"input.s:1:1: error: source too large: 12 bytes (limit 10)"});
  EXPECT_EQ(errors_of(".space 0x100000000"),
            V{"input.s:1:8: error: output too large: more than 16777216 bytes"});
  EXPECT_EQ(errors_of(".org 0xfffffffc\nnop\nnop"),
            V{"input.s:3:1: error: output runs past the end of memory (0xffffffff)"});
}

TEST(AsmErrors, UserErrorDirective) {
  EXPECT_EQ(errors_of(".ifndef MODE\n  .error \"define MODE with -D MODE=1 or 2\"\n.endif"),
            V{"input.s:2:3: error: define MODE with -D MODE=1 or 2"});
}

TEST(AsmErrors, ErrorsInsideMacrosNameTheUse) {
  EXPECT_EQ(errors_of(".macro twice r\n  add \\r, \\r\n.endm\n\ntwice r1"),
            V{"input.s:2:3: error: add expects 3 operands (add rd, rs1, rs2), got 2 (in macro "
              "'twice' used at input.s:5)"});
  EXPECT_EQ(errors_of(".macro m a\n.endm\nm"),
            V{"input.s:3:1: error: macro 'm' expects 1 argument, got 0"});
  EXPECT_EQ(errors_of(".macro m\n  m\n.endm\nm"),
            V{"input.s:2:3: error: macros nested too deeply (limit 32; does the macro use itself?) "
              "(in macro 'm' used at input.s:2)"});
  EXPECT_EQ(errors_of(".macro m\nnop"),
            V{"input.s:1:1: error: unterminated .macro (missing .endm)"});
}

TEST(AsmErrors, IncludedFilesReportTheirOwnNameAndLine) {
  Options o;
  o.include = [](const std::string& path) -> std::optional<std::string> {
    if (path == "lib.s") return "nop\n  bogus r1\n";
    return std::nullopt;
  };
  EXPECT_EQ(errors_of("nop\n.include \"lib.s\"\nfoo", o),
            V({"lib.s:2:3: error: unknown mnemonic 'bogus'",
               "input.s:3:1: error: unknown mnemonic 'foo'"}));
}

TEST(AsmErrors, AFileWithManyErrorsReportsAllInOrder) {
  const char* source =
      "start:  foo r1, r2\n"          // 1
      "        add r1, r2\n"          // 2
      "        addi r1, r0, 70000\n"  // 3
      "        jmp nowhere\n"         // 4
      "start:  nop\n"                 // 5
      "        .ascii \"abc\n"        // 6
      "        .if 1\n"               // 7
      "        li r2, 0x1g\n"         // 8
      "        add r1, r2, @\n"       // 9
      "        beq r1, r2, start\n";  // 10: fine
  EXPECT_EQ(errors_of(source),
            V({"input.s:1:9: error: unknown mnemonic 'foo'",
               "input.s:2:9: error: add expects 3 operands (add rd, rs1, rs2), got 2",
               "input.s:3:22: error: immediate 70000 out of range for addi (-32768..32767)",
               "input.s:4:13: error: undefined symbol 'nowhere'",
               "input.s:5:1: error: duplicate symbol 'start' (first defined at input.s:1)",
               "input.s:6:16: error: unterminated string",
               "input.s:7:9: error: unterminated .if (missing .endif)",
               "input.s:8:16: error: bad number literal '0x1g'",
               "input.s:9:21: error: unexpected character '@'"}));
}

TEST(AsmErrors, ErrorsStopAtALimit) {
  std::string source;
  for (int i = 0; i < 500; ++i) source += "bogus\n";
  const auto errors = errors_of(source);
  ASSERT_EQ(errors.size(), 101u);
  EXPECT_EQ(errors.back(), "input.s:101:1: error: too many errors (100); stopping here");
}

}  // namespace
}  // namespace trapeze::assembler
