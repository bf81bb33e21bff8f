// One guest builder (scenario/guest_builder.h): a scenario built by
// scenario::build (the CLI) and loaded by a Session the way the JavaScript API
// loads it (trapeze_load_scenario: Session::load with no path) yields equal
// configurations, every field compared (operator== = default, so a field added
// later is compared too); and the fields the session once dropped, "tc_capacity"
// and "block", reach the VMM on the session's path, read back through the state
// JSON the JavaScript API returns (trapeze.state()).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "scenario/guest_builder.h"
#include "session/file_table.h"
#include "session/session.h"
#include "session/state_json.h"

namespace trapeze::session {
namespace {

// Builds `json` both ways from the same place and compares every field. The CLI
// names inline sources by their field ("guests[1].source") and looks up their
// includes beside the scenario; `inline_home` = kInlineSourceHome builds them as
// the session does (needed for an exported edit of a guest that has includes).
void expect_same_both_ways(const std::string& json, const std::string& path,
                           const std::string& inline_home = "") {
  std::string error;
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  ASSERT_TRUE(s.load(json, path, &error)) << error;
  // Where the session took a pasted scenario to live: the CLI builds it from there too.
  const scenario::LoadOptions cli{s.scenario_path(), disk_reader(TRAPEZE_SOURCE_DIR), inline_home};
  const auto doc = scenario::parse(json, &error);
  ASSERT_TRUE(doc) << error;
  const auto built = scenario::build(*doc, cli, &error);
  ASSERT_TRUE(built) << error;
  ASSERT_EQ(built->guests.size(), s.guest_count());
  EXPECT_TRUE(s.vmm()->config() == static_cast<const vmm::VmmSettings&>(*built));
  for (size_t i = 0; i < s.guest_count(); ++i) {
    SCOPED_TRACE(s.guest(i).spec.name);
    ASSERT_TRUE(s.guest(i).has_image()) << s.guest(i).errors.size() << " errors";
    const vmm::GuestConfig& want = built->guests[i];
    EXPECT_TRUE(*s.guest(i).image.config == want);
    // What the VMM runs: the same setup, under the same strategy.
    EXPECT_TRUE(s.vmm()->guest(i).config == static_cast<const vmm::GuestSetup&>(want));
    EXPECT_EQ(s.vmm()->guest(i).strategy_kind(), want.strategy);
    EXPECT_EQ(s.strategy(i), want.strategy);
  }
  // And the session's document is the scenario it loaded (files stay files).
  EXPECT_TRUE(s.document() == *doc) << s.to_json();
}

TEST(BuildersAgree, EveryPresetScenario) {
  const std::filesystem::path dir = std::filesystem::path(TRAPEZE_SOURCE_DIR) / "scenarios";
  size_t presets = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const std::string path = "scenarios/" + entry.path().filename().string();
    const auto text = disk_reader(TRAPEZE_SOURCE_DIR)(path);
    ASSERT_TRUE(text);
    expect_same_both_ways(*text, path);
    // Under every strategy the CLI's --strategy can force, too (pv: its PV=1 build).
    for (const vmm::StrategyInfo& info : vmm::kStrategies) {
      auto doc = scenario::parse(*text, nullptr);
      ASSERT_TRUE(doc);
      for (scenario::GuestSpec& g : doc->guests) g.strategy = info.kind;
      expect_same_both_ways(scenario::to_json(*doc), path);
    }
    ++presets;
  }
  EXPECT_GE(presets, 6u);
}

// Every field a guest entry has, away from its default, pasted as the page does.
TEST(BuildersAgree, EveryGuestFieldPasted) {
  const std::string json = R"({"version": 1, "quantum": 7000, "tlb_entries": 32, "tlb_ways": 4,
    "cost": {"TRAP_ENTRY": 90}, "limits": {"max_instructions": 123456, "max_cycles": 9876543},
    "event_capacity": 512, "guests": [
    {"name": "inline", "source": ".ifdef FAST\nli r1, 2\n.endif\nhalt\n", "defines": {"FAST": 1},
     "memory": "64K", "disk": "8K", "strategy": "bt", "tc_capacity": 64,
     "block": {"queue_depth": 3, "service": "exponential", "mean_service": 700, "seed": 5}},
    {"name": "file", "file": "../guests/io-driver/io-driver.s", "strategy": "pv"},
    {"name": "nested", "file": "../guests/mini-os/mini-os.s", "memory": "1M", "strategy": "hw-nested",
     "block": {"queue_depth": 2, "service": "fixed", "seed": 9}}]})";
  expect_same_both_ways(json, "");
}

// A counter of the state JSON's one shape ({machine, vmm}: vmm/counters_json.h).
uint64_t counter(const Session& s, size_t guest, const char* part, const char* name) {
  return nlohmann::json::parse(state_json(s))["guests"][guest]["counters"][part][name].get<uint64_t>();
}

