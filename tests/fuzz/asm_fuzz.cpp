// Fuzz target: the assembler on arbitrary text.
// Invariants beyond "no crash": every error names a file, a line and a column
// inside the input; success and failure are deterministic; a program that
// assembles disassembles word by word without trouble.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "asm/assembler.h"
#include "asm/disassembler.h"
#include "line_count.h"

using trapeze::assembler::Options;
using trapeze::assembler::Result;

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  Options options;
  options.max_output_bytes = 1u << 20;  // keep each run small
  options.defines["PV"] = 1;
  // A tiny include world, so .include paths are exercised too.
  options.include = [](const std::string& path) -> std::optional<std::string> {
    if (path == "a.inc") return std::string("A = 1\n.macro M x\n  addi r1, r1, \\x\n.endm\n");
    if (path == "self.inc") return std::string(".include \"self.inc\"\n");
    return std::nullopt;
  };
  const Result r = trapeze::assembler::assemble(source, options);
  const int lines = line_count(source);
  for (const auto& e : r.errors) {
    check(!e.file.empty(), "an error without a file");
    check(e.line >= 1 && e.col >= 1, "an error without a line and column");
    if (e.file == options.file_name) check(e.line <= lines, "an error beyond the last line");
    check(!e.message.empty(), "an empty error message");
  }
  if (r.ok()) {
    for (const auto& seg : r.program.segments)
      for (size_t i = 0; i + 4 <= seg.bytes.size(); i += 4) {
        uint32_t w;
        std::memcpy(&w, seg.bytes.data() + i, 4);
        check(!trapeze::assembler::disassemble(w, seg.base + uint32_t(i)).empty(), "empty disassembly");
      }
  }
  // Deterministic: the same input gives the same verdict and the same first error.
  const Result again = trapeze::assembler::assemble(source, options);
  check(again.ok() == r.ok() && again.errors.size() == r.errors.size(), "nondeterministic result");
  return 0;
}
