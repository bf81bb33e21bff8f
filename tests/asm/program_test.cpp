// What the frontend and debugger read from a Program: the listing, the symbol
// table, line_at and label_before; and the image file round trip.
#include <gtest/gtest.h>

#include "asm/assembler.h"
#include "asm/image.h"
#include "asm_test_util.h"

namespace trapeze::assembler {
namespace {

using testing::messages;

constexpr const char* kSource =
    "; header\n"                 // 1
    "N = 3\n"                    // 2
    "_start: li r1, N\n"         // 3
    "loop:   addi r1, r1, -1\n"  // 4
    "        bnez r1, loop\n"    // 5
    "        halt\n"             // 6
    ".org 0x100\n"               // 7
    "msg:    .asciz \"ok\"\n";   // 8

TEST(AsmProgram, ListingHasAddressBytesFileLineAndText) {
  const Result r = assemble(kSource);
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  const auto& l = r.program.listing;
  ASSERT_EQ(l.size(), 8u);
  EXPECT_EQ(l[0].text, "; header");
  EXPECT_TRUE(l[0].bytes.empty());
  EXPECT_EQ(l[2].address, 0u);
  EXPECT_EQ(l[2].bytes, (std::vector<uint8_t>{3, 0, 0x10, 0x11}));  // addi r1, r0, 3
  EXPECT_EQ(l[2].file, "input.s");
  EXPECT_EQ(l[2].line, 3);
  EXPECT_EQ(l[2].text, "_start: li r1, N");
  EXPECT_EQ(l[4].address, 8u);
  EXPECT_EQ(l[6].address, 0x100u);  // .org shows where it moved to
  EXPECT_EQ(l[7].address, 0x100u);
  EXPECT_EQ(l[7].bytes, (std::vector<uint8_t>{'o', 'k', 0}));
}

TEST(AsmProgram, SymbolsAreSortedWithKindAndPlace) {
  const Result r = assemble(kSource);
  ASSERT_TRUE(r.ok());
  std::vector<std::string> names;
  for (const Symbol& s : r.program.symbols) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"N", "_start", "loop", "msg"}));
  EXPECT_FALSE(r.program.symbols[0].is_label);
  EXPECT_EQ(r.program.symbols[0].value, 3u);
  EXPECT_TRUE(r.program.symbols[2].is_label);
  EXPECT_EQ(r.program.symbols[2].value, 4u);
  EXPECT_EQ(r.program.symbols[2].line, 4);
  EXPECT_EQ(r.program.symbol("msg"), 0x100u);
  EXPECT_FALSE(r.program.symbol("nope"));
  EXPECT_EQ(r.program.entry, 0u);
}

TEST(AsmProgram, LineAtAndLabelBefore) {
  const Result r = assemble(kSource);
  ASSERT_TRUE(r.ok());
  const Program& p = r.program;
  ASSERT_TRUE(p.line_at(8));
  EXPECT_EQ(p.line_at(8)->line, 5);
  EXPECT_EQ(p.line_at(10)->line, 5);  // any byte of the instruction
  EXPECT_EQ(p.line_at(0x102)->line, 8);
  EXPECT_EQ(p.line_at(0x103), nullptr);
  EXPECT_EQ(p.line_at(0x80), nullptr);
  ASSERT_TRUE(p.label_before(0xc));
  EXPECT_EQ(p.label_before(0xc)->name, "loop");
  EXPECT_EQ(p.label_before(4)->name, "loop");
  EXPECT_EQ(p.label_before(3)->name, "_start");
  EXPECT_EQ(p.label_before(0x200)->name, "msg");  // constants are not labels
}

TEST(AsmProgram, MacroExpansionsAreListedLineByLine) {
  const Result r = assemble(".macro two\n  nop\n  halt\n.endm\n  two\n");
  ASSERT_TRUE(r.ok());
  const auto& l = r.program.listing;
  ASSERT_EQ(l.size(), 4u);  // .macro header, the use, and the two expanded lines
  EXPECT_EQ(l[1].text, "  two");
  EXPECT_EQ(l[2].text, "  nop");
  EXPECT_EQ(l[2].line, 2);
  EXPECT_EQ(l[3].address, 4u);
  EXPECT_EQ(r.program.line_at(4)->text, "  halt");
}

TEST(AsmProgram, ImageRoundTrip) {
  const Result r = assemble(kSource);
  ASSERT_TRUE(r.ok());
  const std::vector<uint8_t> image = write_image(r.program);
  std::string error;
  const auto back = read_image(image, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->entry, r.program.entry);
  ASSERT_EQ(back->segments.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back->segments[i].base, r.program.segments[i].base);
    EXPECT_EQ(back->segments[i].bytes, r.program.segments[i].bytes);
  }
  // The header, as documented in image.h: magic, version, entry, count.
  EXPECT_EQ(std::vector<uint8_t>(image.begin(), image.begin() + 16),
            (std::vector<uint8_t>{'T', 'R', 'P', 'Z', 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0}));
}

TEST(AsmProgram, BadImagesAreRejectedWithAReason) {
  std::string error;
  const std::vector<uint8_t> junk = {'E', 'L', 'F', 0};
  EXPECT_FALSE(read_image(junk, error));
  EXPECT_EQ(error, "not a Trapeze image (no TRPZ header)");
  Program p;
  p.segments.push_back({0x10, {1, 2, 3, 4}});
  std::vector<uint8_t> image = write_image(p);
  image.pop_back();
  EXPECT_FALSE(read_image(image, error));
  EXPECT_EQ(error, "truncated image: segment 0 is incomplete");
  image = write_image(p);
  image[4] = 9;
  EXPECT_FALSE(read_image(image, error));
  EXPECT_EQ(error, "unsupported image version 9");
  p.segments.push_back({0x12, {5}});  // overlaps the first
  EXPECT_FALSE(read_image(write_image(p), error));
  EXPECT_EQ(error, "bad image: segment 1 overlaps another or runs past 0xffffffff");
}

}  // namespace
}  // namespace trapeze::assembler
