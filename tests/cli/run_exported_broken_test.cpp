// `trapeze run` of a scenario exported with a guest whose source does not assemble
// (the frontend keeps, saves and exports half-typed code): exit 1 with that guest's
// FILE:LINE:COL and a line saying nothing was run and why; never a crash or silence.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli/shell.h"
#include "session/file_table.h"
#include "session/session.h"

namespace {

TEST(CliRunExported, ABrokenGuestIsNamedWithFileLineColumn) {
  // The document as the browser's Export writes it (Session::to_json).
  trapeze::session::Session s(trapeze::session::disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  ASSERT_TRUE(s.load(R"({"version":1,"name":"half typed","guests":[
      {"name":"ok","source":"_start: halt\n"},
      {"name":"typing","source":"_start: halt\n"}]})", "", &error)) << error;
  s.set_source(1, "_start:\n        li r1, 0\n        bogus r1\n");
  const std::string path = ::testing::TempDir() + "trapeze_exported_broken.json";
  std::ofstream(path) << s.to_json();

  const ShellOutput o = run_shell(std::string(TRAPEZE_CLI_PATH) + " run " + path + " 2>&1");
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find("guest \"typing\": guests[1].source:3:9: error: unknown mnemonic 'bogus'"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find(path + ": not run: 1 of 2 guests does not assemble"), std::string::npos) << o.out;
}

}  // namespace
