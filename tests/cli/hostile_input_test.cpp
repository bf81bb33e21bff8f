// The `trapeze` binary on hostile input (issue 17): files that are not regular or
// too large refused at once, naming the file and the limit, from the command line,
// a scenario's "file" and .include; guest console bytes that are not UTF-8 or are
// control bytes in JSON and text output; defines that cannot be; bare-CR sources;
// an image with an empty segment.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/shell.h"

namespace {

using Output = ShellOutput;

Output trapeze(const std::string& args) {
  return run_shell(std::string(TRAPEZE_CLI_PATH) + " " + args + " 2>&1");
}

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "trapeze_hostile_" + name; }

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

std::string fifo(const std::string& name) {
  const std::string path = temp_path(name);
  unlink(path.c_str());
  EXPECT_EQ(mkfifo(path.c_str(), 0600), 0);
  return path;
}

std::string sparse_file(const std::string& name, off_t size) {
  const std::string path = write_file(name, "");
  EXPECT_EQ(truncate(path.c_str(), size), 0);
  return path;
}

std::string directory(const std::string& name) {
  const std::string path = temp_path(name);
  mkdir(path.c_str(), 0700);
  return path;
}

const std::string kRule = "input files must be regular files of at most 1048576 bytes";

void expect_refused(const Output& o, const std::string& file, const std::string& why) {
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find(file), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(why + " (" + kRule + ")"), std::string::npos) << o.out;
}

TEST(CliHostileInput, RunRefusesWhatIsNotARegularFileOfAtMostTheLimit) {
  expect_refused(trapeze("run /dev/zero"), "trapeze run: cannot read '/dev/zero'", "is a character device");
  const std::string dir = directory("dir");
  expect_refused(trapeze("run " + dir), "cannot read '" + dir + "'", "is a directory");
  const std::string f = fifo("fifo");  // no writer: a blocking open would never return
  expect_refused(trapeze("run " + f), "cannot read '" + f + "'", "is a FIFO");
  const std::string big = sparse_file("big.s", off_t(100) << 20);
  expect_refused(trapeze("run " + big), "cannot read '" + big + "'", "has 104857600 bytes");
  const std::string big_json = sparse_file("big.json", off_t(100) << 20);
  expect_refused(trapeze("run " + big_json), "cannot read '" + big_json + "'", "has 104857600 bytes");
}

TEST(CliHostileInput, AsmAndDisasmReadFilesTheSameWay) {
  const std::string dir = directory("dir2");
  expect_refused(trapeze("asm " + dir), dir, "is a directory");
  expect_refused(trapeze("disasm /dev/zero"), "/dev/zero", "is a character device");
  const std::string f = fifo("fifo2");
  expect_refused(trapeze("disasm " + f), f, "is a FIFO");
}

TEST(CliHostileInput, ScenarioFilesAreReadTheSameWay) {
  const std::string dir = directory("dir3");
  const std::string f = fifo("fifo3");
  const std::string s = write_file(
      "files.json", R"({"version": 1, "guests": [{"file": "/dev/zero"}, {"file": ")" + dir +
                        R"("}, {"file": ")" + f + R"("}]})");
  const Output o = trapeze("run " + s);
  expect_refused(o, "guests[0].file: cannot read \"/dev/zero\"", "is a character device");
  expect_refused(o, "guests[1].file: cannot read \"" + dir + "\"", "is a directory");
  expect_refused(o, "guests[2].file: cannot read \"" + f + "\"", "is a FIFO");
}

TEST(CliHostileInput, IncludesAreReadTheSameWay) {
  const std::string dir = directory("dir4");
  const std::string src = write_file("inc.s", ".include \"/dev/zero\"\n.include \"" + dir + "\"\nhalt\n");
  const Output o = trapeze("run " + src);
  expect_refused(o, src + ":1:10: error: cannot read include file '/dev/zero'", "is a character device");
  expect_refused(o, src + ":2:10: error: cannot read include file '" + dir + "'", "is a directory");
  const std::string scenario = write_file(
      "inc.json", R"({"version": 1, "guests": [{"source": ".include \"/dev/zero\"\nhalt\n"}]})");
  expect_refused(trapeze("run " + scenario), "cannot read include file '/dev/zero'", "is a character device");
}

// A guest printing 0xA6 (not UTF-8) and ESC [ 2 J (clear the screen).
const char* kHostileConsole = R"(
        li r1, 0xA6
        out PORT_CONSOLE, r1
        li r1, 27
        out PORT_CONSOLE, r1
        li r1, '['
        out PORT_CONSOLE, r1
        li r1, '2'
        out PORT_CONSOLE, r1
        li r1, 'J'
        out PORT_CONSOLE, r1
        halt
)";

TEST(CliHostileInput, JsonOutputSurvivesConsoleBytesThatAreNotUtf8) {
  const Output o = trapeze("run --json " + write_file("console.s", kHostileConsole));
  ASSERT_EQ(o.exit_code, 0) << o.out;  // was: terminate ... invalid UTF-8 byte (134)
  const auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["console"], "\xEF\xBF\xBD\x1b[2J");  // U+FFFD for the byte; ESC escaped by JSON
  EXPECT_EQ(o.out.find('\x1b'), std::string::npos);
}

