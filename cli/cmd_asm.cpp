// trapeze asm: assemble a source into an image (asm/image.h), a listing or a
// symbol table. trapeze disasm: disassemble an image, or a source after
// assembling it (then with its labels).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asm/assembler.h"
#include "asm/defines.h"
#include "asm/disassembler.h"
#include "asm/image.h"
#include "asm/lexer.h"
#include "commands.h"
#include "files.h"

namespace trapeze::cli {
namespace {

constexpr const char* kAsmUsage =
    "usage: trapeze asm FILE.s [-o OUT] [--listing] [--symbols] [-D NAME[=VALUE]]... [-I DIR]...\n"
    "  -o OUT        write the image (format: docs/isa.md, \"Image files\")\n"
    "  --listing     print address, bytes, file:line and source of every assembled line\n"
    "  --symbols     print the symbol table\n"
    "  -D NAME[=V]   define NAME (default 1) for .if/.ifdef; V may be decimal, 0x.. or 0b..\n"
    "  -I DIR        search DIR for .include files (after FILE's own directory)\n"
    "exit 0: assembled; 1: errors (all of them on stderr, as FILE:LINE:COL: error: ...); 2: "
    "usage\n";

constexpr const char* kDisasmUsage =
    "usage: trapeze disasm FILE [-D NAME[=VALUE]]... [-I DIR]...\n"
    "  FILE is an image written by `trapeze asm -o`, or an assembly source (assembled first;\n"
    "  its labels then name addresses and branch targets)\n";

struct SourceOptions {
  assembler::Options options;
  std::vector<std::string> include_dirs;
};

// -D and -I, shared by asm and disasm; false (after a message) on a bad one.
bool parse_source_option(std::string_view arg, int& i, int argc, char** argv, SourceOptions& s,
                         bool& handled) {
  handled = false;
  if (arg.substr(0, 2) != "-D" && arg.substr(0, 2) != "-I") return true;
  handled = true;
  std::string value(arg.substr(2));
  if (value.empty()) {
    if (i + 1 >= argc) {
      std::fprintf(stderr, "trapeze: %.*s needs a value\n", int(arg.size()), arg.data());
      return false;
    }
    value = argv[++i];
  }
  if (arg[1] == 'I') {
    if (value.back() != '/') value += '/';
    s.include_dirs.push_back(value);
    return true;
  }
  std::string error;
  const auto d = assembler::parse_define(value, &error);
  if (!d) {
    std::fprintf(stderr, "trapeze: bad -D %s: %s (use -D NAME or -D NAME=VALUE)\n",
                 text::escaped(value).c_str(), text::escaped(error).c_str());
    return false;
  }
  s.options.defines[d->name] = d->value;
  return true;
}

// Assembles `path`; prints every diagnostic on stderr. nullopt on errors.
std::optional<assembler::Program> assemble_file(const std::string& path, SourceOptions& s) {
  const text::FileText source = text::read_input_file(path);
  if (!source) {
    std::fprintf(stderr, "trapeze: cannot read '%s': %s\n", text::escaped(path).c_str(),
                 source.error().c_str());
    return std::nullopt;
  }
  s.options.file_name = path;
  // .include "x": the assembler asks first for x relative to the including
  // file's folder, then for x as written, which is looked up in each -I directory.
  std::vector<std::string> dirs{""};
  dirs.insert(dirs.end(), s.include_dirs.begin(), s.include_dirs.end());
  s.options.include = [dirs](const std::string& name) -> text::FileText {
    if (!name.empty() && name[0] == '/') return text::read_input_file(name);
    for (const std::string& dir : dirs)
      if (text::FileText t = text::read_input_file(dir + name); !t.missing()) return t;
    return {};
  };
  assembler::Result r = assembler::assemble(*source, s.options);
  for (const assembler::Diagnostic& d : r.errors) std::fprintf(stderr, "%s\n", d.format().c_str());
  if (!r.ok()) {
    std::fprintf(stderr, "%zu error%s\n", r.errors.size(), r.errors.size() == 1 ? "" : "s");
    return std::nullopt;
  }
  return std::move(r.program);
}

void print_listing(const assembler::Program& p) {
  constexpr size_t kShown = 8;  // bytes per listing row; longer data shows "+N"
  for (const assembler::ListingLine& l : p.listing) {
    std::string bytes;
    for (size_t i = 0; i < l.bytes.size() && i < kShown; ++i) {
      char b[4];
      std::snprintf(b, sizeof b, "%02x ", l.bytes[i]);
      bytes += b;
    }
    if (l.bytes.size() > kShown) bytes.append("+").append(std::to_string(l.bytes.size() - kShown));
    // Escaped: a comment may hold any byte, and the listing goes to a terminal.
    const std::string where = text::escaped(l.file) + ":" + std::to_string(l.line);
    std::printf("%08x  %-27s %-16s %s\n", l.address, bytes.c_str(), where.c_str(),
                text::escaped(l.text).c_str());
  }
}

void print_symbols(const assembler::Program& p) {
  for (const assembler::Symbol& s : p.symbols)
    std::printf("%08x  %-8s %-24s %s:%d\n", s.value, s.is_label ? "label" : "constant",
                s.name.c_str(), text::escaped(s.file).c_str(), s.line);
}

bool write_image_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  return write_file(path, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

void print_disassembly(const assembler::Program& p, bool with_labels) {
  const assembler::Program* symbols = with_labels ? &p : nullptr;
  auto labels_at = [&](uint32_t address) {
    if (!symbols) return;
    for (const assembler::Symbol& s : p.symbols)
      if (s.is_label && s.value == address) std::printf("%s:\n", s.name.c_str());
  };
  for (const assembler::Segment& seg : p.segments) {
    if (seg.bytes.empty()) {  // an image may hold one; it has no last byte
      std::printf("; segment %08x (empty)\n", seg.base);
      continue;
    }
    std::printf("; segment %08x..%08x (%zu bytes)\n", seg.base,
                uint32_t(seg.base + seg.bytes.size() - 1), seg.bytes.size());
    size_t i = 0;
    while (i < seg.bytes.size()) {
      const uint32_t address = seg.base + uint32_t(i);
      labels_at(address);
      // Whole aligned words are instructions; bytes around them are data.
      if (address % 4 != 0 || seg.bytes.size() - i < 4) {
        std::printf("  %08x:  %02x        .byte 0x%02x\n", address, seg.bytes[i], seg.bytes[i]);
        ++i;
        continue;
      }
      const uint32_t word = uint32_t(seg.bytes[i]) | uint32_t(seg.bytes[i + 1]) << 8 |
                            uint32_t(seg.bytes[i + 2]) << 16 | uint32_t(seg.bytes[i + 3]) << 24;
      std::printf("  %08x:  %08x  %s\n", address, word,
                  assembler::disassemble(word, address, symbols).c_str());
      i += 4;
    }
  }
}

}  // namespace

int cmd_asm(int argc, char** argv) {
  SourceOptions s;
  std::string input, output;
  bool listing = false, symbols = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    bool handled = false;
    if (!parse_source_option(arg, i, argc, argv, s, handled)) return kExitUsage;
    if (handled) continue;
    if (arg == "-o" && i + 1 < argc) {
      output = argv[++i];
    } else if (arg == "--listing") {
      listing = true;
    } else if (arg == "--symbols") {
      symbols = true;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kAsmUsage, stdout);
      return 0;
    } else if (arg.empty() || arg[0] == '-' || !input.empty()) {
      std::fputs(kAsmUsage, stderr);
      return kExitUsage;
    } else {
      input = arg;
    }
  }
  if (input.empty()) {
    std::fputs(kAsmUsage, stderr);
    return kExitUsage;
  }
  const auto program = assemble_file(input, s);
  if (!program) return kExitInputError;
  if (!output.empty() && !write_image_file(output, assembler::write_image(*program))) {
    std::fprintf(stderr, "trapeze asm: cannot write %s\n", output.c_str());
    return kExitInputError;
  }
  if (listing) print_listing(*program);
  if (symbols) print_symbols(*program);
  if (output.empty() && !listing && !symbols) {
    size_t bytes = 0;
    for (const assembler::Segment& seg : program->segments) bytes += seg.bytes.size();
    std::printf("%s: %zu bytes in %zu segment%s, entry %08x, %zu symbols\n", input.c_str(), bytes,
                program->segments.size(), program->segments.size() == 1 ? "" : "s", program->entry,
                program->symbols.size());
  }
  return 0;
}

