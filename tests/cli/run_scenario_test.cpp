// `trapeze run SCENARIO.json`: the real binary on scenarios (text and JSON output,
// the strategy override, limits, and errors with exit code 1).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/shell.h"
#include "vmm/strategy.h"

namespace {

using Output = ShellOutput;

// `trapeze run ARGS`
Output trapeze(const std::string& args) {
  return run_shell(std::string(TRAPEZE_CLI_PATH) + " run " + args + " 2>&1");
}

const std::string kTwoGuests =
    std::string(TRAPEZE_SOURCE_DIR) + "/tests/scenario/data/two-guests.json";

std::string write_scenario(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "trapeze_scenario_" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(CliRunScenario, PrintsEachGuestsConsoleAndCountersSideBySide) {
  const Output o = trapeze(kTwoGuests);
  ASSERT_EQ(o.exit_code, 0) << o.out;
  EXPECT_NE(o.out.find("--- guest 0 \"bare\" (native): halted ---"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("--- guest 1 \"virtualized\" (trap): halted ---"), std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("kernel: ticks"), std::string::npos);
  EXPECT_NE(o.out.find("emulated.rti"), std::string::npos);
  EXPECT_NE(o.out.find("host utilization"), std::string::npos);
}

TEST(CliRunScenario, JsonHasPerGuestAndTotalCountersAndEqualHashes) {
  const Output o = trapeze(kTwoGuests + " --json");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  const auto j = nlohmann::json::parse(o.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  ASSERT_EQ(j["guests"].size(), 2u);
  EXPECT_TRUE(j["finished"].get<bool>());
  const auto& a = j["guests"][0];
  const auto& b = j["guests"][1];
  EXPECT_EQ(a["strategy"], "native");
  EXPECT_EQ(b["strategy"], "trap");
  EXPECT_EQ(a["state"], "halted");
  EXPECT_EQ(a["state_hash"], b["state_hash"]);
  EXPECT_EQ(a["console"], b["console"]);
  EXPECT_EQ(a["counters"]["machine"]["instructions_user"],
            b["counters"]["machine"]["instructions_user"]);
  EXPECT_GT(b["counters"]["vmm"]["emulated"].get<uint64_t>(), 0u);
  EXPECT_GT(b["counters"]["vmm"]["emulated_by_op"]["rti"].get<uint64_t>(), 0u);
  EXPECT_GT(b["counters"]["vmm"]["reflected_by_cause"]["SYSCALL"].get<uint64_t>(), 0u);
  EXPECT_NEAR(b["utilization"].get<double>(), 1.0, 1e-9);
  EXPECT_EQ(j["totals"]["machine"]["cycles"].get<uint64_t>(),
            a["counters"]["machine"]["cycles"].get<uint64_t>() +
                b["counters"]["machine"]["cycles"].get<uint64_t>());
  EXPECT_EQ(j["host"]["cycles"], b["counters"]["machine"]["cycles"]);
}

// Every key path of a JSON object ("machine.traps.SYSCALL"), sorted.
std::vector<std::string> key_paths(const nlohmann::json& j, const std::string& prefix = "") {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_object())
      for (std::string& k : key_paths(*it, prefix + it.key() + ".")) out.push_back(std::move(k));
    else
      out.push_back(prefix + it.key());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One counters shape: a program on the bare machine (`trapeze run FILE.s`) and the
// same program as a native guest print their counters under the same keys, with
// the same machine counts.
TEST(CliRunScenario, BareMetalAndScenarioPrintTheSameCountersShape) {
  const std::string source = "_start: addi r1, r0, 'k'\n out PORT_CONSOLE, r1\n halt\n";
  const std::string file = write_scenario("bare.s", source);
  const Output bare = trapeze("--json " + file);
  ASSERT_EQ(bare.exit_code, 0) << bare.out;
  const std::string doc = write_scenario(
      "native.json", R"({"version": 1, "guests": [{"name": "n", "strategy": "native", "source": "_start: addi r1, r0, 'k'\n out PORT_CONSOLE, r1\n halt\n"}]})");
  const Output guest = trapeze(doc + " --json");
  ASSERT_EQ(guest.exit_code, 0) << guest.out;
  const auto b = nlohmann::json::parse(bare.out)["counters"];
  const auto g = nlohmann::json::parse(guest.out)["guests"][0]["counters"];
  EXPECT_EQ(key_paths(b), key_paths(g));
  EXPECT_GT(key_paths(b).size(), 100u);
  EXPECT_EQ(b["machine"]["instructions_kernel"], 3);
  EXPECT_EQ(b["machine"]["instructions_kernel"], g["machine"]["instructions_kernel"]);
  EXPECT_EQ(b["machine"]["port_out"], g["machine"]["port_out"]);
}

// The help offers every strategy of the table as available now (it once sent
// users to the issue that would bring two of them).
TEST(CliRunScenario, HelpOffersEveryStrategy) {
  const Output o = trapeze(kTwoGuests + " --help");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  for (const trapeze::vmm::StrategyInfo& info : trapeze::vmm::kStrategies)
    EXPECT_NE(o.out.find(std::string(info.name)), std::string::npos) << info.name;
  EXPECT_EQ(o.out.find("issue"), std::string::npos) << o.out;
}

TEST(CliRunScenario, StrategyOverrideAndLimits) {
  Output o = trapeze(kTwoGuests + " --json --strategy native");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  auto j = nlohmann::json::parse(o.out, nullptr, false);
  EXPECT_EQ(j["guests"][1]["strategy"], "native");
  o = trapeze(kTwoGuests + " --json --max-instr 100");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  j = nlohmann::json::parse(o.out, nullptr, false);
  EXPECT_EQ(j["guests"][0]["state"], "stopped");
  EXPECT_EQ(j["guests"][1]["executed"], 100);
  EXPECT_EQ(j["guests"][0]["state_hash"], j["guests"][1]["state_hash"]);
  o = trapeze(kTwoGuests + " --json --strategy hw-nested");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  j = nlohmann::json::parse(o.out, nullptr, false);
  EXPECT_EQ(j["guests"][0]["strategy"], "hw-nested");
  o = trapeze(kTwoGuests + " --strategy nope");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.out.find("unknown strategy 'nope'"), std::string::npos) << o.out;
}

// The U/K-bit scenario: bare metal and the para-virtual build agree; trap-and-emulate
// shows the documented failure.
TEST(CliRunScenario, UkBitScenarioUnderAllThreeStrategies) {
  Output o = trapeze(std::string(TRAPEZE_SOURCE_DIR) + "/scenarios/uk-bit-problem.json --json");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  auto j = nlohmann::json::parse(o.out, nullptr, false);
  ASSERT_EQ(j["guests"].size(), 3u);
  EXPECT_EQ(j["guests"][2]["strategy"], "pv");
  EXPECT_EQ(j["guests"][2]["console"], j["guests"][0]["console"]);
  EXPECT_NE(j["guests"][1]["console"], j["guests"][0]["console"]);
  EXPECT_GT(j["guests"][2]["counters"]["vmm"]["hc_get_psw"].get<uint64_t>(), 0u);
  EXPECT_EQ(j["guests"][2]["counters"]["vmm"]["sensitive_unprivileged"], 0);
}

nlohmann::json run_preset(const std::string& name) {
  const Output o = trapeze(std::string(TRAPEZE_SOURCE_DIR) + "/scenarios/" + name + " --json");
  EXPECT_EQ(o.exit_code, 0) << name << ": " << o.out;
  return nlohmann::json::parse(o.out, nullptr, false);
}

// Every preset the frontend offers runs to the end with `trapeze run`, and the
// guests that run the same kernel print the same (except the U/K-bit scenario,
// whose point is that they do not).
TEST(CliRunScenario, EveryPresetRunsToTheEnd) {
  int presets = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(TRAPEZE_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    ++presets;
    const nlohmann::json j = run_preset(name);
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j["finished"], true);
    ASSERT_GE(j["guests"].size(), 2u);
    for (const auto& g : j["guests"]) EXPECT_EQ(g["state"], "halted") << g["name"];
  }
  EXPECT_GE(presets, 6);
}

TEST(CliRunScenario, PresetsShowWhatTheyDescribe) {
  nlohmann::json j = run_preset("emulated-vs-pv-io.json");
  const auto& ports = j["guests"][0]["counters"];
  const auto& ring = j["guests"][1]["counters"];
  ASSERT_TRUE(ports.is_object() && ring.is_object());
  EXPECT_EQ(j["guests"][0]["console"], j["guests"][1]["console"]);
  EXPECT_LT(ring["vmm"]["emulated"].get<uint64_t>(), ports["vmm"]["emulated"].get<uint64_t>());
  EXPECT_GT(ring["vmm"]["hc_io_kick"].get<uint64_t>(), 0u);
  EXPECT_LT(ring["machine"]["cycles"].get<uint64_t>(), ports["machine"]["cycles"].get<uint64_t>());

  j = run_preset("shadow-vs-nested.json");
  const auto& shadow = j["guests"][0]["counters"]["machine"];
  const auto& nested = j["guests"][1]["counters"]["machine"];
  EXPECT_EQ(j["guests"][0]["console"], j["guests"][1]["console"]);
  EXPECT_LT(nested["vm_exits"].get<uint64_t>() * 5, shadow["vm_exits"].get<uint64_t>())
      << "nested paging removes the page-table exits";
  EXPECT_GT(nested["nested_walk_refs"].get<uint64_t>(), 0u);
  EXPECT_GT(nested["walk_refs"].get<uint64_t>(), shadow["walk_refs"].get<uint64_t>())
      << "but each TLB miss walks more";

  j = run_preset("one-guest-four-strategies.json");
  for (const auto& g : j["guests"]) EXPECT_EQ(g["console"], j["guests"][0]["console"]) << g["name"];

  j = run_preset("monolithic-vs-microkernel.json");
  EXPECT_GT(j["guests"][1]["counters"]["machine"]["traps"]["SYSCALL"].get<uint64_t>(),
            j["guests"][0]["counters"]["machine"]["traps"]["SYSCALL"].get<uint64_t>());
}

TEST(CliRunScenario, BadScenariosExitOneNamingTheFieldOrTheLine) {
  const std::string bad = write_scenario(
      "bad.json", R"({"version": 1, "guests": [{"source": "halt", "strategy": "foo"}]})");
  Output o = trapeze(bad);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.out, bad +
                       ": guests[0].strategy: unknown strategy \"foo\" (expected native, trap, pv, "
                       "bt, hw, hw-nested)\n");
  const std::string asm_error = write_scenario(
      "asm.json", R"({"version": 1, "guests": [{"name": "k", "source": "halt\n  frob r1\n"}]})");
  o = trapeze(asm_error);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.out.find("guest \"k\": guests[0].source:2:3: error:"), std::string::npos) << o.out;
  o = trapeze(::testing::TempDir() + "no_such_scenario.json");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.out.find("cannot read"), std::string::npos) << o.out;
}

}  // namespace
