// The assembler's lexer: one source line -> tokens. Comments (`;` or `//` to the
// end of the line) are dropped. The lexer reports the first bad token of a line
// with its column; the statement is then skipped, the rest of the file is not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trapeze::assembler {

enum class TokenKind : uint8_t {
  Ident,   // a name: mnemonic, register, symbol, directive (".org") or "." (here)
  Number,  // integer or character literal; `number` holds the value
  String,  // "..." ; `string` holds the bytes with escapes applied
  Punct,   // an operator or punctuation: ( ) , : = + - * / % ~ ! << >> & | ^ && || == != < <= > >=
  Param,   // $1..$9, only in pseudo-instruction templates; `number` holds the index
  End,     // end of the line; its column is just past the last character
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string_view text;  // as written (strings keep their quotes)
  int col = 1;            // 1-based column of the first character
  int64_t number = 0;
  std::string string;

  bool is(std::string_view punct) const { return kind == TokenKind::Punct && text == punct; }
};

struct LexError {
  int col = 1;
  std::string message;
};

struct LexResult {
  std::vector<Token> tokens;  // always ends with an End token when there is no error
  std::optional<LexError> error;
};

// `allow_params` accepts $N (for the pseudo-instruction templates only).
LexResult lex_line(std::string_view line, bool allow_params = false);

// An integer literal as the lexer reads it (decimal, 0x hex, 0b binary), with an
// optional leading '-'; for -D NAME=VALUE on the command line.
std::optional<int64_t> parse_integer(std::string_view text);

// The first word of a line (letters, digits, '_', '.'), skipping leading blanks;
// used to find conditional and macro directives without lexing skipped lines.
std::string_view first_word(std::string_view line);

std::string to_lower(std::string_view s);

}  // namespace trapeze::assembler