int cmd_disasm(int argc, char** argv) {
  SourceOptions s;
  std::string input;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    bool handled = false;
    if (!parse_source_option(arg, i, argc, argv, s, handled)) return kExitUsage;
    if (handled) continue;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kDisasmUsage, stdout);
      return 0;
    }
    if (arg.empty() || arg[0] == '-' || !input.empty()) {
      std::fputs(kDisasmUsage, stderr);
      return kExitUsage;
    }
    input = arg;
  }
  if (input.empty()) {
    std::fputs(kDisasmUsage, stderr);
    return kExitUsage;
  }
  // An image starts with its magic; anything else is taken as assembly source.
  const text::FileText bytes = text::read_input_file(input);
  if (!bytes) {
    std::fprintf(stderr, "trapeze: cannot read '%s': %s\n", text::escaped(input).c_str(),
                 bytes.error().c_str());
    return kExitInputError;
  }
  if (bytes->compare(0, 4, "TRPZ") != 0) {
    const auto program = assemble_file(input, s);
    if (!program) return kExitInputError;
    print_disassembly(*program, true);
    return 0;
  }
  std::string error;
  const auto program = assembler::read_image(
      {reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()}, error);
  if (!program) {
    std::fprintf(stderr, "trapeze disasm: %s: %s\n", text::escaped(input).c_str(), error.c_str());
    return kExitInputError;
  }
  std::printf("; entry %08x\n", program->entry);
  print_disassembly(*program, false);
  return 0;
}

}  // namespace trapeze::cli