// "tc_capacity" on the JavaScript API's path: a small cache evicts, the default
// one (which mini-os fits) does not.
TEST(BuildersAgree, TranslationCacheCapacityReachesTheVmmFromThePage) {
  for (const char* capacity : {"", R"(, "tc_capacity": 32)"}) {
    SCOPED_TRACE(capacity);
    Session s(disk_reader(TRAPEZE_SOURCE_DIR));
    std::string error;
    ASSERT_TRUE(s.load(std::string(R"({"version": 1, "guests": [{"name": "m", "file": "../guests/mini-os/mini-os.s",
                                       "memory": "1M", "strategy": "bt")") + capacity + "}]}",
                       "", &error))
        << error;
    const uint32_t want = *capacity ? 32 : vmm::kDefaultTcCapacity;
    ASSERT_NE(s.vmm()->guest(0).strategy->translation_cache(), nullptr);
    EXPECT_EQ(s.vmm()->guest(0).strategy->translation_cache()->capacity(), want);
    for (int k = 0; k < 100 && counter(s, 0, "vmm", "bt_instructions_translated") <= 200; ++k) s.run_cycles(100'000);
    ASSERT_GT(counter(s, 0, "vmm", "bt_instructions_translated"), 200u) << "enough code translated to overflow 32";
    if (*capacity)
      EXPECT_GT(counter(s, 0, "vmm", "bt_evictions"), 0u);
    else
      EXPECT_EQ(counter(s, 0, "vmm", "bt_evictions"), 0u);
    // And the document the page exports keeps it.
    EXPECT_EQ(nlohmann::json::parse(s.to_json())["guests"][0].contains("tc_capacity"), *capacity != 0);
  }
}

// "block" on the JavaScript API's path: with a queue of 2 a second command is
// taken while the first is served; with the default depth of 1 it is rejected.
TEST(BuildersAgree, BlockDeviceReachesTheVmmFromThePage) {
  for (uint32_t depth : {1u, 2u}) {
    SCOPED_TRACE(depth);
    const std::string json =
        R"({"version": 1, "guests": [{"name": "d", "strategy": "native", "source": "li r1, 1\nout PORT_BLK_COUNT, r1\nout PORT_BLK_CMD, r1\nout PORT_BLK_CMD, r1\nhalt\n")" +
        std::string(depth == 1 ? "" : R"(, "block": {"queue_depth": 2})") + "}]}";
    Session s(disk_reader(TRAPEZE_SOURCE_DIR));
    std::string error;
    ASSERT_TRUE(s.load(json, "", &error)) << error;
    EXPECT_EQ(s.vmm()->guest(0).config.block.queue_depth, depth);
    s.run_cycles(1'000'000);
    ASSERT_EQ(nlohmann::json::parse(state_json(s))["guests"][0]["state"], "halted");
    EXPECT_EQ(counter(s, 0, "machine", "blk_rejected"), depth == 1 ? 1u : 0u);
    EXPECT_EQ(counter(s, 0, "machine", "blk_requests"), depth == 1 ? 1u : 2u);
  }
}

// One strategy per guest: after a live switch every reader sees the new one (the
// document, the state JSON, a restart, a rebuild), and the image assembled
// afterwards is its build (pv: PV=1).
TEST(BuildersAgree, AStrategySwitchLeavesNoStaleCopy) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  ASSERT_TRUE(s.load(R"({"version": 1, "guests": [
      {"name": "a", "file": "../guests/io-driver/io-driver.s", "strategy": "trap"},
      {"name": "b", "file": "../guests/io-driver/io-driver.s", "strategy": "native"}]})", "", &error))
      << error;
  ASSERT_TRUE(s.set_strategy(0, vmm::StrategyKind::PV, &error)) << error;
  auto strategy_in_state = [&](size_t i) {
    return nlohmann::json::parse(state_json(s))["guests"][i]["strategy"].get<std::string>();
  };
  EXPECT_EQ(s.document().guests[0].strategy, vmm::StrategyKind::PV);
  EXPECT_EQ(strategy_in_state(0), "pv");
  ASSERT_TRUE(s.restart(0));
  EXPECT_EQ(s.strategy(0), vmm::StrategyKind::PV) << "a restart keeps the strategy it was switched to";
  ASSERT_TRUE(s.set_memory(1, 512u << 10, &error)) << error;  // rebuilds the VMM
  EXPECT_EQ(s.strategy(0), vmm::StrategyKind::PV);
  EXPECT_EQ(s.strategy(1), vmm::StrategyKind::NATIVE);
  // Re-assembled now, it is the para-virtual build scenario::build makes of the exported document.
  s.set_source(0, s.guest(0).source + "\n");
  ASSERT_TRUE(s.assemble(0)) << s.message();
  expect_same_both_ways(s.to_json(), "", kInlineSourceHome);
  ASSERT_TRUE(s.remove_guest(0, &error)) << error;
  EXPECT_EQ(s.strategy(0), vmm::StrategyKind::NATIVE) << "the strategies move with their guests";
}

}  // namespace
}  // namespace trapeze::session
