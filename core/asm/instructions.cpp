// Instructions: operands per format (syntax.h) -> one instruction word through
// isa::encode; pseudo-instructions (pseudo.h) -> the instructions they stand for.
#include <cstdio>

#include "asm/assembly.h"
#include "asm/syntax.h"

namespace trapeze::assembler {
namespace {

std::string hex32(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(v));
  return buf;
}

int end_col(Tokens op) { return op.back().col + int(op.back().text.size()); }

std::string control_register_names() {
  std::string names;
  for (int cr = 0; cr < isa::kNumControlRegs; ++cr)
    names += std::string(cr == 0                          ? ""
                         : cr + 1 == isa::kNumControlRegs ? " or "
                                                          : ", ") +
             std::string(isa::cr_name(cr));
  return names;
}

}  // namespace

bool Assembly::instruction(const Line& line, const isa::InsnInfo& insn, std::string_view shown,
                           const Token& name, const std::vector<Tokens>* ops) {
  std::optional<uint32_t> word;
  bool ok = ops != nullptr;
  if (ok && address_ % 4 != 0) {
    error(line, name.col,
          "instruction at " + hex32(address_) + " is not 4-byte aligned (put .align 4 before it)");
    ok = false;
  }
  if (!reserve(line, name.col, 4)) return false;
  if (ok) {
    word = encode_operands(line, insn, shown, name, *ops);
    ok = word.has_value();
  }
  emit_word(line, word.value_or(0));
  return ok;
}

