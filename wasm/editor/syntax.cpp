#include "syntax.h"

#include <array>

#include "asm/pseudo.h"
#include "isa/isa.h"

namespace trapeze::ui::editor {
namespace {

// The character classes follow the assembler's lexer (core/asm/lexer.cpp), so a
// word is coloured as the assembler will read it: names may contain '.'.
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Mnemonics, registers and control registers are case-insensitive in the
// assembler (it lower-cases them before looking them up); the tables are lower
// case. Longer words are none of those, so a small fixed buffer suffices.
struct LowerWord {
  std::array<char, 16> buf{};
  size_t len = 0;
  bool fits = false;
  explicit LowerWord(std::string_view w) {
    if (w.size() > buf.size()) return;
    for (char c : w) buf[len++] = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    fits = true;
  }
  std::string_view view() const { return {buf.data(), len}; }
};

// Length of a string or character literal starting at `i` (a quote), closing
// quote included; runs to the end of the line when unterminated.
size_t quoted_length(std::string_view s, size_t i) {
  const char quote = s[i];
  size_t j = i + 1;
  while (j < s.size() && s[j] != quote) j += (s[j] == '\\' && j + 1 < s.size()) ? 2 : 1;
  return (j < s.size() ? j + 1 : s.size()) - i;
}

bool starts_comment(std::string_view s, size_t i) {
  return s[i] == ';' || (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '/');
}

}  // namespace

std::string_view token_kind_name(TokenKind k) {
  switch (k) {
    case TokenKind::Plain: return "plain";
    case TokenKind::Instruction: return "instruction";
    case TokenKind::Privileged: return "privileged";
    case TokenKind::VirtHole: return "virtualization-hole";
    case TokenKind::Pseudo: return "pseudo";
    case TokenKind::Directive: return "directive";
    case TokenKind::Label: return "label";
    case TokenKind::Register: return "register";
    case TokenKind::ControlReg: return "control-register";
    case TokenKind::Number: return "number";
    case TokenKind::String: return "string";
    case TokenKind::Comment: return "comment";
    case TokenKind::Symbol: return "symbol";
    case TokenKind::Punct: return "punct";
    case TokenKind::Count: break;
  }
  return "?";
}

TokenKind classify_mnemonic(std::string_view word) {
  const LowerWord lower(word);
  if (!lower.fits) return TokenKind::Plain;
  if (const isa::InsnInfo* insn = isa::find_mnemonic(lower.view())) {
    if (insn->privileged()) return TokenKind::Privileged;
    if (insn->virtualization_hole()) return TokenKind::VirtHole;
    return TokenKind::Instruction;
  }
  // The assembler's pseudo-instruction table; header-only data, so colouring
  // needs no code from the assembler library.
  for (const assembler::PseudoInsn& p : assembler::kPseudoInsns)
    if (p.name == lower.view()) return TokenKind::Pseudo;
  return TokenKind::Plain;
}

void tokenize_line(std::string_view s, std::vector<Token>& out) {
  out.clear();
  // Where we are in the statement: labels may come first, then one mnemonic or
  // directive, then operands.
  bool at_head = true;
  // Control-register names are only operands of the instructions whose format
  // takes one (mfcr/mtcr); elsewhere "epc" is an ordinary symbol.
  bool takes_cr = false;
  size_t i = 0;
  auto push = [&](size_t b, size_t e, TokenKind k) { out.push_back({int(b), int(e), k}); };

  while (i < s.size()) {
    const char c = s[i];
    if (is_blank(c)) {
      ++i;
      continue;
    }
    if (starts_comment(s, i)) {
      push(i, s.size(), TokenKind::Comment);
      break;
    }
    if (c == '"' || c == '\'') {
      const size_t n = quoted_length(s, i);
      push(i, i + n, c == '"' ? TokenKind::String : TokenKind::Number);
      i += n;
      at_head = false;
      continue;
    }
    if (is_digit(c)) {
      size_t j = i + 1;
      while (j < s.size() && is_ident_char(s[j]) && s[j] != '.') ++j;
      push(i, j, TokenKind::Number);
      i = j;
      at_head = false;
      continue;
    }
    if (is_ident_start(c)) {
      size_t j = i + 1;
      while (j < s.size() && is_ident_char(s[j])) ++j;
      const std::string_view word = s.substr(i, j - i);
      if (at_head) {
        size_t k = j;
        while (k < s.size() && is_blank(s[k])) ++k;
        if (k < s.size() && s[k] == ':' && word != ".") {  // a label; more may follow
          push(i, k + 1, TokenKind::Label);
          i = k + 1;
          continue;
        }
        at_head = false;
        if (word.size() > 1 && word[0] == '.') {
          push(i, j, TokenKind::Directive);
        } else {
          const TokenKind kind = classify_mnemonic(word);
          push(i, j, kind);
          if (kind != TokenKind::Plain && kind != TokenKind::Pseudo) {
            const LowerWord lower(word);
            const isa::InsnInfo* insn = isa::find_mnemonic(lower.view());
            takes_cr =
                insn && (insn->format == isa::Format::CRR || insn->format == isa::Format::CRW);
          }
        }
        i = j;
        continue;
      }
      const LowerWord lower(word);
      TokenKind kind = TokenKind::Symbol;
      if (word.size() > 1 && word[0] == '.') {
        kind = TokenKind::Directive;
      } else if (lower.fits && isa::parse_reg(lower.view())) {
        kind = TokenKind::Register;
      } else if (lower.fits && takes_cr && isa::parse_cr(lower.view())) {
        kind = TokenKind::ControlReg;
      }
      push(i, j, kind);
      i = j;
      continue;
    }
    // Punctuation and operators: one token per run, stopping where a comment starts.
    size_t j = i + 1;
    while (j < s.size() && !is_blank(s[j]) && !is_ident_char(s[j]) && s[j] != '"' && s[j] != '\'' &&
           !starts_comment(s, j))
      ++j;
    push(i, j, TokenKind::Punct);
    i = j;
    at_head = false;
  }
}

std::vector<Token> tokenize_line(std::string_view line) {
  std::vector<Token> out;
  tokenize_line(line, out);
  return out;
}

}  // namespace trapeze::ui::editor
