// `trapeze check` as a course runs it: a broken lab names every error with file,
// line and field and runs nothing (exit 1); a submission for a guest without a
// starter, or an unreadable one, is bad input (exit 1); a submission that does
// not assemble fails the step's checks with its errors (exit 3); the JSON is the
// results shape; a bundled lab opens by name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/shell.h"

namespace {

std::string temp_file(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "trapeze-check-cli";
  std::filesystem::create_directories(dir);
  const auto path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

ShellOutput check(const std::string& args) {
  return run_shell(std::string(TRAPEZE_CLI_PATH) + " check " + args + " 2>&1");
}

const std::string kLab1 = std::string(TRAPEZE_SOURCE_DIR) + "/labs/lab1-trap-and-emulate.md";

TEST(CheckCli, ABrokenLabListsEveryErrorAndRunsNothing) {
  const std::string lab = temp_file("broken.md",
                                    "---\ntitle: Broken\n---\n"
                                    "## One\n\nno scenario here\n"                                      // 4
                                    "## Two\n```scenario\npreset: uk-bit-problem\n```\n"               // 7-10
                                    "```check\nname: c\nkind: counter\nguest: ghost\ncounter: vmm.nope\nexpect: > 1\n```\n");  // 11-17
  const ShellOutput o = check(lab);
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find(lab + ":4: scenario: "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(lab + ":14: check.guest: no guest named \"ghost\""), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(lab + ":15: check.counter: unknown counter \"vmm.nope\""), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("3 errors in the lab; nothing was run"), std::string::npos) << o.out;
}

TEST(CheckCli, BadSubmissionsAreBadInput) {
  ShellOutput o = check(kLab1 + " --submission ghost=" + kLab1);
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find("no step has a starter for guest 'ghost' (starters: 'kernel')"), std::string::npos) << o.out;
  o = check(kLab1 + " --submission kernel=/no/such/file.s");
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find("cannot read the file"), std::string::npos) << o.out;
  o = check("/no/such/lab.md");
  EXPECT_EQ(o.exit_code, 1) << o.out;
  o = check(kLab1 + " --submission kernel");
  EXPECT_EQ(o.exit_code, 2) << o.out;
}

TEST(CheckCli, ASubmissionThatDoesNotAssembleFailsItsStepsWithTheErrors) {
  const std::string s = temp_file("broken.s", "_start:\n    li r1, 1\n    frobnicate r1\n");
  const ShellOutput o = check(kLab1 + " --submission kernel=" + s + " --json");
  EXPECT_EQ(o.exit_code, 3) << o.out;
  const auto j = nlohmann::json::parse(o.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  const auto& step4 = j["steps"][3];
  EXPECT_NE(step4["error"].get<std::string>().find(":3:"), std::string::npos) << step4["error"];
  for (const auto& c : step4["checks"]) EXPECT_FALSE(c["passed"].get<bool>());
  EXPECT_EQ(j["steps"][0]["error"], "");  // the steps without the starter still run
  EXPECT_TRUE(j["steps"][0]["passed"].get<bool>());
}

TEST(CheckCli, ABundledLabOpensByName) {
  const ShellOutput o = run_shell("cd / && " + std::string(TRAPEZE_CLI_PATH) +
                                  " check lab1-trap-and-emulate --json 2>&1");
  EXPECT_EQ(o.exit_code, 3) << o.out;
  const auto j = nlohmann::json::parse(o.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  EXPECT_EQ(j["lab"], "lab1-trap-and-emulate");
  EXPECT_EQ(j["steps"].size(), 4u);
  EXPECT_LT(j["score"].get<int>(), j["max_score"].get<int>());
}

}  // namespace
