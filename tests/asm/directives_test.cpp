// Directives, expressions, predefined symbols and pseudo-instructions produce
// the bytes and values they promise.
#include <gtest/gtest.h>

#include "asm/assembler.h"
#include "asm/lexer.h"
#include "asm/pseudo.h"
#include "asm_test_util.h"
#include "isa/isa.h"
#include "isa/ports.h"
#include "isa/vm_control_block.h"

namespace trapeze::assembler {
namespace {

using testing::messages;
using testing::words;
using testing::words_of;
using W = std::vector<uint32_t>;
using B = std::vector<uint8_t>;

uint32_t enc(isa::Op op, uint8_t a = 0, uint8_t b = 0, uint8_t c = 0, int32_t imm = 0) {
  return *isa::encode({op, a, b, c, imm});
}

// The value of `expr` (its low 32 bits, as a symbol holds them).
std::optional<int32_t> value_of(const std::string& expr) {
  const Result r = assemble("V = " + expr);
  if (!r.ok()) return std::nullopt;
  return int32_t(*r.program.symbol("V"));
}

// Whether a 64-bit condition holds, as .if sees it.
bool holds(const std::string& condition) {
  return assemble(".if !(" + condition + ")\n.error \"false\"\n.endif").ok();
}

TEST(AsmDirectives, DataDirectivesEmitLittleEndianBytes) {
  const Result r = assemble(
      ".byte 1, -1, 'A', 0x7f\n.word 0x11223344, -2\n.ascii \"hi\", \"!\"\n"
      ".asciz \"a\\tb\\n\\0\\\\\\\"\\x41\"\n");
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  ASSERT_EQ(r.program.segments.size(), 1u);
  EXPECT_EQ(r.program.segments[0].bytes,
            (B{1,   0xff, 'A', 0x7f, 0x44, 0x33, 0x22, 0x11, 0xfe, 0xff, 0xff, 0xff,
               'h', 'i',  '!', 'a',  '\t', 'b',  '\n', 0,    '\\', '"',  'A',  0}));
}

TEST(AsmDirectives, SpaceAlignAndOrg) {
  const Result r =
      assemble(".byte 7\n.align 4\n.space 3, 0xaa\n.space 1\n.org 0x20\nhere: .word here");
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  ASSERT_EQ(r.program.segments.size(), 2u);
  EXPECT_EQ(r.program.segments[0].base, 0u);
  EXPECT_EQ(r.program.segments[0].bytes, (B{7, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0}));
  EXPECT_EQ(r.program.segments[1].base, 0x20u);
  EXPECT_EQ(words(r.program.segments[1]), W{0x20});
  // .align on an aligned address adds nothing.
  EXPECT_EQ(words_of("nop\n.align 4\nnop"), (W{enc(isa::Op::ADD), enc(isa::Op::ADD)}));
}

TEST(AsmDirectives, AdjacentRegionsMergeIntoOneSegment) {
  const Result r = assemble(".org 8\n.word 2\n.org 4\n.word 1\n.org 0x100\n.word 3");
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  ASSERT_EQ(r.program.segments.size(), 2u);
  EXPECT_EQ(r.program.segments[0].base, 4u);
  EXPECT_EQ(words(r.program.segments[0]), (W{1, 2}));
  EXPECT_EQ(r.program.segments[1].base, 0x100u);
}

TEST(AsmDirectives, EquAndAssignmentIncludingForwardReferences) {
  const Result r = assemble(
      ".equ SIZE, end - start\nTWICE = SIZE * 2\nstart: nop\nnop\nend:\n"
      ".word SIZE, TWICE");
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  EXPECT_EQ(r.program.symbol("SIZE"), 8u);
  EXPECT_EQ(r.program.symbol("TWICE"), 16u);
  EXPECT_EQ(words(r.program.segments[0]).back(), 16u);
}

TEST(AsmDirectives, ExpressionOperatorsAndPrecedence) {
  EXPECT_EQ(value_of("1 + 2 * 3"), 7);
  EXPECT_EQ(value_of("(1 + 2) * 3"), 9);
  EXPECT_EQ(value_of("-7 / 2"), -3);
  EXPECT_EQ(value_of("-7 % 3"), -1);
  EXPECT_EQ(value_of("1 << 4 | 1"), 17);
  EXPECT_EQ(value_of("0xff & ~0xf ^ 1"), 0xf1);
  EXPECT_EQ(value_of("-1 >> 60"), -1);  // arithmetic shift of a 64-bit value
  EXPECT_EQ(value_of("3 < 4 && 4 <= 4 && 5 > 4 && 4 >= 5 == 0"), 1);
  EXPECT_EQ(value_of("1 == 2 || 2 != 2"), 0);
  EXPECT_EQ(value_of("!0 + !5"), 1);
  EXPECT_EQ(value_of("0b1010 + 'a' + '\\n'"), 10 + 97 + 10);
  EXPECT_EQ(value_of("hi(0x12345678) * 0x10000 + lo(0x12345678)"), 0x12345678);
  EXPECT_EQ(value_of("defined(PORT_CONSOLE) + defined(NOPE)"), 1);
  EXPECT_TRUE(holds("0xffffffffffffffff == -1"));        // 64-bit patterns are kept
  EXPECT_TRUE(holds("0x100000000 * 0x100000000 == 0"));  // 64-bit arithmetic wraps
  EXPECT_TRUE(holds("-0x8000000000000000 / -1 == -0x8000000000000000"));  // no overflow trap
  EXPECT_TRUE(holds("0x7fffffffffffffff > 0x7ffffffffffffffe"));
  EXPECT_FALSE(holds("1 == 2"));
  // && and || short-circuit: the side not evaluated may name undefined symbols.
  EXPECT_TRUE(holds("!(defined(NOPE) && NOPE == 2)"));
  EXPECT_TRUE(holds("1 || 1 / 0"));
  EXPECT_FALSE(holds("0 || NOPE"));
  EXPECT_FALSE(value_of("1 << 64"));
}

TEST(AsmDirectives, CurrentAddress) {
  EXPECT_EQ(words_of(".org 0x40\n.word ., . + 4"), (W{0x40, 0x48}));
  EXPECT_EQ(words_of("nop\nbeq r0, r0, .\n"),
            (W{enc(isa::Op::ADD), enc(isa::Op::BEQ, 0, 0, 0, -4)}));
}

TEST(AsmDirectives, PredefinedSymbolsComeFromTheIsaHeaders) {
  const Result r = assemble(
      "out PORT_CONSOLE, r1\n.word CAUSE_PAGE_FAULT, PSW_U | PSW_IE, "
      "PTE_P | PTE_W | PTE_U | PTE_A | PTE_D, PAGE_SIZE, FAULT_WRITE, "
      "FAULT_EXEC, FAULT_PROTECTION, FAULT_USER, VMCB_GUEST_REGS, "
      "VMEXIT_HYPERCALL, PORT_RING_KICK");
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  EXPECT_EQ(words(r.program.segments[0]),
            (W{enc(isa::Op::OUT, 1, 0, 0, uint16_t(isa::Port::CONSOLE)),
               uint32_t(isa::Cause::PAGE_FAULT), isa::psw::U | isa::psw::IE,
               isa::pte::P | isa::pte::W | isa::pte::U | isa::pte::A | isa::pte::D, isa::kPageSize,
               isa::fault::WRITE, isa::fault::EXEC, isa::fault::PROTECTION, isa::fault::USER,
               isa::vmcb::GUEST_REGS, uint32_t(isa::vmcb::ExitReason::HYPERCALL),
               uint32_t(isa::Port::RING_KICK)}));
  // Every port of the table is there, and predefined names are not user symbols.
  for (const isa::PortInfo& p : isa::kPorts)
    EXPECT_EQ(value_of("PORT_" + std::string(p.name)), p.number) << p.name;
  EXPECT_FALSE(r.program.symbol("PORT_CONSOLE"));
}

TEST(AsmDirectives, DefinesFromOptionsAreSymbols) {
  Options o;
  o.defines["BASE"] = 0x1000;
  EXPECT_EQ(words_of(".word BASE + 4", o), W{0x1004});
}

TEST(AsmDirectives, PseudoInstructionsExpandToTableInstructions) {
  using isa::Op;
  EXPECT_EQ(words_of("nop"), W{enc(Op::ADD, 0, 0, 0)});
  EXPECT_EQ(words_of("mov r1, r2"), W{enc(Op::ADD, 1, 2, 0)});
  EXPECT_EQ(words_of("not r3, r4"), (W{enc(Op::SUB, 3, 0, 4), enc(Op::ADDI, 3, 3, 0, -1)}));
  EXPECT_EQ(words_of("neg r3, r4"), W{enc(Op::SUB, 3, 0, 4)});
  EXPECT_EQ(words_of("x: b x"), W{enc(Op::JMP, 0, 0, 0, -4)});
  EXPECT_EQ(words_of("x: beqz r1, x"), W{enc(Op::BEQ, 1, 0, 0, -4)});
  EXPECT_EQ(words_of("x: bnez r1, x"), W{enc(Op::BNE, 1, 0, 0, -4)});
  EXPECT_EQ(words_of("x: bgt r1, r2, x"), W{enc(Op::BLT, 2, 1, 0, -4)});
  EXPECT_EQ(words_of("x: ble r1, r2, x"), W{enc(Op::BGE, 2, 1, 0, -4)});
  EXPECT_EQ(words_of("x: bgtu r1, r2, x"), W{enc(Op::BLTU, 2, 1, 0, -4)});
  EXPECT_EQ(words_of("x: bleu r1, r2, x"), W{enc(Op::BGEU, 2, 1, 0, -4)});
}

TEST(AsmDirectives, PseudoTableIsWellFormed) {
  // The expansion code relies on this: every template instruction is in the ISA
  // table and only names operands the pseudo-instruction has.
  for (const PseudoInsn& p : kPseudoInsns) {
    EXPECT_FALSE(isa::find_mnemonic(p.name)) << p.name << " hides an instruction";
    for (std::string_view templ : {p.expansion, p.short_expansion}) {
      while (!templ.empty()) {
        const size_t semi = templ.find(';');
        const LexResult t = lex_line(templ.substr(0, semi), /*allow_params=*/true);
        templ = semi == std::string_view::npos ? std::string_view() : templ.substr(semi + 1);
        ASSERT_FALSE(t.error) << p.name;
        EXPECT_TRUE(isa::find_mnemonic(t.tokens[0].text)) << p.name << ": " << t.tokens[0].text;
        for (const Token& tok : t.tokens)
          if (tok.kind == TokenKind::Param) {
            EXPECT_GE(tok.number, 1) << p.name;
            EXPECT_LE(tok.number, operand_count(p)) << p.name;
          }
      }
    }
  }
}

TEST(AsmDirectives, LiIsOneInstructionWhenTheValueIsKnownAndSmall) {
  using isa::Op;
  EXPECT_EQ(words_of("li r1, -32768"), W{enc(Op::ADDI, 1, 0, 0, -32768)});
  EXPECT_EQ(words_of("li r1, 32767"), W{enc(Op::ADDI, 1, 0, 0, 32767)});
  EXPECT_EQ(words_of("li r1, 32768"), (W{enc(Op::LUI, 1, 0, 0, 0), enc(Op::ORI, 1, 1, 0, 0x8000)}));
  EXPECT_EQ(words_of("li r1, -100000"),
            (W{enc(Op::LUI, 1, 0, 0, 0xFFFE), enc(Op::ORI, 1, 1, 0, 0x7960)}));
  EXPECT_EQ(words_of("li r1, 0xdeadbeef"),
            (W{enc(Op::LUI, 1, 0, 0, 0xDEAD), enc(Op::ORI, 1, 1, 0, 0xBEEF)}));
  // A forward reference cannot be known in the first pass: two instructions,
  // even though the value turns out small, so the addresses after it agree.
  EXPECT_EQ(words_of("li r1, later\nlater: .word later"),
            (W{enc(Op::LUI, 1, 0, 0, 0), enc(Op::ORI, 1, 1, 0, 8), 8}));
  // la is always two instructions.
  EXPECT_EQ(words_of("x: la r2, x"), (W{enc(Op::LUI, 2, 0, 0, 0), enc(Op::ORI, 2, 2, 0, 0)}));
}

TEST(AsmDirectives, CommentsAndLabels) {
  const Result r =
      assemble("; a comment\n// another\na: b: nop ; trailing\n  c:\n.word a, b, c // x");
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  EXPECT_EQ(r.program.symbol("a"), 0u);
  EXPECT_EQ(r.program.symbol("b"), 0u);
  EXPECT_EQ(r.program.symbol("c"), 4u);
  EXPECT_EQ(words(r.program.segments[0]), (W{enc(isa::Op::ADD), 0, 0, 4}));
}

TEST(AsmDirectives, MemoryOperandForms) {
  using isa::Op;
  EXPECT_EQ(words_of("ldw r1, (r2)\nldw r1, 8(sp)\nstw r3, -4(r4)\nstb r3, (2 + 2) * 2(r4)\n"
                     "OFF = 12\nldb r1, OFF(r2)"),
            (W{enc(Op::LDW, 1, 2, 0, 0), enc(Op::LDW, 1, 14, 0, 8), enc(Op::STW, 3, 4, 0, -4),
               enc(Op::STB, 3, 4, 0, 8), enc(Op::LDB, 1, 2, 0, 12)}));
}

TEST(AsmDirectives, EntryIsStartOrTheLowestAddress) {
  EXPECT_EQ(assemble(".org 0x100\nnop\n_start: nop").program.entry, 0x104u);
  EXPECT_EQ(assemble(".org 0x200\nnop\n.org 0x100\nnop").program.entry, 0x100u);
  EXPECT_EQ(assemble("").program.entry, 0u);
}

}  // namespace
}  // namespace trapeze::assembler