TEST(CliHostileInput, TextOutputNeverPassesAGuestsControlBytesToTheTerminal) {
  const Output o = trapeze("run " + write_file("console2.s", kHostileConsole));
  ASSERT_EQ(o.exit_code, 0) << o.out;
  EXPECT_EQ(o.out.substr(0, 14), "\\xA6\\x1B[2J\n--") << o.out;
  EXPECT_EQ(o.out.find('\x1b'), std::string::npos);
  const std::string src = write_file("console3.s", kHostileConsole);
  const std::string s = write_file("console.json", R"({"version": 1, "guests": [{"name": "g", "file": ")" + src + R"("}]})");
  const Output text = trapeze("run " + s);
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("\\xA6\\x1B[2J\n"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find('\x1b'), std::string::npos);
  const Output json = trapeze("run --json " + s);
  ASSERT_EQ(json.exit_code, 0) << json.out;
  EXPECT_EQ(nlohmann::json::parse(json.out)["guests"][0]["console"], "\xEF\xBF\xBD\x1b[2J");
}

TEST(CliHostileInput, PredefinedSymbolsCannotBeRedefined) {
  const std::string src = write_file("halt.s", "halt\n");
  const Output run = trapeze("run -D PORT_CONSOLE=5 " + src);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("bad -D PORT_CONSOLE=5: 'PORT_CONSOLE' is predefined by the assembler and "
                         "cannot be redefined"),
            std::string::npos)
      << run.out;
  const Output as = trapeze("asm -D PORT_CONSOLE " + src);
  EXPECT_EQ(as.exit_code, 2) << as.out;
  EXPECT_NE(as.out.find("'PORT_CONSOLE' is predefined"), std::string::npos) << as.out;
  const std::string s = write_file(
      "pc.json", R"({"version": 1, "guests": [{"source": "halt", "defines": {"PORT_CONSOLE": 5}}]})");
  const Output scenario = trapeze("run " + s);
  EXPECT_EQ(scenario.exit_code, 1) << scenario.out;
  EXPECT_NE(scenario.out.find("guests[0].defines.PORT_CONSOLE: 'PORT_CONSOLE' is predefined"),
            std::string::npos)
      << scenario.out;
}

TEST(CliHostileInput, DefineValuesAndNamesAreCheckedAlike) {
  const std::string src = write_file("halt2.s", "halt\n");
  for (const char* cmd : {"run", "asm"}) {
    const Output big = trapeze(std::string(cmd) + " -D X=0xffffffffffffffff " + src);
    EXPECT_NE(big.exit_code, 0) << big.out;
    EXPECT_NE(big.out.find("'0xffffffffffffffff' is not an integer from -9223372036854775808 to "
                           "9223372036854775807"),
              std::string::npos)
        << big.out;
    const Output esc = trapeze(std::string(cmd) + " -D \"$(printf 'A\\033[2J')\" " + src);
    EXPECT_NE(esc.exit_code, 0) << esc.out;
    EXPECT_NE(esc.out.find("'A\\x1B[2J' is not a symbol name"), std::string::npos) << esc.out;
    EXPECT_EQ(esc.out.find('\x1b'), std::string::npos);
  }
  EXPECT_EQ(trapeze("run -D X=-9223372036854775808 " + src).exit_code, 0);
  const std::string s = write_file(
      "big.json",
      R"({"version": 1, "guests": [{"source": "halt", "defines": {"X": 9223372036854775808}}]})");
  const Output scenario = trapeze("run " + s);
  EXPECT_EQ(scenario.exit_code, 1) << scenario.out;
  EXPECT_NE(scenario.out.find("guests[0].defines.X: 9223372036854775808 is out of range "
                              "(-9223372036854775808 to 9223372036854775807)"),
            std::string::npos)
      << scenario.out;
}

TEST(CliHostileInput, NamesWithControlCharactersAreRefused) {
  const std::string s = write_file(
      "name.json", R"({"version": 1, "guests": [{"name": "a\u001b[2J", "source": "halt"}]})");
  const Output o = trapeze("run " + s);
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find("guests[0].name: has a control character or a byte that is not UTF-8 (byte 1 is 0x1b)"),
            std::string::npos)
      << o.out;
  EXPECT_EQ(o.out.find('\x1b'), std::string::npos);
}

TEST(CliHostileInput, ListingsEscapeWhatCommentsHold) {
  const std::string src = write_file("comment.s", "halt ; \x1b[2J cleared\n");
  const Output o = trapeze("asm --listing " + src);
  EXPECT_EQ(o.exit_code, 0) << o.out;
  EXPECT_NE(o.out.find("halt ; \\x1B[2J cleared"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find('\x1b'), std::string::npos);
}

TEST(CliHostileInput, BareCrLineEndingsEndLines) {
  const Output ok = trapeze("run " + write_file("cr.s", "nop\rli r1, 'A'\rout PORT_CONSOLE, r1\rhalt\r"));
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(ok.out.substr(0, 2), "A\n") << ok.out;
  const std::string bad = write_file("cr2.s", "nop\r\nnop\r  bogus r1\rhalt");
  const Output o = trapeze("run " + bad);
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_EQ(o.out, bad + ":3:3: error: unknown mnemonic 'bogus'\n");
}

TEST(CliHostileInput, DisasmShowsAnEmptySegmentAsEmpty) {
  // TRPZ, version 1, entry 0, one segment at 0x100 of 0 bytes.
  const std::string image = write_file(
      "empty.img", std::string("TRPZ\x01\0\0\0\0\0\0\0\x01\0\0\0\0\x01\0\0\0\0\0\0", 24));
  const Output o = trapeze("disasm " + image);
  EXPECT_EQ(o.exit_code, 0) << o.out;
  EXPECT_EQ(o.out, "; entry 00000000\n; segment 00000100 (empty)\n");
}

}  // namespace
