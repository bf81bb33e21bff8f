// Snapshots across processes (issue 20): `trapeze run X --save-at N --snapshot F`
// then `trapeze run F` (a fresh process) prints exactly what the uninterrupted
// `trapeze run X` prints — every preset under every strategy, every guest of
// guests/ under every strategy (to a common instruction limit), saved by
// instructions or by host cycles. And a damaged or foreign file is a message and
// exit 1, never a crash. (The two sweeps run every pair in the release run and a
// third of them, every preset, guest and strategy still among them, under the
// sanitizers: tests/sanitizer_subset.h.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include <random>
#include <vector>
#include <unistd.h>

#include "cli/shell.h"
#include "fuzz/diff_program.h"
#include "sanitizer_subset.h"
#include "session/snapshot_format.h"
#include "vmm/strategy.h"

namespace {

ShellOutput trapeze(const std::string& args) {
  return run_shell("cd " + std::string(TRAPEZE_SOURCE_DIR) + " && " + TRAPEZE_CLI_PATH + " run " +
                   args + " 2>/dev/null");
}
ShellOutput trapeze_stderr(const std::string& args) {
  return run_shell("cd " + std::string(TRAPEZE_SOURCE_DIR) + " && " + TRAPEZE_CLI_PATH + " run " +
                   args + " 2>&1 >/dev/null");
}

// A file of this test's own: CTest runs the tests of this suite in parallel, each in
// its own process, and they must not write over each other's snapshots.
std::string temp(const std::string& name) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "trapeze_snap_" + std::to_string(::getpid()) + "_" + test->name() + "_" + name;
}

uint64_t executed(const nlohmann::json& run) {
  uint64_t n = 0;
  for (const auto& g : run["guests"]) n += g["executed"].get<uint64_t>();
  return n;
}

// The uninterrupted run and the saved-then-continued one print the same (`save_at`
// "": halfway through the first guest's uninterrupted run). Returns
// whether the save point was inside the run (not after every guest had finished).
bool expect_same(const std::string& scenario, const std::string& options, const std::string& save_at,
                 const std::string& continue_options) {
  const ShellOutput whole = trapeze(scenario + " " + options + " " + continue_options + " --json");
  EXPECT_EQ(whole.exit_code, 0) << whole.out;
  std::string at = save_at;
  if (at.empty() && whole.exit_code == 0)  // halfway through the first guest's run
    at = "--save-at " + std::to_string(nlohmann::json::parse(whole.out)["guests"][0]["executed"].get<uint64_t>() / 2);
  const std::string snap = temp("x.snap");
  std::filesystem::remove(snap);
  const ShellOutput saved = trapeze(scenario + " " + options + " " + at + " --snapshot " + snap + " --json");
  EXPECT_EQ(saved.exit_code, 0) << saved.out;
  const ShellOutput rest = trapeze(snap + " " + continue_options + " --json");
  EXPECT_EQ(rest.exit_code, 0) << rest.out;
  EXPECT_EQ(rest.out, whole.out);
  if (whole.exit_code || saved.exit_code) return false;
  return executed(nlohmann::json::parse(saved.out)) < executed(nlohmann::json::parse(whole.out));
}

// The files of `dir` ending in `extension`, sorted (the sanitizer run's rotation
// picks pairs by position).
std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir, const std::string& extension) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == extension) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Under the sanitizers a third of the pairs (tests/sanitizer_subset.h): each preset
// under two strategies, each strategy on two presets.
TEST(CliSnapshot, EveryPresetUnderEveryStrategy) {
  const auto presets = files_in(std::filesystem::path(TRAPEZE_SOURCE_DIR) / "scenarios", ".json");
  const size_t stride = 3;
  int runs = 0, inside = 0;
  std::vector<int> per_preset(presets.size()), per_strategy(std::size(trapeze::vmm::kStrategies));
  for (size_t p = 0; p < presets.size(); ++p) {
    for (size_t k = 0; k < std::size(trapeze::vmm::kStrategies); ++k) {
      if (!trapeze::sanitizer::pair_runs(p, k, stride)) continue;
      const std::string name(trapeze::vmm::kStrategies[k].name);
      SCOPED_TRACE(presets[p].filename().string() + " under " + name);
      inside += expect_same("scenarios/" + presets[p].filename().string(), "--strategy " + name,
                            "--save-at 150000", "--max-instr 600000");
      ++runs, ++per_preset[p], ++per_strategy[k];
    }
  }
  EXPECT_GE(runs, trapeze::sanitizer::active() ? 30 / int(stride) : 30);
  EXPECT_GE(inside, runs * 3 / 4) << "most saves are inside their run";
  for (size_t p = 0; p < presets.size(); ++p) EXPECT_GT(per_preset[p], 0) << presets[p];
  for (size_t k = 0; k < per_strategy.size(); ++k) EXPECT_GT(per_strategy[k], 0) << trapeze::vmm::kStrategies[k].name;
}

