// Conditional assembly: one guest source builds several variants (bare metal,
// trap-and-emulate, para-virtual) from a symbol given with -D or by a scenario.
//
// Conditional directives are found by the first word of a line, so lines in a
// skipped branch are never lexed: they may even be invalid. A condition must be
// known at its line (it decides which lines exist, hence every address below).
#include "asm/assembly.h"

namespace trapeze::assembler {

bool Assembly::is_conditional(std::string_view d) {
  return d == ".if" || d == ".ifdef" || d == ".ifndef" || d == ".elif" || d == ".else" ||
         d == ".endif";
}

void Assembly::conditional(const Line& line, const std::string& directive) {
  const int word_col = int(line.text.find_first_not_of(" \t")) + 1;
  const bool opening = directive == ".if" || directive == ".ifdef" || directive == ".ifndef";
  if (opening && !active()) {
    // Inside a skipped branch: only the nesting matters.
    conds_.push_back(
        {directive, false, true, false, false, line.file, line.number, word_col, line.seq});
    return;
  }
  const LexResult lexed = lex_line(line.text);
  // Lexing errors only matter where the line is live: opening in a live branch
  // (above), or an .elif/.else/.endif whose .if sits in a live branch.
  const bool parent_active = conds_.empty() || conds_.back().parent_active;
  if (lexed.error) {
    if (opening || parent_active) error(line, lexed.error->col, lexed.error->message);
    if (opening) {
      conds_.push_back(
          {directive, true, true, false, false, line.file, line.number, word_col, line.seq});
      return;
    }
  }
  // On a lexing error an .elif/.else/.endif still closes its branch (without arguments).
  const int end_col = lexed.error ? int(line.text.size()) + 1 : lexed.tokens.back().col;
  const Tokens args =
      lexed.error ? Tokens() : Tokens(lexed.tokens).subspan(1, lexed.tokens.size() - 2);

  if (opening) {
    const std::optional<bool> value = condition(line, directive, args, end_col);
    // A condition in error chooses no branch at all, not even .else.
    conds_.push_back({directive, true, true, value.value_or(false), false, line.file, line.number,
                      word_col, line.seq});
    conds_.back().taken = !value || *value;
    return;
  }

  const Frame& frame = frames_.back();
  if (conds_.size() <= frame.cond_depth) {
    error(line, word_col, directive + " without .if");
    return;
  }
  Conditional& c = conds_.back();
  if (directive == ".endif") {
    if (!args.empty() && c.parent_active)
      error(line, args[0].col, "unexpected '" + std::string(args[0].text) + "' after .endif");
    conds_.pop_back();
    return;
  }
  if (c.seen_else) {
    if (c.parent_active) error(line, word_col, directive + " after .else");
    c.active = false;
    return;
  }
  if (directive == ".else") {
    if (!args.empty() && c.parent_active)
      error(line, args[0].col, "unexpected '" + std::string(args[0].text) + "' after .else");
    c.seen_else = true;
    c.active = c.parent_active && !c.taken;
    c.taken = true;
    return;
  }
  // .elif: evaluated only when no earlier branch was taken.
  if (!c.parent_active || c.taken) {
    c.active = false;
    return;
  }
  const std::optional<bool> value = condition(line, directive, args, end_col);
  c.active = value.value_or(false);
  c.taken = !value || *value;
}

std::optional<bool> Assembly::condition(const Line& line, const std::string& directive, Tokens args,
                                        int end_col) {
  if (directive == ".ifdef" || directive == ".ifndef") {
    if (args.size() != 1 || args[0].kind != TokenKind::Ident) {
      error(line, args.empty() ? end_col : args[0].col, directive + " needs one symbol name");
      return std::nullopt;
    }
    const bool defined = predefined_.count(args[0].text) || symbols_.count(args[0].text);
    return defined == (directive == ".ifdef");
  }
  const auto v = eval(line, args, Need::Layout, directive, end_col);
  if (!v) return std::nullopt;
  return v->value != 0;
}

}  // namespace trapeze::assembler
