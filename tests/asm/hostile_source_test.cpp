// Issue 17: sources with bare-CR line endings (CR, LF and CRLF each end a line,
// with the right line:col in errors); defines checked as -D checks them
// (asm/defines.h), also when a caller hands them to the assembler directly.
#include <gtest/gtest.h>

#include "asm/assembler.h"
#include "asm/defines.h"
#include "asm_test_util.h"

namespace trapeze::assembler {
namespace {

using testing::errors_of;
using V = std::vector<std::string>;

TEST(AsmLineEndings, CrLfAndCrLfEachEndALine) {
  const V expected{"input.s:3:3: error: unknown mnemonic 'bogus'"};
  EXPECT_EQ(errors_of("nop\nnop\n  bogus r1\nhalt\n"), expected);
  EXPECT_EQ(errors_of("nop\r\nnop\r\n  bogus r1\r\nhalt\r\n"), expected);
  EXPECT_EQ(errors_of("nop\rnop\r  bogus r1\rhalt\r"), expected);
  EXPECT_EQ(errors_of("nop\r\nnop\r  bogus r1\nhalt"), expected);  // mixed
  // CR CR is two line ends (an empty line between), not one.
  EXPECT_EQ(errors_of("nop\r\r  bogus r1"), V{"input.s:3:3: error: unknown mnemonic 'bogus'"});
  const Result r = assemble("li r1, 1\rli r2, 2\rhalt\r");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.program.listing.size(), 3u);
  EXPECT_EQ(r.program.listing[2].line, 3);
  EXPECT_EQ(r.program.listing[2].text, "halt");
}

TEST(AsmLineEndings, IncludedFilesToo) {
  Options o;
  o.include = [](const std::string&) -> text::FileText { return std::string("nop\r  bogus\r"); };
  EXPECT_EQ(errors_of(".include \"x.s\"\nhalt\n", o), V{"x.s:2:3: error: unknown mnemonic 'bogus'"});
}

TEST(AsmDefines, ParseDefineAsDashDTakesIt) {
  std::string error;
  auto d = parse_define("X", &error);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "X");
  EXPECT_EQ(d->value, 1);
  d = parse_define("N=-0x10", &error);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value, -16);
  d = parse_define("N=9223372036854775807", &error);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value, INT64_MAX);
  d = parse_define("N=-9223372036854775808", &error);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value, INT64_MIN);
  for (const char* bad : {"N=9223372036854775808", "N=0xffffffffffffffff", "N=-9223372036854775809",
                          "N=", "N=--1", "N=1x", "N=99999999999999999999"}) {
    EXPECT_FALSE(parse_define(bad, &error)) << bad;
    EXPECT_NE(error.find("is not an integer from -9223372036854775808 to 9223372036854775807"),
              std::string::npos)
        << bad << ": " << error;
  }
  EXPECT_FALSE(parse_define("=1", &error));
  EXPECT_EQ(error, "the name is empty");
  EXPECT_FALSE(parse_define("PORT_CONSOLE=5", &error));
  EXPECT_EQ(error, "'PORT_CONSOLE' is predefined by the assembler and cannot be redefined");
  EXPECT_FALSE(parse_define("sp=5", &error));
  EXPECT_EQ(error, "'sp' is not a symbol name (it is a register)");
  EXPECT_FALSE(parse_define(std::string("A\0B", 3), &error));
  EXPECT_EQ(error, std::string("'A") + '\0' +
                       "B' is not a symbol name (letters, digits, '_' and '.'; not starting with a digit)");
  EXPECT_FALSE(parse_define("A B=1", &error));
  EXPECT_EQ(define_name_problem("_ok.name9"), "");
}

TEST(AsmDefines, TheAssemblerRefusesThemFromAnyCaller) {
  Options o;
  o.defines["PORT_CONSOLE"] = 5;
  o.defines["A\x1b"] = 1;
  EXPECT_EQ(errors_of("out PORT_CONSOLE, r1\nhalt\n", o),
            (V{"input.s:1:1: error: bad define (-D or \"defines\"): 'A\\x1B' is not a symbol name "
               "(letters, digits, '_' and '.'; not starting with a digit)",
               "input.s:1:1: error: bad define (-D or \"defines\"): 'PORT_CONSOLE' is predefined by "
               "the assembler and cannot be redefined"}));
}

}  // namespace
}  // namespace trapeze::assembler
