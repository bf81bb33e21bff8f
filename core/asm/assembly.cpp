// The line loop: each line -> labels and one statement (directive, instruction,
// pseudo-instruction or macro use); symbol definitions and lookups.
#include "asm/assembly.h"

#include <algorithm>

#include "asm/defines.h"
#include "asm/predefined.h"

namespace trapeze::assembler {

Assembly::Assembly(const Options& options) : options_(options) {
  for (const PredefinedSymbol& s : predefined_symbols()) predefined_[s.name] = s.value;
  for (const auto& [name, value] : options.defines) predefined_[name] = value;
}

Result Assembly::run(std::string_view source) {
  Result result;
  const std::string* file = intern(options_.file_name);
  if (source.size() > options_.max_source_bytes) {
    pass_ = 2;  // reported without assembling anything
    report(file, 1, 1,
           "source too large: " + std::to_string(source.size()) + " bytes (limit " +
               std::to_string(options_.max_source_bytes) + ")",
           0);
  } else if (!defines_ok(file)) {
    // reported without assembling anything
  } else {
    for (int pass = 1; pass <= 2; ++pass) {
      begin_pass(pass);
      frames_.push_back(Frame{.file = file, .text = source});
      Line line;
      while (next_line(line)) process(line);
      if (pass == 1) previous_ = std::move(symbols_);
    }
    finish(result.program);
  }
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [seq, d] : diagnostics_) result.errors.push_back(std::move(d));
  return result;
}

bool Assembly::defines_ok(const std::string* file) {
  pass_ = 2;  // reported before anything is assembled (begin_pass sets the real pass)
  bool ok = true;
  for (const auto& [name, value] : options_.defines) {
    if (std::string problem = define_name_problem(name); !problem.empty()) {
      report(file, 1, 1, "bad define (-D or \"defines\"): " + problem, 0);
      ok = false;
    }
  }
  return ok;
}

void Assembly::begin_pass(int pass) {
  pass_ = pass;
  symbols_.clear();
  macros_.clear();
  recording_.reset();
  frames_.clear();
  conds_.clear();
  seq_ = lines_ = expanded_bytes_ = 0;
  stopped_ = false;
  address_ = emitted_ = 0;
  regions_.clear();
  region_open_ = false;
  listing_.clear();
  expansion_counter_ = 0;
}

void Assembly::process(const Line& line) {
  expanded_bytes_ += line.text.size();
  if (++lines_ > kMaxLines || expanded_bytes_ > kMaxExpandedBytes) {
    error(line, 1,
          "too much to assemble: more than " + std::to_string(kMaxLines) + " lines or " +
              std::to_string(kMaxExpandedBytes >> 20) +
              " MiB after includes and macro expansion (a recursive macro?)");
    stopped_ = true;
    return;
  }
  if (recording_) {
    record_macro_line(line);
    return;
  }
  const std::string word = to_lower(first_word(line.text));
  if (is_conditional(word)) {
    const bool was_active = active();
    conditional(line, word);
    if (was_active || active()) {
      begin_listing(line);
      end_listing();
    }
    return;
  }
  if (!active()) return;
  begin_listing(line);
  const LexResult lexed = lex_line(line.text);
  if (lexed.error)
    error(line, lexed.error->col, lexed.error->message);
  else
    statement(line, lexed.tokens);
  end_listing();
}

void Assembly::statement(const Line& line, const std::vector<Token>& tokens) {
  size_t i = 0;
  while (tokens[i].kind == TokenKind::Ident && tokens[i + 1].is(":")) {
    define_symbol(line, tokens[i],
                  {.value = int64_t(address_), .known = true, .early = true, .is_label = true});
    i += 2;
  }
  const Token& head = tokens[i];
  if (head.kind == TokenKind::End) return;
  statement_col_ = head.col;
  if (head.kind != TokenKind::Ident) {
    error(line, head.col,
          "expected an instruction or directive, got '" + std::string(head.text) + "'");
    return;
  }
  const int end_col = tokens.back().col;
  const Tokens rest = Tokens(tokens).subspan(i + 1, tokens.size() - i - 2);  // without End
  if (!rest.empty() && rest[0].is("=")) {
    define_constant(line, head, rest.subspan(1), end_col);
    return;
  }
  if (head.text.size() > 1 && head.text[0] == '.') {
    directive(line, head, rest, end_col);
    return;
  }
  const std::string lower = to_lower(head.text);
  const isa::InsnInfo* insn = isa::find_mnemonic(lower);
  const PseudoInsn* pseudo_insn = insn ? nullptr : find_pseudo(lower);
  const auto macro = macros_.find(head.text);
  if (!insn && !pseudo_insn && macro != macros_.end()) {
    expand_macro(line, macro->second, head, rest, end_col);
    return;
  }
  if (!insn && !pseudo_insn) {
    error(line, head.col, "unknown mnemonic '" + std::string(head.text) + "'");
    return;
  }
  const auto ops = split_operands(line, rest, end_col);
  // A known mnemonic always takes its space, even when its operands are bad, so
  // the addresses after it stay right and later errors are still meaningful.
  if (insn)
    instruction(line, *insn, insn->mnemonic, head, ops ? &*ops : nullptr);
  else
    pseudo(line, *pseudo_insn, head, ops ? &*ops : nullptr);
}

// ---------------------------------------------------------------------------------
// Symbols

