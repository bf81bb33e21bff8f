// Table lookups, encoding and decoding, all derived from isa_table.h.
#include "isa/isa.h"

#include "isa/vm_control_block.h"

namespace trapeze::isa {
namespace {

// Opcode byte -> row, built once from the table at compile time.
constexpr std::array<const InsnInfo*, 256> make_opcode_index() {
  std::array<const InsnInfo*, 256> index{};
  for (const InsnInfo& i : kInstructions) index[i.opcode] = &i;
  return index;
}
constexpr auto kByOpcode = make_opcode_index();

constexpr int32_t sext16(uint32_t v) { return static_cast<int16_t>(v & 0xFFFF); }
constexpr int32_t sext24(uint32_t v) { return static_cast<int32_t>(v << 8) >> 8; }

}  // namespace

const InsnInfo* info(uint8_t opcode) { return kByOpcode[opcode]; }

const InsnInfo* find_mnemonic(std::string_view mnemonic) {
  for (const InsnInfo& i : kInstructions)
    if (i.mnemonic == mnemonic) return &i;
  return nullptr;
}

Decoded decode(uint32_t word) {
  Decoded d;
  const InsnInfo* i = kByOpcode[word >> 24];
  if (!i) return d;  // Op::ILLEGAL
  d.op = i->op;
  d.a = (word >> 20) & 0xF;
  d.b = (word >> 16) & 0xF;
  d.c = (word >> 12) & 0xF;
  switch (i->format) {
    case Format::J: d.a = d.b = d.c = 0; d.imm = sext24(word) * 4; break;
    case Format::BR: d.c = 0; d.imm = sext16(word) * 4; break;
    case Format::R3: break;
    case Format::NONE: d.a = d.b = d.c = 0; break;
    case Format::RS: case Format::RD: d.b = d.c = 0; break;
    case Format::CRR: case Format::CRW: d.c = 0; break;
    default:  // the imm16 formats
      d.c = 0;
      d.imm = i->imm_unsigned() ? static_cast<int32_t>(word & 0xFFFF) : sext16(word);
      if (i->format == Format::RI || i->format == Format::PIN || i->format == Format::POUT ||
          i->format == Format::IMM)
        d.b = 0;
      if (i->format == Format::IMM) d.a = 0;
      break;
  }
  return d;
}

std::optional<uint32_t> encode(const Decoded& d) {
  const InsnInfo& i = info(d.op);
  if (d.a > 15 || d.b > 15 || d.c > 15) return std::nullopt;
  uint32_t w = uint32_t(i.opcode) << 24;
  const uint32_t a = uint32_t(d.a) << 20, b = uint32_t(d.b) << 16, c = uint32_t(d.c) << 12;
  auto imm16 = [&]() -> std::optional<uint32_t> {
    if (i.imm_unsigned()) {
      if (d.imm < 0 || d.imm > 0xFFFF) return std::nullopt;
    } else if (d.imm < -0x8000 || d.imm > 0x7FFF) {
      return std::nullopt;
    }
    return uint32_t(d.imm) & 0xFFFF;
  };
  switch (i.format) {
    case Format::NONE: return w;
    case Format::R3: return w | a | b | c;
    case Format::RS: case Format::RD: return w | a;
    case Format::CRR: case Format::CRW:
      if (d.b >= kNumControlRegs) return std::nullopt;
      return w | a | b;
    case Format::J: {
      if (d.imm % 4) return std::nullopt;
      const int32_t off = d.imm / 4;
      if (off < -(1 << 23) || off >= (1 << 23)) return std::nullopt;
      return w | (uint32_t(off) & 0xFFFFFF);
    }
    case Format::BR: {
      if (d.imm % 4) return std::nullopt;
      const int32_t off = d.imm / 4;
      if (off < -0x8000 || off > 0x7FFF) return std::nullopt;
      return w | a | b | (uint32_t(off) & 0xFFFF);
    }
    case Format::RI: case Format::PIN: case Format::POUT: case Format::IMM:
    case Format::RRI: case Format::LOAD: case Format::STORE: {
      auto v = imm16();
      if (!v) return std::nullopt;
      const bool uses_b = i.format == Format::RRI || i.format == Format::LOAD ||
                          i.format == Format::STORE;
      const bool uses_a = i.format != Format::IMM;
      return w | (uses_a ? a : 0) | (uses_b ? b : 0) | *v;
    }
  }
  return std::nullopt;
}

std::string_view reg_name(int r) {
  static constexpr std::string_view kNames[kNumRegs] = {
      "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
      "r8", "r9", "r10", "r11", "r12", "r13", "sp", "lr"};
  return (r >= 0 && r < kNumRegs) ? kNames[r] : "r?";
}

std::optional<int> parse_reg(std::string_view s) {
  if (s == "sp") return kRegSp;
  if (s == "lr") return kRegLr;
  if (s == "zero") return 0;
  if (s.size() < 2 || s.size() > 3 || s[0] != 'r') return std::nullopt;
  int n = 0;
  for (char ch : s.substr(1)) {
    if (ch < '0' || ch > '9') return std::nullopt;
    n = n * 10 + (ch - '0');
  }
  if (s.size() == 3 && s[1] == '0') return std::nullopt;  // no "r05"
  return n < kNumRegs ? std::optional<int>(n) : std::nullopt;
}

std::string_view cause_name(Cause c) {
  switch (c) {
#define TRAPEZE_CAUSE_NAME(NAME, code, text) case Cause::NAME: return #NAME;
    TRAPEZE_CAUSES(TRAPEZE_CAUSE_NAME)
#undef TRAPEZE_CAUSE_NAME
  }
  return "UNKNOWN";
}

std::string_view cause_text(Cause c) {
  switch (c) {
#define TRAPEZE_CAUSE_TEXT(NAME, code, text) case Cause::NAME: return text;
    TRAPEZE_CAUSES(TRAPEZE_CAUSE_TEXT)
#undef TRAPEZE_CAUSE_TEXT
  }
  return "unknown";
}

std::string_view cr_name(int cr) {
  switch (cr) {
#define TRAPEZE_CR_NAME(NAME, num, text) case num: return text;
    TRAPEZE_CONTROL_REGS(TRAPEZE_CR_NAME)
#undef TRAPEZE_CR_NAME
  }
  return "cr?";
}

std::optional<int> parse_cr(std::string_view s) {
  for (int cr = 0; cr < kNumControlRegs; ++cr)
    if (cr_name(cr) == s) return cr;
  return std::nullopt;
}

namespace vmcb {
std::string_view exit_reason_name(ExitReason r) {
  switch (r) {
#define TRAPEZE_EXIT_NAME(NAME, code, text) case ExitReason::NAME: return #NAME;
    TRAPEZE_EXIT_REASONS(TRAPEZE_EXIT_NAME)
#undef TRAPEZE_EXIT_NAME
  }
  return "UNKNOWN";
}
std::string_view exit_reason_text(ExitReason r) {
  switch (r) {
#define TRAPEZE_EXIT_TEXT(NAME, code, text) case ExitReason::NAME: return text;
    TRAPEZE_EXIT_REASONS(TRAPEZE_EXIT_TEXT)
#undef TRAPEZE_EXIT_TEXT
  }
  return "unknown";
}
}  // namespace vmcb

}  // namespace trapeze::isa
