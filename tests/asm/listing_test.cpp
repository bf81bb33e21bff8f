// The listing's two places for every line: where it is written (file, line) and
// the main source's line that produced it (main_line: a macro use or an
// .include), which the editor marks and breakpoints stop on; and
// Program::entry_addresses, where a main-source line's code starts.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "asm/assembler.h"
#include "asm_test_util.h"

namespace trapeze::assembler {
namespace {

using testing::messages;

// A library like guests/lib/arch.inc: macros, one of them using another, and a
// subroutine that emits code where the file is included.
constexpr const char* kLib =
    ".macro SET_TVEC rs\n"     // lib 1
    "    ldtvec \\rs\n"         // lib 2
    ".endm\n"                   // lib 3
    ".macro GET_PSW rd\n"      // lib 4
    "    rdpsw \\rd\n"          // lib 5
    "    andi \\rd, \\rd, 1\n"  // lib 6
    ".endm\n"                   // lib 7
    ".macro BOTH r\n"          // lib 8
    "    GET_PSW \\r\n"         // lib 9
    "    SET_TVEC \\r\n"        // lib 10
    ".endm\n";                  // lib 11

constexpr const char* kRoutines =
    "lib_twice:\n"              // routines 1
    "    add r1, r1, r1\n"      // routines 2
    "    ret\n";                // routines 3

constexpr const char* kMain =
    ".include \"lib.inc\"\n"    // 1
    ".macro LOCAL rd\n"         // 2
    "    li \\rd, 7\n"          // 3
    "    nop\n"                 // 4
    ".endm\n"                   // 5
    "_start:\n"                 // 6
    "    li r2, 0x100\n"        // 7  (one word)
    "    SET_TVEC r2\n"         // 8  (one word, from lib 2)
    "    GET_PSW r3\n"          // 9  (two words, lib 5-6)
    "    LOCAL r4\n"            // 10 (two words, main 3-4)
    "    BOTH r5\n"             // 11 (three words, lib 5, 6, 2)
    "    call lib_twice\n"      // 12
    "    halt\n"                // 13
    ".include \"routines.inc\"\n";  // 14 (two words)

Result assemble_main() {
  Options options;
  options.file_name = "guest.s";
  options.include = [](const std::string& path) -> std::optional<std::string> {
    if (path == "lib.inc") return kLib;
    if (path == "routines.inc") return kRoutines;
    return std::nullopt;
  };
  return assemble(kMain, options);
}

struct Place {
  std::string file;
  int line;
  int main_line;
  bool operator==(const Place&) const = default;
};

// For every word address: where its line is written and which main line made it.
std::map<uint32_t, Place> places(const Program& p) {
  std::map<uint32_t, Place> out;
  for (const ListingLine& l : p.listing)
    for (size_t k = 0; k < l.bytes.size(); k += 4)
      out[l.address + uint32_t(k)] = {l.file, l.line, l.main_line};
  return out;
}

TEST(AsmListing, EveryWordKnowsItsMainSourceLineAndWhereItIsWritten) {
  const Result r = assemble_main();
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  const std::map<uint32_t, Place> expected = {
      {0x00, {"guest.s", 7, 7}},         // li r2, 0x100: the line itself
      {0x04, {"lib.inc", 2, 8}},         // SET_TVEC: written in lib.inc, used on line 8
      {0x08, {"lib.inc", 5, 9}},         // GET_PSW's two instructions
      {0x0c, {"lib.inc", 6, 9}},
      {0x10, {"guest.s", 3, 10}},        // a macro of the main source: its body's lines
      {0x14, {"guest.s", 4, 10}},
      {0x18, {"lib.inc", 5, 11}},        // a macro using macros: the outermost use
      {0x1c, {"lib.inc", 6, 11}},
      {0x20, {"lib.inc", 2, 11}},
      {0x24, {"guest.s", 12, 12}},       // call
      {0x28, {"guest.s", 13, 13}},       // halt
      {0x2c, {"routines.inc", 2, 14}},   // an included file's code: the .include line
      {0x30, {"routines.inc", 3, 14}},
  };
  EXPECT_EQ(places(r.program), expected);
}

TEST(AsmListing, LinesWithoutBytesAlsoKnowTheirMainLine) {
  const Result r = assemble_main();
  ASSERT_TRUE(r.ok());
  for (const ListingLine& l : r.program.listing) {
    if (l.file == "guest.s" && l.line != 3 && l.line != 4) {
      EXPECT_EQ(l.main_line, l.line) << l.text;  // the main source's own lines
    }
    if (l.file == "routines.inc") {
      EXPECT_EQ(l.main_line, 14) << l.text;  // the label's line too
    }
  }
}

TEST(AsmListing, LineAtGivesBothPlacesForThePc) {
  const Result r = assemble_main();
  ASSERT_TRUE(r.ok());
  const ListingLine* l = r.program.line_at(0x1c);  // inside BOTH's expansion
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->main_line, 11);
  EXPECT_EQ(l->file, "lib.inc");
  EXPECT_EQ(l->line, 6);
  EXPECT_EQ(l->text, "    andi r5, r5, 1");  // as assembled, the argument substituted
}

TEST(AsmListing, EntryAddressesAreWhereALinesCodeStarts) {
  const Result r = assemble_main();
  ASSERT_TRUE(r.ok());
  const Program& p = r.program;
  using V = std::vector<uint32_t>;
  EXPECT_EQ(p.entry_addresses(7), V{0x00});
  EXPECT_EQ(p.entry_addresses(9), V{0x08});   // a macro use: its first instruction only
  EXPECT_EQ(p.entry_addresses(11), V{0x18});  // nested macros: still one entry
  EXPECT_EQ(p.entry_addresses(14), V{0x2c});  // the included routine's first instruction
  EXPECT_EQ(p.entry_addresses(1), V{});       // an .include of macros emits nothing
  EXPECT_EQ(p.entry_addresses(6), V{});       // a label alone
  EXPECT_EQ(p.entry_addresses(3), V{});       // a macro body's line is no main line
  EXPECT_EQ(p.entry_addresses(99), V{});
}

TEST(AsmListing, AnOrgInsideAMacroStartsASecondRun) {
  const Result r = assemble(
      ".macro SPLIT\n"    // 1
      "    nop\n"         // 2
      "    .org 0x40\n"   // 3
      "    nop\n"         // 4
      ".endm\n"           // 5
      "    nop\n"         // 6
      "    SPLIT\n"       // 7
      "    halt\n");      // 8
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  EXPECT_EQ(r.program.entry_addresses(7), (std::vector<uint32_t>{0x04, 0x40}));
  EXPECT_EQ(r.program.entry_addresses(8), (std::vector<uint32_t>{0x44}));
}

}  // namespace
}  // namespace trapeze::assembler
