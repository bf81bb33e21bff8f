// The disassembler and the assembler agree: for every instruction in the table,
// with boundary operands, assemble(disassemble(w, pc)) placed at pc gives w back,
// and the text is stable. Driven by the table, so a new row is tested at once.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "asm/assembler.h"
#include "asm/disassembler.h"
#include "asm/syntax.h"
#include "asm_test_util.h"
#include "isa/isa.h"

namespace trapeze::assembler {
namespace {

using testing::messages;
using testing::words;

// Far enough from 0 that the longest backward jump does not wrap around.
constexpr uint32_t kPc = 0x04000000;

// Operand samples per variant: registers from both ends, and every immediate
// range's limits, zero and a small negative value.
isa::Decoded sample(const isa::InsnInfo& i, int variant) {
  static constexpr uint8_t kRegs[4][3] = {{1, 2, 3}, {0, 15, 14}, {13, 7, 0}, {14, 15, 15}};
  static constexpr int32_t kSigned[4] = {-32768, 32767, 0, -1};
  static constexpr int32_t kUnsigned[4] = {0, 0xFFFF, 1, 0x8000};
  static constexpr int32_t kBranch[4] = {-0x8000 * 4, 0x7FFF * 4, 0, -4};
  static constexpr int32_t kJump[4] = {-(1 << 23) * 4, ((1 << 23) - 1) * 4, 0, -8};
  static constexpr uint8_t kCr[4] = {0, isa::kNumControlRegs - 1, 2, 3};
  isa::Decoded d;
  d.op = i.op;
  const uint8_t* r = kRegs[variant];
  const int32_t imm = isa::imm_is_unsigned(i.op) ? kUnsigned[variant] : kSigned[variant];
  switch (i.format) {
    case isa::Format::NONE: break;
    case isa::Format::R3:
      d.a = r[0];
      d.b = r[1];
      d.c = r[2];
      break;
    case isa::Format::RS:
    case isa::Format::RD: d.a = r[0]; break;
    case isa::Format::RI:
    case isa::Format::PIN:
    case isa::Format::POUT:
      d.a = r[0];
      d.imm = imm;
      break;
    case isa::Format::RRI:
    case isa::Format::LOAD:
    case isa::Format::STORE:
      d.a = r[0];
      d.b = r[1];
      d.imm = imm;
      break;
    case isa::Format::IMM: d.imm = imm; break;
    case isa::Format::BR:
      d.a = r[0];
      d.b = r[1];
      d.imm = kBranch[variant];
      break;
    case isa::Format::J: d.imm = kJump[variant]; break;
    case isa::Format::CRR:
    case isa::Format::CRW:
      d.a = r[0];
      d.b = kCr[variant];
      break;
  }
  return d;
}

// Assembles one line at `pc`; the word it produced, or the errors.
std::optional<uint32_t> assemble_at(const std::string& line, uint32_t pc, std::string& errors) {
  char org[32];
  std::snprintf(org, sizeof org, ".org 0x%x\n", pc);
  const Result r = assemble(org + line);
  for (const std::string& m : messages(r)) errors += m + "\n";
  if (!r.ok() || r.program.segments.size() != 1 || r.program.segments[0].base != pc)
    return std::nullopt;
  const auto w = words(r.program.segments[0]);
  if (w.size() != 1) return std::nullopt;
  return w[0];
}

TEST(AsmRoundTrip, EveryInstructionWithBoundaryOperands) {
  for (const isa::InsnInfo& i : isa::instructions()) {
    for (int variant = 0; variant < 4; ++variant) {
      const auto word = isa::encode(sample(i, variant));
      ASSERT_TRUE(word) << i.mnemonic << " variant " << variant;
      const std::string text = disassemble(*word, kPc);
      SCOPED_TRACE(text);
      EXPECT_EQ(text.substr(0, i.mnemonic.size()), i.mnemonic);
      std::string errors;
      const auto back = assemble_at(text, kPc, errors);
      ASSERT_TRUE(back) << errors;
      EXPECT_EQ(*back, *word);
      EXPECT_EQ(disassemble(*back, kPc), text);
    }
  }
}

TEST(AsmRoundTrip, CanonicalTextOfEachFormat) {
  // One line per format: exactly what the disassembler prints.
  const std::pair<uint32_t, std::string> cases[] = {
      {*isa::encode({isa::Op::HALT}), "halt"},
      {*isa::encode({isa::Op::ADD, 1, 2, 3}), "add r1, r2, r3"},
      {*isa::encode({isa::Op::LUI, 4, 0, 0, 0x1234}), "lui r4, 0x1234"},
      {*isa::encode({isa::Op::ADDI, 5, 14, 0, -7}), "addi r5, sp, -7"},
      {*isa::encode({isa::Op::ORI, 5, 15, 0, 255}), "ori r5, lr, 0xff"},
      {*isa::encode({isa::Op::LDW, 1, 14, 0, -8}), "ldw r1, -8(sp)"},
      {*isa::encode({isa::Op::STB, 2, 3, 0, 0}), "stb r2, 0(r3)"},
      {*isa::encode({isa::Op::PUSH, 13}), "push r13"},
      {*isa::encode({isa::Op::RDPSW, 6}), "rdpsw r6"},
      {*isa::encode({isa::Op::BNE, 1, 0, 0, -4}), "bne r1, r0, 0x00000100"},
      {*isa::encode({isa::Op::CALL, 0, 0, 0, 0x40}), "call 0x00000144"},
      {*isa::encode({isa::Op::HYPERCALL, 0, 0, 0, 3}), "hypercall 0x3"},
      {*isa::encode({isa::Op::IN, 7, 0, 0, 0x14}), "in r7, 0x14"},
      {*isa::encode({isa::Op::OUT, 7, 0, 0, 0x1}), "out 0x1, r7"},
      {*isa::encode({isa::Op::MFCR, 1, 3}), "mfcr r1, badaddr"},
      {*isa::encode({isa::Op::MTCR, 2, 0}), "mtcr epc, r2"},
  };
  for (const auto& [word, text] : cases) {
    EXPECT_EQ(disassemble(word, 0x100), text);
    std::string errors;
    EXPECT_EQ(assemble_at(text, 0x100, errors), word) << text << "\n" << errors;
  }
}

TEST(AsmRoundTrip, AnyWordAtAll) {
  // Random words, most of them not canonical instructions: those print as
  // `.word`, and everything printed assembles back to the same word.
  std::mt19937 rng(12345);
  int instructions = 0;
  for (int n = 0; n < 20000; ++n) {
    uint32_t w = rng();
    if (n % 2) w &= 0xFFF0FFFF;  // clear B: more canonical RI/PIN/POUT words
    if (n % 3 == 0) w = (w & 0xFF000000u) | (w & 0xFFFF);  // imm16 formats with A=B=0
    const uint32_t pc = (rng() & 0x0FFFFFFC) | 0x10000000;
    const std::string text = disassemble(w, pc);
    instructions += text.rfind(".word", 0) != 0;
    std::string errors;
    ASSERT_EQ(assemble_at(text, pc, errors), w) << text << "\n" << errors;
  }
  EXPECT_GT(instructions, 1000);  // the sample really exercised instructions
}

TEST(AsmRoundTrip, NonCanonicalWordsPrintAsData) {
  EXPECT_EQ(disassemble(0x00000001, 0), ".word 0x00000001");  // illegal with stray bits
  EXPECT_EQ(disassemble(0x12000000, 0), ".word 0x12000000");  // unassigned opcode
  EXPECT_EQ(disassemble(0x01123001, 0), ".word 0x01123001");  // add with low bits set
  EXPECT_EQ(disassemble(0x5C170000, 0), ".word 0x5c170000");  // mfcr of control register 7
  EXPECT_EQ(disassemble(0x00000000, 0), "illegal");
}

TEST(AsmRoundTrip, TargetsUseLabelsWhenAProgramIsGiven) {
  const Result r = assemble("start: nop\nloop: beq r1, r2, loop\n jmp start\n jmp 0x40\n");
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  const auto w = words(r.program.segments[0]);
  EXPECT_EQ(disassemble(w[1], 4, &r.program), "beq r1, r2, loop");
  EXPECT_EQ(disassemble(w[2], 8, &r.program), "jmp start");
  EXPECT_EQ(disassemble(w[3], 12, &r.program), "jmp 0x00000040");  // no label there
  EXPECT_EQ(disassemble(w[1], 4), "beq r1, r2, 0x00000004");
}

TEST(AsmRoundTrip, MnemonicsAndRegistersAreCaseInsensitive) {
  std::string errors;
  EXPECT_EQ(assemble_at("ADD R1, Sp, LR", 0, errors), isa::encode({isa::Op::ADD, 1, 14, 15}));
  EXPECT_EQ(assemble_at("MfCr r1, EPSW", 0, errors), isa::encode({isa::Op::MFCR, 1, 1}));
  EXPECT_EQ(assemble_at("add r1, r14, r15", 0, errors), isa::encode({isa::Op::ADD, 1, 14, 15}));
  EXPECT_EQ(assemble_at("add zero, r0, r0", 0, errors), isa::encode({isa::Op::ADD, 0, 0, 0}));
  EXPECT_EQ(errors, "");
}

TEST(AsmRoundTrip, EveryFormatHasItsSyntaxRow) {
  for (const isa::InsnInfo& i : isa::instructions()) EXPECT_EQ(syntax(i.format).format, i.format);
}

}  // namespace
}  // namespace trapeze::assembler