// Under the sanitizers a third of the pairs: each guest under two strategies, each
// strategy on a third of the guests.
TEST(CliSnapshot, EveryGuestUnderEveryStrategy) {
  std::vector<std::filesystem::path> guests;
  for (const auto& d : std::filesystem::directory_iterator(std::filesystem::path(TRAPEZE_SOURCE_DIR) / "guests"))
    if (d.is_directory() && d.path().filename() != "lib")
      for (const auto& f : files_in(d.path(), ".s")) guests.push_back(f);
  std::sort(guests.begin(), guests.end());
  const size_t stride = 3;
  int runs = 0, inside = 0;
  std::vector<int> per_strategy(std::size(trapeze::vmm::kStrategies));
  for (size_t g = 0; g < guests.size(); ++g) {
    const std::string file = guests[g].string();
    for (size_t k = 0; k < std::size(trapeze::vmm::kStrategies); ++k) {
      if (!trapeze::sanitizer::pair_runs(g, k, stride)) continue;
      const std::string name(trapeze::vmm::kStrategies[k].name);
      SCOPED_TRACE(file + " under " + name);
      nlohmann::json j = {{"version", 1},
                          {"guests", {{{"name", "g"}, {"file", file}, {"memory", "1M"}, {"strategy", name}}}}};
      const std::string path = temp("guest.json");
      std::ofstream(path) << j.dump();
      const ShellOutput probe = trapeze(path + " --max-instr 1 --json");
      if (probe.exit_code != 0) continue;  // a guest built only with its scenario's defines
      inside += expect_same(path, "", "", "--max-instr 400000");
      ++runs, ++per_strategy[k];
    }
  }
  EXPECT_GE(runs, trapeze::sanitizer::active() ? 40 / int(stride) : 40);
  EXPECT_EQ(inside, runs) << "every save is inside its run";
  for (size_t k = 0; k < per_strategy.size(); ++k) EXPECT_GT(per_strategy[k], 0) << trapeze::vmm::kStrategies[k].name;
}

TEST(CliSnapshot, RandomProgramsOfTheDifferentialTest) {
  int runs = 0, inside = 0;
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> bytes(200 + rng() % 1800);
    for (uint8_t& b : bytes) b = uint8_t(rng());
    const trapeze::difftest::Program p = trapeze::difftest::generate(bytes);
    for (const trapeze::vmm::StrategyInfo& s : trapeze::vmm::kStrategies) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " under " + std::string(s.name));
      nlohmann::json j = {{"version", 1},
                          {"quantum", p.quantum ? p.quantum : 50'000},
                          {"guests", {{{"name", "r"}, {"source", trapeze::difftest::source(p)},
                                       {"memory", "64K"}, {"strategy", std::string(s.name)}}}}};
      const std::string path = temp("random.json");
      std::ofstream(path) << j.dump();
      inside += expect_same(path, "", "", "--max-instr 200000");
      ++runs;
    }
  }
  EXPECT_EQ(inside, runs) << "every save is inside its run";
}

TEST(CliSnapshot, SavedByHostCyclesAndWithTheLimitsOfTheSaveRun) {
  const std::string x = "scenarios/two-guests-sharing-a-cpu.json";
  EXPECT_TRUE(expect_same(x, "--strategy bt", "--save-at-cycles 900000", "--max-instr 500000"));
  // The limit given when saving is the snapshot's: the continuation needs none.
  const ShellOutput whole = trapeze(x + " --max-instr 300000");
  const std::string snap = temp("limits.snap");
  ASSERT_EQ(trapeze(x + " --max-instr 300000 --save-at 100000 --snapshot " + snap).exit_code, 0);
  const ShellOutput rest = trapeze(snap);
  ASSERT_EQ(rest.exit_code, 0);
  EXPECT_EQ(rest.out, whole.out);
  EXPECT_NE(rest.out.find("--- guest 0 \"mini-os\" (trap)"), std::string::npos) << rest.out;
}

TEST(CliSnapshot, DamagedForeignAndNewerFilesAreMessages) {
  const std::string snap = temp("good.snap");
  ASSERT_EQ(trapeze("scenarios/uk-bit-problem.json --save-at 50000 --snapshot " + snap).exit_code, 0);
  std::ifstream in(snap, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(bytes.size(), 100u);
  auto write = [](const std::string& name, const std::string& b) {
    const std::string p = temp(name);
    std::ofstream(p, std::ios::binary) << b;
    return p;
  };
  struct Case {
    std::string name, bytes, message;
  };
  std::string newer = bytes;
  newer[8] = 7;
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 1;
  const Case cases[] = {
      {"cut.snap", bytes.substr(0, bytes.size() / 2), "truncated at byte"},
      {"newer.snap", newer, "written by a newer Trapeze (format 7, this reads " + std::to_string(trapeze::session::kSnapshotFormat) + ")"},
      {"flipped.snap", flipped, "(the file is damaged)"},
      {"magic.bin", "TRPZSNA", "not a Trapeze snapshot"},  // not taken for a snapshot: the .s runner says why
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = write(c.name, c.bytes);
    const ShellOutput o = trapeze_stderr(path);
    EXPECT_EQ(o.exit_code, 1) << o.out;
    if (c.name != "magic.bin") {
      EXPECT_NE(o.out.find(c.message), std::string::npos) << o.out;
    }
  }
  // Options a snapshot does not take.
  EXPECT_EQ(trapeze_stderr(snap + " --strategy bt").exit_code, 1);
  EXPECT_NE(trapeze_stderr(snap + " --strategy bt").out.find("unknown option '--strategy' for a snapshot"),
            std::string::npos);
}

}  // namespace
