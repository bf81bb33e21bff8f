// One run of the assembler (internal to core/asm; the API is assembler.h).
//
// Two passes over the same lines. Pass 1 assigns addresses to labels; pass 2
// emits bytes and reports errors. Both passes must give every statement the same
// size, so anything that decides a size or an address (.org, .space, .align,
// .if, li's short form) may only use symbols defined *above* it whose values did
// not depend on later definitions ("early" symbols). Those are identical in both
// passes, so the decisions are too, and no phase errors are possible.
//
// Errors are only reported in pass 2 (pass 1 runs the same code silently), so
// every error appears once. The members are implemented by job, one file each:
//   assembly.cpp      the line loop, statements, symbols, expression scopes
//   source_stack.cpp  where lines come from: files, .include, .macro expansion
//   conditionals.cpp  .if/.ifdef/.ifndef/.elif/.else/.endif
//   instructions.cpp  operands -> instruction words; pseudo-instruction expansion
//   directives.cpp    .org .word .byte .ascii .asciz .space .align .equ .error
//   output.cpp        bytes -> regions, the listing, the finished Program
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "asm/assembler.h"
#include "asm/expression.h"
#include "asm/lexer.h"
#include "asm/pseudo.h"
#include "isa/isa.h"

namespace trapeze::assembler {

using Tokens = std::span<const Token>;

class Assembly {
 public:
  explicit Assembly(const Options& options);
  Result run(std::string_view source);

 private:
  // Limits that keep any input, however hostile, finite.
  static constexpr int kMaxIncludeDepth = 16;
  static constexpr int kMaxMacroDepth = 32;
  static constexpr uint64_t kMaxLines = 1'000'000;          // per pass, after expansion
  static constexpr uint64_t kMaxExpandedBytes = 64u << 20;  // per pass, after expansion
  static constexpr int kMaxErrors = 100;

  // ---- lines and where they come from (source_stack.cpp) -----------------------
  struct Line {
    std::string text;  // as assembled (macro arguments substituted)
    const std::string* file = nullptr;
    int number = 0;          // 1-based
    int main_line = 0;       // the main source's line that led here (ListingLine::main_line)
    std::string macro_note;  // appended to errors inside a macro expansion
    uint64_t seq = 0;        // processing order: errors are sorted by it
  };
  struct MacroLine {
    std::string text;
    const std::string* file;
    int number;
  };
  struct Macro {
    std::string name;
    std::vector<std::string> params;
    std::vector<MacroLine> body;
    const std::string* file = nullptr;
    int line = 0;
    int col = 0;
    uint64_t seq = 0;
  };
  struct Frame {
    const std::string* file = nullptr;  // a file: its text and read position
    std::string_view text;
    size_t pos = 0;
    int line = 0;
    const Macro* macro = nullptr;  // or a macro expansion
    std::vector<std::string> args;
    size_t next_body_line = 0;
    uint64_t expansion_id = 0;  // \@ inside the expansion
    std::string note;
    size_t cond_depth = 0;  // conditionals already open when the frame began
  };

  bool next_line(Line& out);
  void end_frame();
  void include(const Line& line, const Token& directive, Tokens args);
  void begin_macro(const Line& line, const Token& directive, Tokens args);
  void record_macro_line(const Line& line);
  void expand_macro(const Line& line, const Macro& macro, const Token& name, Tokens args,
                    int end_col);
  int include_depth() const;
  int macro_depth() const;

  // ---- conditional assembly (conditionals.cpp) -----------------------------------
  struct Conditional {
    std::string directive;  // ".if", ".ifdef" or ".ifndef", for the unterminated error
    bool parent_active;
    bool taken;   // a branch was (or must not be) chosen
    bool active;  // lines in the current branch are assembled
    bool seen_else = false;
    const std::string* file;
    int line;
    int col;
    uint64_t seq;
  };
  static bool is_conditional(std::string_view directive);
  void conditional(const Line& line, const std::string& directive);
  std::optional<bool> condition(const Line& line, const std::string& directive, Tokens args,
                                int end_col);
  bool active() const { return conds_.empty() || conds_.back().active; }

  // ---- statements and symbols (assembly.cpp) -------------------------------------
  void process(const Line& line);
  void statement(const Line& line, const std::vector<Token>& tokens);
  struct SymbolDef {
    int64_t value = 0;
    bool known = false;  // has a value (a forward .equ has none yet in pass 1)
    bool early = false;  // value depends only on definitions above it (see top of file)
    bool is_label = false;
    const std::string* file = nullptr;
    int line = 0;
  };
  void define_symbol(const Line& line, const Token& name, SymbolDef def);
  void define_constant(const Line& line, const Token& name, Tokens expr, int end_col);
  // Operands split at top-level commas; nullopt after reporting an empty one.
  std::optional<std::vector<Tokens>> split_operands(const Line& line, Tokens tokens, int end_col);
  static std::string text_of(const Line& line, Tokens tokens);

