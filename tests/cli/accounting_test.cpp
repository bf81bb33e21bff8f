// Where the cycles went (core/vmm/cycle_accounting.h), through `trapeze run --json`:
// every preset in scenarios/, as written and with every guest overridden to each
// strategy. For every guest the accounting adds up to its cycles; bare metal has no
// transitions and no VMM work; and each strategy's transitions are exactly the
// crossings its own counters say it made, priced by the cost table — so booking a
// cost to the wrong account, or not at all, fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/shell.h"
#include "machine/cost_model.h"
#include "vmm/strategy.h"

namespace {

using machine_cost = trapeze::machine::CostEvent;

uint64_t cost(machine_cost e) { return trapeze::machine::CostModel{}[e]; }

std::vector<std::string> presets() {
  std::vector<std::string> out;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(TRAPEZE_SOURCE_DIR) + "/scenarios"))
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json run_json(const std::string& file, const std::string& strategy) {
  const std::string args = file + " --json" + (strategy.empty() ? "" : " --strategy " + strategy);
  const ShellOutput o = run_shell(std::string(TRAPEZE_CLI_PATH) + " run " + args + " 2>&1");
  EXPECT_EQ(o.exit_code, 0) << args << "\n" << o.out;
  auto j = nlohmann::json::parse(o.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << args << "\n" << o.out;
  return j;
}

uint64_t u(const nlohmann::json& j) { return j.get<uint64_t>(); }

// The checks every guest of every run must pass; `what` names it in failures.
void check_guest(const nlohmann::json& g, const std::string& what) {
  SCOPED_TRACE(what + " guest \"" + g["name"].get<std::string>() + "\" (" +
               g["strategy"].get<std::string>() + ")");
  const auto& a = g["accounting"];
  const auto& m = g["counters"]["machine"];
  const auto& v = g["counters"]["vmm"];
  const uint64_t guest = u(a["guest"]), transitions = u(a["transitions"]), vmm = u(a["vmm"]);
  EXPECT_EQ(u(a["total"]), guest + transitions + vmm);
  EXPECT_EQ(u(a["total"]), u(m["cycles"]));
  EXPECT_GT(guest, 0u);
  const std::string strategy = g["strategy"];
  const uint64_t switches = u(v["world_switches"]) * cost(machine_cost::WORLD_SWITCH);
  if (strategy == "native") {
    EXPECT_EQ(transitions, 0u);
    EXPECT_EQ(vmm, 0u);
  } else if (strategy == "trap" || strategy == "bt") {
    // Every trap the host handed the VMM is one TRAP_ENTRY (no hypercalls here);
    // binary translation also takes, as a trap, the fetch fault of a callout whose
    // code the shadow does not map yet (the host never ran it).
    const uint64_t traps = u(m["intercepted"]) * cost(machine_cost::TRAP_ENTRY) + switches;
    if (strategy == "trap") {
      EXPECT_EQ(transitions, traps);
      EXPECT_GT(transitions, switches);  // every guest here has a privileged instruction
    }
    EXPECT_GE(transitions, traps);
    EXPECT_EQ((transitions - switches) % cost(machine_cost::TRAP_ENTRY), 0u);
    EXPECT_GT(vmm, 0u);
    // Everything the VMM charged is a transition or VMM work (vmm_cycles, an older
    // counter, adds them up independently).
    EXPECT_EQ(transitions + vmm, u(v["vmm_cycles"]));
  } else if (strategy == "pv") {
    const uint64_t hypercalls = u(m["traps"]["HYPERCALL"]);
    EXPECT_GT(hypercalls, 0u);
    EXPECT_EQ(transitions, (u(m["intercepted"]) - hypercalls) * cost(machine_cost::TRAP_ENTRY) +
                               hypercalls * cost(machine_cost::HYPERCALL) + switches);
    EXPECT_EQ(transitions + vmm, u(v["vmm_cycles"]));
  } else if (strategy == "hw" || strategy == "hw-nested") {
    // No traps into the VMM: its crossings are the VM exits and entries.
    EXPECT_EQ(transitions, u(m["vm_exits"]) * cost(machine_cost::VM_EXIT) +
                               u(m["vm_entries"]) * cost(machine_cost::VM_ENTRY) + switches);
    EXPECT_EQ(vmm + switches, u(v["vmm_cycles"]));
    // Port I/O (its console) exits, and those exits are transitions, not guest time.
    EXPECT_GT(u(m["vm_exits_by_reason"]["IO"]), 0u);
    EXPECT_GE(transitions, u(m["vm_exits_by_reason"]["IO"]) *
                               (cost(machine_cost::VM_EXIT) + cost(machine_cost::VM_ENTRY)));
  } else {
    ADD_FAILURE() << "a strategy this test does not know: " << strategy;
  }
}

TEST(CliAccounting, EveryPresetUnderEveryStrategyAddsUpAndBooksItsCrossings) {
  const std::vector<std::string> files = presets();
  ASSERT_GE(files.size(), 6u);
  std::vector<std::string> strategies = {""};  // as the preset says
  for (const auto& s : trapeze::vmm::kStrategies) strategies.emplace_back(s.name);
  for (const std::string& file : files) {
    for (const std::string& strategy : strategies) {
      const std::string what = std::filesystem::path(file).filename().string() + " --strategy " +
                               (strategy.empty() ? "(preset)" : strategy);
      const nlohmann::json j = run_json(file, strategy);
      if (j.is_discarded()) continue;
      ASSERT_TRUE(j["finished"].get<bool>()) << what;
      for (const auto& g : j["guests"]) check_guest(g, what);
    }
  }
}

// The student's question: early in one-guest-four-strategies (its first 20,000
// instructions), the hardware-assisted mini-os costs many times trap-and-emulate's
// cycles per instruction. The accounting says why: the same instructions cost
// both about the same (`guest`), and the difference is in `transitions` — a VM exit
// and an entry per console byte.
TEST(CliAccounting, HardwareAssistedStartUpGoesToTransitions) {
  const nlohmann::json j = run_json(
      std::string(TRAPEZE_SOURCE_DIR) + "/scenarios/one-guest-four-strategies.json --max-instr 20000",
      "");
  ASSERT_FALSE(j.is_discarded());
  const nlohmann::json* trap = nullptr;
  const nlohmann::json* hw = nullptr;
  for (const auto& g : j["guests"]) {
    if (g["strategy"] == "trap") trap = &g;
    if (g["strategy"] == "hw") hw = &g;
  }
  ASSERT_TRUE(trap && hw);
  const auto& ta = (*trap)["accounting"];
  const auto& ha = (*hw)["accounting"];
  EXPECT_GT(u(ha["transitions"]), u(ha["guest"]) + u(ha["vmm"]));
  EXPECT_GT(u(ha["transitions"]), 10 * u(ta["transitions"]));
  EXPECT_GT(u((*hw)["counters"]["machine"]["vm_exits_by_reason"]["IO"]), 0u);
  // The same guest, the same instructions: its own time is nearly the same.
  EXPECT_LT(u(ha["guest"]), u(ta["guest"]) * 12 / 10);
  EXPECT_LT(u(ta["guest"]), u(ha["guest"]) * 12 / 10);
}

TEST(CliAccounting, TextOutputShowsTheAccounts) {
  const ShellOutput o = run_shell(std::string(TRAPEZE_CLI_PATH) + " run " +
                                  std::string(TRAPEZE_SOURCE_DIR) +
                                  "/scenarios/shadow-vs-nested.json 2>&1");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  for (const char* row : {"accounting.guest", "accounting.transitions", "accounting.vmm",
                          "accounting.total"})
    EXPECT_NE(o.out.find(row), std::string::npos) << row << "\n" << o.out;
  EXPECT_NE(o.out.find("%)"), std::string::npos) << o.out;
}

}  // namespace
