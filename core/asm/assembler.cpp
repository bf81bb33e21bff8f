// The public face of the assembler (assembler.h): assemble() runs an Assembly
// (assembly.h), and the Program's lookups serve the editor and the debugger.
#include "asm/assembler.h"

#include <algorithm>

#include "asm/assembly.h"
#include "text/escape.h"

namespace trapeze::assembler {

std::string Diagnostic::format() const {
  // Escaped: a file name or a quoted piece of source may hold control bytes.
  return text::escaped(file) + ":" + std::to_string(line) + ":" + std::to_string(col) +
         ": error: " + text::escaped(message);
}

Result assemble(std::string_view source, const Options& options) {
  return Assembly(options).run(source);
}

std::optional<uint32_t> Program::symbol(std::string_view name) const {
  const auto it = std::lower_bound(symbols.begin(), symbols.end(), name,
                                   [](const Symbol& s, std::string_view n) { return s.name < n; });
  if (it == symbols.end() || it->name != name) return std::nullopt;
  return it->value;
}

// Linear scans: a program has a few thousand lines at most, and callers (one
// debugger step, one visible disassembly row) ask once per frame, not per cycle.
const ListingLine* Program::line_at(uint32_t address) const {
  for (const ListingLine& l : listing)
    if (address >= l.address && address - l.address < l.bytes.size()) return &l;
  return nullptr;
}

std::vector<uint32_t> Program::entry_addresses(int main_line) const {
  std::vector<uint32_t> out;
  bool in_run = false;  // the previous listing line with bytes was this line's
  uint64_t run_end = 0;
  for (const ListingLine& l : listing) {
    if (l.bytes.empty()) continue;
    if (l.main_line != main_line) {
      in_run = false;
      continue;
    }
    if (!in_run || l.address != run_end) out.push_back(l.address);
    in_run = true;
    run_end = uint64_t(l.address) + l.bytes.size();
  }
  return out;
}

const Symbol* Program::label_before(uint32_t address) const {
  const Symbol* best = nullptr;
  for (const Symbol& s : symbols)
    if (s.is_label && s.value <= address && (!best || s.value > best->value)) best = &s;
  return best;
}

}  // namespace trapeze::assembler