  // How a value is needed: for code or data (may be a forward reference), for a
  // size or address decision (must be early), or as a silent probe (li).
  enum class Need { Value, Layout, Probe };
  class Scope;
  // nullopt: an error was reported (or, for Probe, the value is not early).
  // In pass 1 a Value may come back unknown (known == false): use it only for sizes.
  std::optional<ExprValue> eval(const Line& line, Tokens expr, Need need, std::string_view purpose,
                                int end_col);

  // ---- instructions (instructions.cpp) -------------------------------------------
  // `ops` is null when the operands were already found bad: the instruction then
  // only takes its space. `shown` is the mnemonic the user wrote (a pseudo's name).
  // Returns false if an error was reported.
  bool instruction(const Line& line, const isa::InsnInfo& insn, std::string_view shown,
                   const Token& name, const std::vector<Tokens>* ops);
  std::optional<uint32_t> encode_operands(const Line& line, const isa::InsnInfo& insn,
                                          std::string_view shown, const Token& name,
                                          const std::vector<Tokens>& ops);
  void pseudo(const Line& line, const PseudoInsn& p, const Token& name,
              const std::vector<Tokens>* ops);

  // ---- directives (directives.cpp) -----------------------------------------------
  void directive(const Line& line, const Token& name, Tokens args, int end_col);
  void dir_org(const Line&, const Token&, const std::vector<Tokens>&, int);
  void dir_data(const Line&, const Token&, const std::vector<Tokens>&, int);
  void dir_string(const Line&, const Token&, const std::vector<Tokens>&, int);
  void dir_space(const Line&, const Token&, const std::vector<Tokens>&, int);
  void dir_align(const Line&, const Token&, const std::vector<Tokens>&, int);
  void dir_equ(const Line&, const Token&, const std::vector<Tokens>&, int);
  void dir_error(const Line&, const Token&, const std::vector<Tokens>&, int);

  // ---- output (output.cpp) -------------------------------------------------------
  // False (after reporting why) if `n` more bytes would run past the end of memory
  // or past Options::max_output_bytes. Decided alike in both passes.
  bool reserve(const Line& line, int col, uint64_t n);
  void emit(const Line& line, std::span<const uint8_t> bytes);
  void emit_fill(const Line& line, uint64_t n, uint8_t fill);
  void emit_word(const Line& line, uint32_t word);
  void set_address(uint32_t address);
  void begin_listing(const Line& line);
  void end_listing();
  void finish(Program& program);

  // ---- diagnostics ---------------------------------------------------------------
  void error(const Line& line, int col, std::string message);
  void report(const std::string* file, int line, int col, std::string message, uint64_t seq);

  bool defines_ok(const std::string* file);  // Options::defines, each checked (asm/defines.h)
  void begin_pass(int pass);

  const Options& options_;
  std::set<std::string, std::less<>> names_;  // file names; Line and SymbolDef point into it
  const std::string* intern(std::string_view name) { return &*names_.emplace(name).first; }
  std::map<std::string, std::string, std::less<>> include_cache_;

  // Per run.
  std::map<std::string, int64_t, std::less<>> predefined_;  // ISA constants and -D defines
  std::map<std::string, SymbolDef, std::less<>> previous_;  // pass 1's symbols, in pass 2
  std::vector<std::pair<uint64_t, Diagnostic>> diagnostics_;

  // Per pass.
  int pass_ = 1;
  std::map<std::string, SymbolDef, std::less<>> symbols_;
  std::map<std::string, Macro, std::less<>> macros_;
  std::optional<Macro> recording_;  // a .macro whose body is being read
  size_t recording_frame_ = 0;      // ... from this frame
  std::vector<Frame> frames_;
  std::vector<Conditional> conds_;
  uint64_t seq_ = 0, lines_ = 0, expanded_bytes_ = 0;
  uint64_t expansion_counter_ = 0;  // numbers macro expansions for \@, alike in both passes
  bool stopped_ = false;

  uint64_t address_ = 0;  // up to 2^32: one past the last byte of memory
  uint64_t emitted_ = 0;
  int statement_col_ = 1;
  struct Region {
    uint32_t base;
    std::vector<uint8_t> bytes;
    const std::string* file;
    int line;
    int col;
    uint64_t seq;
  };
  std::vector<Region> regions_;  // pass 2
  bool region_open_ = false;     // the next byte continues the last region
  std::vector<ListingLine> listing_;
  bool listing_open_ = false;
};

}  // namespace trapeze::assembler