void Assembly::define_symbol(const Line& line, const Token& name, SymbolDef def) {
  const std::string key(name.text);
  if (name.text == "." || isa::parse_reg(to_lower(name.text))) {
    error(line, name.col,
          "'" + key + "' cannot be a symbol name" +
              (name.text == "." ? " (it means the current address)" : " (it is a register)"));
    return;
  }
  if (predefined_.count(key)) {
    const bool from_option = options_.defines.count(key);
    error(line, name.col,
          "duplicate symbol '" + key + "' (" +
              (from_option ? "defined with -D" : "predefined by the assembler") + ")");
    return;
  }
  if (const auto it = symbols_.find(key); it != symbols_.end()) {
    error(line, name.col,
          "duplicate symbol '" + key + "' (first defined at " + *it->second.file + ":" +
              std::to_string(it->second.line) + ")");
    return;
  }
  def.file = line.file;
  def.line = line.number;
  if (pass_ == 2 && def.is_label) {
    // Guards the two-pass invariant described in assembly.h.
    const auto before = previous_.find(key);
    if (before != previous_.end() && before->second.value != def.value)
      error(line, name.col, "internal error: label '" + key + "' moved between passes");
  }
  symbols_.emplace(key, def);
}

void Assembly::define_constant(const Line& line, const Token& name, Tokens expr, int end_col) {
  SymbolDef def;
  // Early if computable from early symbols alone; otherwise a forward definition
  // that gets its value in pass 2 and may not steer sizes.
  if (const auto v = eval(line, expr, Need::Probe, "", end_col)) {
    def.value = v->value;
    def.known = def.early = true;
  } else if (const auto w = eval(line, expr, Need::Value, "", end_col)) {
    def.value = w->value;
    def.known = w->known;
  }
  define_symbol(line, name, def);
}

std::optional<std::vector<Tokens>> Assembly::split_operands(const Line& line, Tokens tokens,
                                                            int end_col) {
  std::vector<Tokens> ops;
  if (tokens.empty()) return ops;
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i <= tokens.size(); ++i) {
    const bool at_end = i == tokens.size();
    if (!at_end) {
      if (tokens[i].is("(")) ++depth;
      if (tokens[i].is(")")) --depth;
      if (!tokens[i].is(",") || depth > 0) continue;
    }
    if (i == start) {
      error(line, at_end ? end_col : tokens[i].col, "missing operand");
      return std::nullopt;
    }
    ops.push_back(tokens.subspan(start, i - start));
    start = i + 1;
  }
  return ops;
}

std::string Assembly::text_of(const Line& line, Tokens tokens) {
  if (tokens.empty()) return {};
  const char* begin = tokens.front().text.data();
  const char* end = tokens.back().text.data() + tokens.back().text.size();
  const char* lb = line.text.data();
  if (begin >= lb && end <= lb + line.text.size() && begin <= end) return std::string(begin, end);
  std::string joined;  // tokens from a pseudo-instruction template: not one slice of the line
  for (const Token& t : tokens) joined += t.text;
  return joined;
}

// ---------------------------------------------------------------------------------
// Expression scopes: what a symbol means depends on the pass and the need.

class Assembly::Scope : public SymbolScope {
 public:
  Scope(const Assembly& a, Need need, std::string_view purpose)
      : a_(a), need_(need), purpose_(purpose) {}

  SymbolValue value_of(std::string_view name) const override {
    if (const auto p = a_.predefined_.find(name); p != a_.predefined_.end())
      return {SymbolValue::Known, p->second, {}};
    const bool layout = need_ != Need::Value;
    if (const auto it = a_.symbols_.find(name); it != a_.symbols_.end()) {
      if (layout && !it->second.early) return later(name, "depends on symbols defined after it");
      if (!it->second.known) return {};  // pass 1 forward .equ, or an .equ in error
      return {SymbolValue::Known, it->second.value, {}};
    }
    const auto before = a_.previous_.find(name);
    if (a_.pass_ == 2 && before == a_.previous_.end())
      return {SymbolValue::Error, 0, "undefined symbol '" + std::string(name) + "'"};
    if (layout) return later(name, "is defined further down");
    if (a_.pass_ == 1) return {};
    if (!before->second.known)
      return {SymbolValue::Error, 0,
              "cannot resolve '" + std::string(name) +
                  "': its value depends on symbols defined after it"};
    return {SymbolValue::Known, before->second.value, {}};
  }

  bool is_defined(std::string_view name) const override {
    return a_.predefined_.count(name) || a_.symbols_.count(name);
  }

  int64_t here() const override { return int64_t(a_.address_); }

 private:
  SymbolValue later(std::string_view name, std::string_view why) const {
    return {SymbolValue::Error, 0,
            std::string(purpose_) + " needs a value known at this point, but '" +
                std::string(name) + "' " + std::string(why)};
  }

  const Assembly& a_;
  Need need_;
  std::string_view purpose_;
};

std::optional<ExprValue> Assembly::eval(const Line& line, Tokens expr, Need need,
                                        std::string_view purpose, int end_col) {
  const ExprResult r = evaluate(expr, Scope(*this, need, purpose), end_col);
  if (r.error) {
    if (need != Need::Probe) error(line, r.error->col, r.error->message);
    return std::nullopt;
  }
  // Unknown in pass 2 means a symbol whose definition already failed: its error
  // was reported there, so this use stays silent.
  if (!r.value.known && (pass_ == 2 || need != Need::Value)) return std::nullopt;
  return r.value;
}

// ---------------------------------------------------------------------------------
// Diagnostics

void Assembly::error(const Line& line, int col, std::string message) {
  report(line.file, line.number, col, message + line.macro_note, line.seq);
}

void Assembly::report(const std::string* file, int line, int col, std::string message,
                      uint64_t seq) {
  if (pass_ == 1 || stopped_) return;
  if (diagnostics_.size() == kMaxErrors) {
    message = "too many errors (" + std::to_string(kMaxErrors) + "); stopping here";
    stopped_ = true;
  }
  diagnostics_.push_back({seq, Diagnostic{*file, line, col, std::move(message)}});
}

}  // namespace trapeze::assembler
