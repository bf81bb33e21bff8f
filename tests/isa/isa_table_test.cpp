// Properties of the instruction table itself: unique opcodes and mnemonics, and
// encode -> decode identity for every instruction and operand shape.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "isa/isa.h"

namespace trapeze::isa {
namespace {

TEST(IsaTable, OpcodesAndMnemonicsAreUnique) {
  std::set<int> opcodes;
  std::set<std::string_view> mnemonics;
  for (const InsnInfo& i : instructions()) {
    EXPECT_TRUE(opcodes.insert(i.opcode).second) << "duplicate opcode " << int(i.opcode);
    EXPECT_TRUE(mnemonics.insert(i.mnemonic).second) << "duplicate mnemonic " << i.mnemonic;
    EXPECT_EQ(info(i.opcode), &i);
    EXPECT_EQ(find_mnemonic(i.mnemonic), &i);
  }
}

TEST(IsaTable, UnassignedOpcodesDecodeAsIllegal) {
  for (int opc = 0; opc < 256; ++opc) {
    if (info(uint8_t(opc))) continue;
    EXPECT_EQ(decode(uint32_t(opc) << 24 | 0x123456).op, Op::ILLEGAL) << opc;
  }
}

// Builds a Decoded with every field the format uses set to a distinctive value.
Decoded sample(const InsnInfo& i, int variant) {
  Decoded d;
  d.op = i.op;
  const uint8_t r1 = uint8_t(1 + variant), r2 = uint8_t(15 - variant), r3 = uint8_t(7 + variant);
  const int32_t simm = variant ? -32768 : 32767, uimm = variant ? 0 : 0xFFFF;
  const int32_t imm = imm_is_unsigned(i.op) ? uimm : simm;
  switch (i.format) {
    case Format::NONE: break;
    case Format::R3: d.a = r1; d.b = r2; d.c = r3; break;
    case Format::RS: case Format::RD: d.a = r1; break;
    case Format::RI: case Format::PIN: case Format::POUT: d.a = r1; d.imm = imm; break;
    case Format::RRI: case Format::LOAD: case Format::STORE: d.a = r1; d.b = r2; d.imm = imm; break;
    case Format::IMM: d.imm = imm; break;
    case Format::BR: d.a = r1; d.b = r2; d.imm = variant ? -0x8000 * 4 : 0x7FFF * 4; break;
    case Format::J: d.imm = variant ? -(1 << 23) * 4 : ((1 << 23) - 1) * 4; break;
    case Format::CRR: case Format::CRW: d.a = r1; d.b = uint8_t(variant ? 0 : kNumControlRegs - 1); break;
  }
  return d;
}

TEST(IsaTable, EveryInstructionEncodesAndDecodesBack) {
  for (const InsnInfo& i : instructions()) {
    for (int variant = 0; variant < 2; ++variant) {
      const Decoded d = sample(i, variant);
      const auto word = encode(d);
      ASSERT_TRUE(word.has_value()) << i.mnemonic;
      const Decoded back = decode(*word);
      EXPECT_EQ(back.op, d.op) << i.mnemonic;
      EXPECT_EQ(back.a, d.a) << i.mnemonic;
      EXPECT_EQ(back.b, d.b) << i.mnemonic;
      EXPECT_EQ(back.c, d.c) << i.mnemonic;
      EXPECT_EQ(back.imm, d.imm) << i.mnemonic;
    }
  }
}

TEST(IsaTable, EncodeRejectsOutOfRangeFields) {
  EXPECT_FALSE(encode({Op::ADDI, 1, 2, 0, 40000}));
  EXPECT_FALSE(encode({Op::ORI, 1, 2, 0, -1}));
  EXPECT_FALSE(encode({Op::BEQ, 1, 2, 0, 6}));  // not a multiple of 4
  EXPECT_FALSE(encode({Op::MFCR, 1, kNumControlRegs, 0, 0}));
  EXPECT_TRUE(encode({Op::ORI, 1, 2, 0, 0xFFFF}));
}

TEST(IsaTable, TheThreeVirtualizationHolesAreSensitiveButDoNotTrap) {
  std::set<std::string_view> holes;
  for (const InsnInfo& i : instructions())
    if (i.virtualization_hole()) holes.insert(i.mnemonic);
  EXPECT_EQ(holes, (std::set<std::string_view>{"rdpsw", "wrpsw", "sptr"}));
}

TEST(IsaTable, RegisterNamesRoundTrip) {
  for (int r = 0; r < kNumRegs; ++r) EXPECT_EQ(parse_reg(reg_name(r)), r);
  EXPECT_EQ(parse_reg("r15"), kRegLr);
  EXPECT_EQ(parse_reg("zero"), 0);
  EXPECT_FALSE(parse_reg("r16"));
  EXPECT_FALSE(parse_reg("r05"));
  EXPECT_FALSE(parse_reg("x1"));
}

}  // namespace
}  // namespace trapeze::isa