std::optional<uint32_t> Assembly::encode_operands(const Line& line, const isa::InsnInfo& insn,
                                                  std::string_view shown, const Token& name,
                                                  const std::vector<Tokens>& ops) {
  const FormatSyntax& fs = syntax(insn.format);
  const std::string what(shown);
  if (int(ops.size()) != fs.operand_count) {
    const int col = int(ops.size()) > fs.operand_count ? ops[fs.operand_count][0].col : name.col;
    if (fs.operand_count == 0)
      error(line, col, what + " takes no operands");
    else
      error(line, col,
            what + " expects " + std::to_string(fs.operand_count) + " operand" +
                (fs.operand_count == 1 ? "" : "s") + " (" + what + " " + std::string(fs.operands) +
                "), got " + std::to_string(ops.size()));
    return std::nullopt;
  }

  // Each reader reports the first error of the statement only; later ones return 0.
  bool ok = true;
  auto fail = [&](int col, std::string message) {
    if (ok) error(line, col, std::move(message));
    ok = false;
  };
  auto reg = [&](Tokens op) -> uint8_t {
    if (!ok) return 0;
    if (op.size() == 1 && op[0].kind == TokenKind::Ident)
      if (const auto r = isa::parse_reg(to_lower(op[0].text))) return uint8_t(*r);
    fail(op[0].col, "bad register '" + text_of(line, op) + "' (use r0..r15, sp or lr)");
    return 0;
  };
  auto cr = [&](Tokens op) -> uint8_t {
    if (!ok) return 0;
    if (op.size() == 1 && op[0].kind == TokenKind::Ident)
      if (const auto c = isa::parse_cr(to_lower(op[0].text))) return uint8_t(*c);
    fail(op[0].col,
         "bad control register '" + text_of(line, op) + "' (use " + control_register_names() + ")");
    return 0;
  };
  // A value for the instruction's 16-bit immediate field; `kind` names it in errors.
  auto imm16 = [&](Tokens op, std::string_view kind) -> int32_t {
    if (!ok) return 0;
    const auto v = eval(line, op, Need::Value, "", end_col(op));
    if (!v) ok = false;
    if (!v || !v->known) return 0;
    const bool is_unsigned = isa::imm_is_unsigned(insn.op);
    const int64_t lo = is_unsigned ? 0 : INT16_MIN, hi = is_unsigned ? UINT16_MAX : INT16_MAX;
    if (v->value < lo || v->value > hi)
      fail(op[0].col, std::string(kind) + " " + std::to_string(v->value) + " out of range for " +
                          what + " (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
    return int32_t(v->value);
  };
  // offset(base), (base) or, for symbols' sake, label(base).
  auto memory = [&](Tokens op, uint8_t& base) -> int32_t {
    if (!ok) return 0;
    if (op.size() >= 3 && op.back().is(")") && op[op.size() - 3].is("(")) {
      base = reg(op.subspan(op.size() - 2, 1));
      const Tokens offset = op.first(op.size() - 3);
      return offset.empty() ? 0 : imm16(offset, "offset");
    }
    fail(op[0].col,
         "expected a memory operand such as 8(sp) or (r1), got '" + text_of(line, op) + "'");
    return 0;
  };
  // An absolute target address -> byte offset from the next instruction.
  auto target = [&](Tokens op, int64_t max_words) -> int32_t {
    if (!ok) return 0;
    const auto v = eval(line, op, Need::Value, "", end_col(op));
    if (!v) ok = false;
    if (!v || !v->known) return 0;
    const std::string kind = insn.format == isa::Format::J ? "jump target " : "branch target ";
    if (v->value < INT32_MIN || v->value > int64_t(UINT32_MAX)) {
      fail(op[0].col, kind + std::to_string(v->value) + " is not a 32-bit address");
      return 0;
    }
    const uint32_t t = uint32_t(v->value);
    if (t % 4 != 0) {
      fail(op[0].col, kind + hex32(t) + " is not 4-byte aligned");
      return 0;
    }
    // Addresses wrap at 2^32, as the program counter does.
    const int64_t offset = int32_t(t - uint32_t(address_ + 4));
    const int64_t lo = -max_words * 4, hi = (max_words - 1) * 4;
    if (offset < lo || offset > hi)
      fail(op[0].col, kind + hex32(t) + " out of range for " + what + " (offset " +
                          std::to_string(offset) + " bytes; the limit is " + std::to_string(lo) +
                          ".." + std::to_string(hi) + ")");
    return int32_t(offset);
  };

  isa::Decoded d;
  d.op = insn.op;
  switch (insn.format) {
    case isa::Format::NONE: break;
    case isa::Format::R3:
      d.a = reg(ops[0]);
      d.b = reg(ops[1]);
      d.c = reg(ops[2]);
      break;
    case isa::Format::RI:
      d.a = reg(ops[0]);
      d.imm = imm16(ops[1], "immediate");
      break;
    case isa::Format::RRI:
      d.a = reg(ops[0]);
      d.b = reg(ops[1]);
      d.imm = imm16(ops[2], "immediate");
      break;
    case isa::Format::LOAD:
    case isa::Format::STORE:
      d.a = reg(ops[0]);
      d.imm = memory(ops[1], d.b);
      break;
    case isa::Format::RS:
    case isa::Format::RD: d.a = reg(ops[0]); break;
    case isa::Format::BR:
      d.a = reg(ops[0]);
      d.b = reg(ops[1]);
      d.imm = target(ops[2], 1 << 15);
      break;
    case isa::Format::J: d.imm = target(ops[0], 1 << 23); break;
    case isa::Format::IMM: d.imm = imm16(ops[0], "immediate"); break;
    case isa::Format::PIN:
      d.a = reg(ops[0]);
      d.imm = imm16(ops[1], "port");
      break;
    case isa::Format::POUT:
      d.imm = imm16(ops[0], "port");
      d.a = reg(ops[1]);
      break;
    case isa::Format::CRR:
      d.a = reg(ops[0]);
      d.b = cr(ops[1]);
      break;
    case isa::Format::CRW:
      d.b = cr(ops[0]);
      d.a = reg(ops[1]);
      break;
  }
  if (!ok) return std::nullopt;
  const auto word = isa::encode(d);
  if (!word) error(line, name.col, "internal error: " + what + " operands cannot be encoded");
  return word;
}

void Assembly::pseudo(const Line& line, const PseudoInsn& p, const Token& name,
                      const std::vector<Tokens>* ops) {
  const int count = operand_count(p);
  if (ops && int(ops->size()) != count) {
    const std::string what(p.name);
    const int col = int(ops->size()) > count ? (*ops)[count][0].col : name.col;
    if (count == 0)
      error(line, col, what + " takes no operands");
    else
      error(line, col,
            what + " expects " + std::to_string(count) + " operand" + (count == 1 ? "" : "s") +
                " (" + what + " " + std::string(p.operands) + "), got " +
                std::to_string(ops->size()));
    ops = nullptr;
  }
  // Operands that a template puts inside an expression (li's hi($2)) are checked
  // on their own first, so that their errors read as what the user wrote.
  for (int n = 1; ops && n <= count; ++n) {
    const Tokens op = (*ops)[size_t(n) - 1];
    if (p.expansion.find("($" + std::to_string(n)) != std::string_view::npos &&
        !eval(line, op, Need::Value, "", end_col(op)))
      ops = nullptr;
  }
  std::string_view expansion = p.expansion;
  if (ops && !p.short_expansion.empty()) {
    const Tokens value = (*ops)[1];
    const auto v = eval(line, value, Need::Probe, "", end_col(value));
    if (v && v->value >= INT16_MIN && v->value <= INT16_MAX) expansion = p.short_expansion;
  }
  bool ok = ops != nullptr;
  while (!expansion.empty()) {
    const size_t semi = expansion.find(';');
    const std::string_view text = expansion.substr(0, semi);
    expansion = semi == std::string_view::npos ? std::string_view() : expansion.substr(semi + 1);
    // The table's templates always lex: a mnemonic, then operands with $N in them.
    const LexResult t = lex_line(text, /*allow_params=*/true);
    const isa::InsnInfo& insn = *isa::find_mnemonic(t.tokens[0].text);
    // Template tokens take the column of the pseudo's name; $N become the user's
    // operand tokens, keeping their columns for error messages.
    std::vector<Token> tokens;
    for (size_t i = 1; i + 1 < t.tokens.size(); ++i) {
      if (t.tokens[i].kind == TokenKind::Param && ops) {
        const Tokens op = (*ops)[size_t(t.tokens[i].number) - 1];
        tokens.insert(tokens.end(), op.begin(), op.end());
      } else {
        tokens.push_back(t.tokens[i]);
        tokens.back().col = name.col;
      }
    }
    // Only the first failing instruction reports: li's lui and ori would repeat it.
    std::optional<std::vector<Tokens>> parts;
    if (ok) parts = split_operands(line, tokens, name.col);
    ok = instruction(line, insn, p.name, name, parts ? &*parts : nullptr) && ok;
  }
}

}  // namespace trapeze::assembler
