// A snapshot taken anywhere continues exactly as the run it was taken from
// (issue 20): for every guest in guests/ under every strategy, for the random
// programs of the differential test, for several guests at once and across live
// strategy switches, a run to N, saved, restored into a FRESH session and run on
// to M equals the run that went from 0 to M without stopping — state hashes,
// counters, consoles, the host's clock and event log. Saving what was just
// restored gives the same bytes again.
#include <filesystem>
#include <random>

#include "fuzz/diff_program.h"
#include "sanitizer_subset.h"
#include "snapshot_test_util.h"

namespace trapeze::session::testing {
namespace {

std::string one_guest(const std::string& file, vmm::StrategyKind s, const std::string& memory = "1M") {
  nlohmann::ordered_json j;
  j["version"] = 1;
  j["quantum"] = 20000;
  j["guests"] = {{{"name", "g"}, {"file", file}, {"memory", memory},
                  {"strategy", std::string(vmm::strategy_name(s))}}};
  return j.dump();
}

// Runs `a` to `n` cycles, snapshots it, restores into a fresh session, runs both
// on by `m`, and compares. `between`: what happens to both after the restore,
// before they go on (a strategy switch, ...).
void expect_continues(Session& a, uint64_t n, uint64_t m,
                      const std::function<void(Session&)>& between = {}) {
  run(a, n);
  const std::vector<uint8_t> snap = a.save_snapshot();
  ASSERT_FALSE(snap.empty());
  Session b(disk_reader(TRAPEZE_SOURCE_DIR), [] { return 0.0; });
  std::string error;
  ASSERT_TRUE(b.restore_snapshot(snap, &error)) << error;
  ASSERT_EQ(fingerprint(b), fingerprint(a));
  EXPECT_TRUE(b.save_snapshot() == snap) << "save -> restore -> save changed the bytes";
  if (between) {
    between(a);
    between(b);
  }
  run(a, m);
  run(b, m);
  EXPECT_EQ(fingerprint(b), fingerprint(a));
}

std::vector<std::string> guest_files() {
  std::vector<std::string> out;
  const std::filesystem::path dir = std::filesystem::path(TRAPEZE_SOURCE_DIR) / "guests";
  for (const auto& d : std::filesystem::directory_iterator(dir)) {
    if (!d.is_directory() || d.path().filename() == "lib") continue;
    for (const auto& f : std::filesystem::directory_iterator(d.path()))
      if (f.path().extension() == ".s")
        out.push_back("../guests/" + d.path().filename().string() + "/" + f.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Under the sanitizers a third of the pairs (tests/sanitizer_subset.h): each guest
// under two strategies, each strategy on a third of the guests.
TEST(SessionSnapshot, EveryGuestUnderEveryStrategy) {
  const auto files = guest_files();
  ASSERT_GT(files.size(), 8u);
  const size_t stride = 3;
  int runs = 0;
  std::vector<int> per_strategy(std::size(vmm::kStrategies));
  for (size_t g = 0; g < files.size(); ++g)
    for (size_t k = 0; k < std::size(vmm::kStrategies); ++k) {
      if (!trapeze::sanitizer::pair_runs(g, k, stride)) continue;
      const vmm::StrategyInfo& s = vmm::kStrategies[k];
      SCOPED_TRACE(files[g] + " under " + std::string(s.name));
      Session a = loaded(one_guest(files[g], s.kind));
      if (!a.guest(0).has_image()) continue;  // a guest that needs defines of its scenario
      expect_continues(a, 150'000, 400'000);
      ++runs, ++per_strategy[k];
    }
  EXPECT_GE(runs, trapeze::sanitizer::active() ? 40 / int(stride) : 40);
  for (size_t k = 0; k < per_strategy.size(); ++k) EXPECT_GT(per_strategy[k], 0) << vmm::kStrategies[k].name;
}

TEST(SessionSnapshot, AcrossStrategySwitches) {
  for (const std::string file : {"../guests/mini-os/mini-os.s", "../guests/pagetable-churn/pagetable-churn.s"})
    for (const vmm::StrategyInfo& from : vmm::kStrategies)
      for (const vmm::StrategyInfo& to : vmm::kStrategies) {
        if (from.kind == to.kind) continue;
        SCOPED_TRACE(file + ": " + std::string(from.name) + " -> " + std::string(to.name));
        Session a = loaded(one_guest(file, from.kind));
        run(a, 60'000);
        std::string error;
        ASSERT_TRUE(a.set_strategy(0, to.kind, &error)) << error;
        // Saved under `to` after a switch, then switched back after the restore.
        expect_continues(a, 70'000, 150'000, [&](Session& s) {
          std::string e;
          ASSERT_TRUE(s.set_strategy(0, from.kind, &e)) << e;
        });
      }
}

TEST(SessionSnapshot, EveryPresetScenario) {
  const std::filesystem::path dir = std::filesystem::path(TRAPEZE_SOURCE_DIR) / "scenarios";
  size_t presets = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const std::string path = "scenarios/" + entry.path().filename().string();
    const auto text = disk_reader(TRAPEZE_SOURCE_DIR)(path);
    ASSERT_TRUE(text);
    Session a = loaded(*text, path);
    expect_continues(a, 300'000, 500'000);
    ++presets;
  }
  EXPECT_GE(presets, 5u);
}

std::vector<uint8_t> random_bytes(uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(200 + rng() % 1800);
  for (uint8_t& b : bytes) b = uint8_t(rng());
  return bytes;
}

TEST(SessionSnapshot, RandomProgramsOfTheDifferentialTest) {
  int compared = 0;
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    const difftest::Program p = difftest::generate(random_bytes(seed));
    for (const vmm::StrategyInfo& s : vmm::kStrategies) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " under " + std::string(s.name));
      nlohmann::ordered_json j;
      j["version"] = 1;
      j["quantum"] = p.quantum ? p.quantum : 50'000;
      j["guests"] = {{{"name", "r"}, {"source", difftest::source(p)}, {"memory", "64K"},
                      {"strategy", std::string(s.name)}}};
      Session a = loaded(j.dump());
      ASSERT_TRUE(a.guest(0).has_image());
      // Each program halts within a few hundred thousand cycles: snapshot midway.
      expect_continues(a, 3'000 + seed * 1'700, 200'000);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 12 * int(std::size(vmm::kStrategies)));
}

TEST(SessionSnapshot, RestoreStateGoesBackInTheSameSession) {
  Session a = loaded(one_guest("../guests/mini-os/mini-os.s", vmm::StrategyKind::BT));
  run(a, 100'000);
  const std::vector<uint8_t> state = a.save_state();
  const std::string at_n = fingerprint(a);
  run(a, 200'000);
  const std::string at_m = fingerprint(a);
  ASSERT_NE(at_m, at_n);
  std::string error;
  ASSERT_TRUE(a.restore_state(state, &error)) << error;
  EXPECT_EQ(fingerprint(a), at_n);
  EXPECT_TRUE(a.save_state() == state);
  run(a, 200'000);
  EXPECT_EQ(fingerprint(a), at_m);
}

}  // namespace
}  // namespace trapeze::session::testing
