// `trapeze experiment` and `trapeze bench nano` run from any directory: the
// guests and their golden outputs are compiled into the program (the bundle of
// core/bundle/), and give the same table as the repository's guests/ folder read
// from disk with --guests. A missing golden output is an error that names it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/shell.h"

namespace {

namespace fs = std::filesystem;

// A fresh empty directory under the system's temporary folder (never inside the
// repository, which holds guests/ and would hide a path read from the disk).
fs::path fresh_directory(const std::string& tag) {
  std::string pattern = (fs::temp_directory_path() / ("trapeze-" + tag + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) return {};
  const fs::path dir = fs::canonical(pattern);
  const fs::path repo = fs::canonical(TRAPEZE_SOURCE_DIR);
  EXPECT_TRUE(dir.string().rfind(repo.string(), 0) != 0) << dir << " is inside the repository";
  return dir;
}

ShellOutput trapeze_in(const fs::path& dir, const std::string& args) {
  return run_shell("cd '" + dir.string() + "' && '" + TRAPEZE_CLI_PATH + "' " + args + " 2>&1");
}

class CliAnywhere : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_directory("cwd");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CliAnywhere, ExperimentNanoRunsOutsideTheRepository) {
  const ShellOutput o = trapeze_in(dir_, "experiment nano --json");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  const auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["experiment"], "nano");
  ASSERT_EQ(j["rows"].size(), 7u);
  // Every run printed its golden output: no cell is null for want of it.
  for (const auto& note : j["notes"])
    EXPECT_EQ(note.get<std::string>().find("not correct"), std::string::npos) << note;
  for (const auto& row : j["rows"])
    EXPECT_FALSE(row["native"].is_null()) << row;

  // The same table as the repository's own files read from disk.
  const ShellOutput disk = trapeze_in(dir_, std::string("experiment nano --json --guests '") +
                                                TRAPEZE_SOURCE_DIR + "/guests'");
  ASSERT_EQ(disk.exit_code, 0) << disk.out;
  EXPECT_EQ(nlohmann::json::parse(disk.out), j);
}

TEST_F(CliAnywhere, BenchNanoRunsOutsideTheRepository) {
  const ShellOutput o = trapeze_in(dir_, "bench nano --json");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  EXPECT_EQ(nlohmann::json::parse(o.out)["rows"].size(), 7u);
}

TEST_F(CliAnywhere, GuestsOptionReadsThatFolderOnly) {
  // An empty folder: the guest itself is missing, and the error names it.
  const ShellOutput o = trapeze_in(dir_, "experiment tlb --guests .");
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find("wset/wset.s"), std::string::npos) << o.out;
}

TEST_F(CliAnywhere, AMissingGoldenOutputIsAnErrorThatNamesIt) {
  fs::copy(fs::path(TRAPEZE_SOURCE_DIR) / "guests", dir_ / "guests", fs::copy_options::recursive);
  fs::remove(dir_ / "guests" / "nano" / "syscall.expected");
  const ShellOutput o = trapeze_in(dir_, "bench nano --guests guests");
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find("cannot read the golden output \"guests/nano/syscall.expected\""),
            std::string::npos)
      << o.out;
  fs::remove(dir_ / "guests" / "wset" / "wset.expected");
  const ShellOutput tlb = trapeze_in(dir_, "experiment tlb --guests guests");
  EXPECT_EQ(tlb.exit_code, 1) << tlb.out;
  EXPECT_NE(tlb.out.find("cannot read the golden output \"guests/wset/wset.expected\""),
            std::string::npos)
      << tlb.out;
}

}  // namespace
