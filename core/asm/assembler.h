// The Trapeze assembler: source text -> memory image, symbols, listing.
//
// Two passes over the source; every error in the file is reported in one run,
// as FILE:LINE:COL: error: message, and the assembler never throws or crashes
// on any input. The syntax and directives are documented in docs/isa.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/input_file.h"

namespace trapeze::assembler {

struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based
  int col = 0;   // 1-based
  std::string message;
  std::string format() const;  // "file:line:col: error: message", control bytes escaped
};

struct Symbol {
  std::string name;
  uint32_t value = 0;
  bool is_label = false;  // a label (an address) rather than an .equ constant
  std::string file;
  int line = 0;
};

// One line of the listing: where a source line's bytes went.
struct ListingLine {
  uint32_t address = 0;
  std::vector<uint8_t> bytes;  // empty for lines that emit nothing
  std::string file;            // where the line is written (an included file, a macro's body)
  int line = 0;
  std::string text;            // the source line as written
  // The line of the main source that produced this one: `line` itself for the
  // main source's own lines, else the macro use or .include there that led to it
  // (the outermost one, when macros and includes nest). What the editor marks.
  int main_line = 0;
};

// A contiguous run of bytes starting at `base` (one per .org region).
struct Segment {
  uint32_t base = 0;
  std::vector<uint8_t> bytes;
  bool operator==(const Segment&) const = default;
};

struct Program {
  std::vector<Segment> segments;     // sorted by base, non-overlapping
  std::vector<Symbol> symbols;       // sorted by name; the source's own (not predefined or -D)
  std::vector<ListingLine> listing;  // in source order
  uint32_t entry = 0;                // the `_start` label if defined, else the lowest address

  std::optional<uint32_t> symbol(std::string_view name) const;
  // The source line that emitted the byte at `address`, if any (for the editor and debugger).
  const ListingLine* line_at(uint32_t address) const;
  // Where the code of main-source line `main_line` starts: the first address of
  // each contiguous run of bytes it produced (one for an instruction, a macro use
  // or an .include; more only if it changes .org). Breakpoints stop there.
  std::vector<uint32_t> entry_addresses(int main_line) const;
  // The nearest label at or below `address`, for "label+0x10" in the disassembly.
  const Symbol* label_before(uint32_t address) const;
};

// Returns the text of an included file: missing if there is none (the assembler
// then tries the name as written), failed with the reason if it cannot be read.
using IncludeResolver = std::function<text::FileText(const std::string& path)>;

struct Options {
  std::string file_name = "input.s";
  // -D NAME[=VALUE]: predefined constants for .if/.ifdef (conditional assembly).
  std::map<std::string, int64_t> defines;
  IncludeResolver include;                 // unset: .include is an error
  size_t max_source_bytes = text::kMaxInputFileBytes;  // larger sources are rejected with an error
  size_t max_output_bytes = 16u << 20;     // larger images are rejected with an error
};

struct Result {
  Program program;
  std::vector<Diagnostic> errors;  // empty on success; in source order
  bool ok() const { return errors.empty(); }
};

Result assemble(std::string_view source, const Options& options = {});

}  // namespace trapeze::assembler
