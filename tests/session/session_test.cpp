// The Session: load, run under a frame budget, per-guest pause and step, edit and
// re-assemble one guest (errors kept, old image running), strategy switches,
// add/remove/duplicate, history, the JSON it exports and the state JSON.
#include "session/session.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "session/file_table.h"
#include "session/state_json.h"

namespace trapeze::session {
namespace {

// A guest that counts forever: `loop` is line 4.
constexpr const char* kCounter =
    "_start:\\n"
    "        li r1, 0\\n"
    "        li r2, 1\\n"
    "loop:   add r1, r1, r2\\n"
    "        jmp loop\\n";

std::string two_counters(const char* second_strategy = "native") {
  return std::string(R"({"version": 1, "name": "two", "quantum": 5000, "guests": [)") +
         R"({"name": "a", "source": ")" + kCounter + R"(", "memory": "16K", "strategy": "trap"},)" +
         R"({"name": "b", "source": ")" + kCounter + R"(", "memory": "16K", "strategy": ")" +
         second_strategy + R"("}]})";
}

Session loaded(const std::string& json) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  EXPECT_TRUE(s.load(json, "", &error)) << error;
  return s;
}

uint64_t insns(const Session& s, size_t i) {
  return s.vmm()->guest(i).counters.machine.instructions();
}

TEST(Session, LoadsAPresetFromFilesAndRunsOnlyTheRunningGuests) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  ASSERT_TRUE(s.load("{}", "scenarios/uk-bit-problem.json", &error) == false);
  EXPECT_NE(error.find("version"), std::string::npos) << error;
  ASSERT_TRUE(s.load(two_counters(), "", &error)) << error;
  EXPECT_EQ(s.guest_count(), 2u);
  s.set_running(0, true);
  s.run_frame();
  EXPECT_GT(insns(s, 0), 0u);
  EXPECT_EQ(insns(s, 1), 0u) << "a paused guest must not run";
  s.set_all_running(true);
  s.run_frame();
  EXPECT_GT(insns(s, 1), 0u);
}

TEST(Session, PresetScenarioFilesResolveBesideTheScenario) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  const auto text = disk_reader(TRAPEZE_SOURCE_DIR)("scenarios/uk-bit-problem.json");
  ASSERT_TRUE(text);
  ASSERT_TRUE(s.load(*text, "scenarios/uk-bit-problem.json", &error)) << error;
  EXPECT_EQ(s.guest(0).origin, "guests/mode-check/mode-check.s");
  EXPECT_FALSE(s.guest(0).source.empty());
  // The same guests as scenario::build makes of the file, every field
  // (tests/session/builders_agree_test.cpp does this for every preset).
  scenario::LoadOptions o{"scenarios/uk-bit-problem.json", disk_reader(TRAPEZE_SOURCE_DIR), ""};
  const auto built = scenario::build(*scenario::parse(*text, &error), o, &error);
  ASSERT_TRUE(built) << error;
  ASSERT_EQ(built->guests.size(), s.guest_count());
  for (size_t i = 0; i < s.guest_count(); ++i) EXPECT_TRUE(*s.guest(i).image.config == built->guests[i]) << i;
  EXPECT_TRUE(s.vmm()->config() == static_cast<const vmm::VmmSettings&>(*built));
}

TEST(Session, FrameStopsAtTheWallBudget) {
  double fake = 0;
  Session s(disk_reader(TRAPEZE_SOURCE_DIR), [&] { return fake += 0.001; });  // 1 ms per look
  std::string error;
  ASSERT_TRUE(s.load(two_counters("trap"), "", &error)) << error;
  s.set_all_running(true);
  s.speed.cycles_per_frame = 1'000'000'000;
  s.speed.budget_ms = 5;
  const FrameWork w = s.run_frame();
  EXPECT_TRUE(w.budget_hit);
  EXPECT_GT(w.cycles, 0u);
  EXPECT_LT(w.cycles, s.speed.cycles_per_frame);
  s.speed.budget_ms = 1e9;
  s.speed.cycles_per_frame = 20'000;
  const FrameWork v = s.run_frame();
  EXPECT_FALSE(v.budget_hit);
  EXPECT_GE(v.cycles, 20'000u);
}

TEST(Session, StepRunsOneInstructionOfThatGuestOnly) {
  Session s = loaded(two_counters("trap"));
  for (size_t g : {0u, 1u}) {
    const uint64_t mine = s.vmm()->guest(g).executed, other = s.vmm()->guest(1 - g).executed;
    ASSERT_TRUE(s.step(g));
    EXPECT_EQ(s.vmm()->guest(g).executed, mine + 1);
    EXPECT_EQ(s.vmm()->guest(1 - g).executed, other);
  }
  // A native guest steps too, and the pc walks the program.
  Session n = loaded(two_counters("native"));
  const uint32_t pc = n.vmm()->guest(1).vcpu.cpu.pc;
  ASSERT_TRUE(n.step(1));
  EXPECT_NE(n.vmm()->guest(1).vcpu.cpu.pc, pc);
  EXPECT_EQ(n.vmm()->guest(1).executed, 1u);
  EXPECT_EQ(n.vmm()->guest(0).executed, 0u);
}

TEST(Session, BadSourceKeepsItsErrorsAndTheOldImageRuns) {
  Session s = loaded(two_counters());
  s.set_source(0, "_start:\n        li r1, 0\n        bogus r1\n        jmp nowhere\n");
  EXPECT_TRUE(s.guest(0).dirty());
  EXPECT_FALSE(s.assemble(0));
  ASSERT_GE(s.guest(0).errors.size(), 2u);
  EXPECT_EQ(s.guest(0).errors[0].line, 3);
  EXPECT_GE(s.guest(0).errors[0].col, 1);
  EXPECT_TRUE(s.guest(0).errors[0].in_source);
  EXPECT_NE(s.guest(0).errors[0].format().find(":3:"), std::string::npos);
  EXPECT_NE(s.guest(0).source.find("bogus"), std::string::npos) << "the text is kept";
  s.set_all_running(true);
  s.run_frame();
  EXPECT_GT(insns(s, 0), 0u) << "the old image keeps running";
  // Fixed: it assembles, the errors go, and the new image runs.
  s.set_source(0, "_start:\n        li r1, 'x'\n        out PORT_CONSOLE, r1\n        halt\n");
  const uint64_t other = s.vmm()->guest(1).executed;
  ASSERT_GT(other, 0u);
  ASSERT_TRUE(s.assemble(0)) << s.message();
  EXPECT_EQ(s.vmm()->guest(1).executed, other) << "reloading guest 0 must not restart guest 1";
  EXPECT_EQ(s.vmm()->guest(0).executed, 0u) << "guest 0 restarts from its new image";
  EXPECT_TRUE(s.guest(0).errors.empty());
  EXPECT_FALSE(s.guest(0).dirty());
  s.run_frame();
  EXPECT_EQ(s.vmm()->guest(0).console(), "x");
  EXPECT_EQ(s.vmm()->guest(0).state, vmm::GuestState::Halted);
}

TEST(Session, StrategySwitchChangesTheGuestsStrategy) {
  Session s = loaded(two_counters("trap"));
  s.run_cycles(30'000);
  const uint64_t ran = s.vmm()->guest(1).executed, other = s.vmm()->guest(0).executed;
  const uint32_t pc = s.vmm()->guest(1).vcpu.cpu.pc;
  ASSERT_GT(ran, 0u);
  const uint64_t changes = s.change_count();
  std::string error;
  ASSERT_TRUE(s.set_strategy(1, vmm::StrategyKind::PV, &error)) << error;
  EXPECT_EQ(s.vmm()->guest(1).executed, ran) << "switched live: its state carries over";
  EXPECT_EQ(s.vmm()->guest(1).vcpu.cpu.pc, pc);
  EXPECT_EQ(s.vmm()->guest(0).executed, other);
  // To bare metal, live too.
  ASSERT_TRUE(s.set_strategy(1, vmm::StrategyKind::NATIVE, &error)) << error;
  EXPECT_EQ(s.vmm()->guest(1).executed, ran);
  EXPECT_EQ(s.vmm()->guest(1).strategy_kind(), vmm::StrategyKind::NATIVE);
  EXPECT_GT(s.change_count(), changes);
  s.set_all_running(true);
  s.run_frame();
  EXPECT_GT(insns(s, 1), 0u);
}

TEST(Session, AddRemoveDuplicateKeepTheDocumentConsistent) {
  Session s = loaded(two_counters());
  std::string error;
  ASSERT_TRUE(s.add_guest_file("guests/nano/syscall.s", &error)) << error;
  EXPECT_EQ(s.guest(2).spec.name, "syscall");
  EXPECT_EQ(s.guest(2).spec.file, "../guests/nano/syscall.s");
  ASSERT_TRUE(s.duplicate_guest(0, &error)) << error;
  EXPECT_EQ(s.guest(3).spec.name, "a copy");
  ASSERT_TRUE(s.duplicate_guest(0, &error)) << error;
  EXPECT_EQ(s.guest(4).spec.name, "a copy 2");
  ASSERT_TRUE(s.remove_guest(1, &error)) << error;
  EXPECT_EQ(s.guest_count(), 4u);
  EXPECT_EQ(s.vmm()->guest_count(), 4u);
  EXPECT_EQ(s.vmm()->guest(1).config.name, "syscall");
  EXPECT_FALSE(s.add_guest_file("guests/none.s", &error));
  EXPECT_NE(error.find("cannot read"), std::string::npos);
  // The last guest cannot go.
  Session one = loaded(R"({"version":1,"guests":[{"source":"halt\n"}]})");
  EXPECT_FALSE(one.remove_guest(0, &error));
  // The exported document loads back to the same guests.
  Session again(disk_reader(TRAPEZE_SOURCE_DIR));
  ASSERT_TRUE(again.load(s.to_json(), "", &error)) << error;
  ASSERT_EQ(again.guest_count(), s.guest_count());
  for (size_t i = 0; i < s.guest_count(); ++i) {
    EXPECT_EQ(again.guest(i).spec.name, s.guest(i).spec.name);
    EXPECT_EQ(again.guest(i).source, s.guest(i).source);
  }
}

TEST(Session, EditedFileGuestsExportInlineAndStillFindTheirIncludes) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  ASSERT_TRUE(s.load(R"({"version":1,"guests":[{"name":"m","file":"../guests/mini-os/mini-os.s"}]})",
                     "scenarios/x.json", &error))
      << error;
  s.set_source(0, s.guest(0).source + "\n; edited\n");
  ASSERT_TRUE(s.assemble(0)) << s.message();
  const auto doc = nlohmann::json::parse(s.to_json());
  ASSERT_TRUE(doc["guests"][0].contains("source"));
  EXPECT_FALSE(doc["guests"][0].contains("file"));
  Session again(disk_reader(TRAPEZE_SOURCE_DIR));
  ASSERT_TRUE(again.load(s.to_json(), "", &error)) << error;  // its .include "../lib/..." resolve
}

TEST(Session, MemoryChangeRebuildsAndTooSmallIsRefused) {
  Session s = loaded(two_counters());
  std::string error;
  ASSERT_TRUE(s.set_memory(0, 32u << 10, &error)) << error;
  EXPECT_EQ(s.vmm()->guest(0).config.memory_bytes, 32u << 10);
  Session big(disk_reader(TRAPEZE_SOURCE_DIR));
  ASSERT_TRUE(big.load(R"({"version":1,"guests":[{"name":"m","file":"../guests/mini-os/mini-os.s"}]})",
                       "scenarios/x.json", &error))
      << error;
  EXPECT_FALSE(big.set_memory(0, 4096, &error));
  EXPECT_NE(error.find("fit"), std::string::npos) << error;
  EXPECT_EQ(big.vmm()->guest(0).config.memory_bytes, scenario::kDefaultMemory);
}

TEST(Session, BreakpointPausesTheGuestOnItsLine) {
  Session s = loaded(two_counters());
  s.set_breakpoints(0, {5});  // jmp loop
  s.set_all_running(true);
  s.run_frame();
  EXPECT_FALSE(s.guest(0).running);
  const auto* line = s.guest(0).image.program.line_at(s.vmm()->guest(0).vcpu.cpu.pc);
  ASSERT_TRUE(line);
  EXPECT_EQ(line->line, 5);
  EXPECT_TRUE(s.guest(1).running);
}

// A breakpoint on a macro's use stops at the expansion's first instruction, and
// only there: resuming runs the rest of the expansion (and the guest resumes and
// steps at all: a stopped guest used to stay paused in the VMM).
TEST(Session, BreakpointOnAMacroLineStopsAtItsFirstInstruction) {
  Session s = loaded(
      R"({"version": 1, "guests": [{"name": "m", "memory": "16K", "source": )"
      R"(".macro TWO\n    addi r1, r1, 1\n    addi r1, r1, 1\n.endm\n_start:\n    li r1, 0\n)"
      R"(loop: TWO\n    jmp loop\n"}]})");
  const uint32_t first = s.guest(0).image.program.symbol("loop").value();
  s.set_breakpoints(0, {7});  // loop: TWO
  for (int round = 1; round <= 2; ++round) {
    s.set_all_running(true);
    s.run_frame();
    ASSERT_FALSE(s.guest(0).running) << "round " << round;
    EXPECT_EQ(s.vmm()->guest(0).vcpu.cpu.pc, first) << "round " << round;
    EXPECT_EQ(s.vmm()->guest(0).vcpu.cpu.r[1], uint32_t(2 * (round - 1))) << "round " << round;
  }
  // Stepping from the stop runs the macro's next instruction.
  ASSERT_TRUE(s.step(0));
  EXPECT_EQ(s.vmm()->guest(0).vcpu.cpu.pc, first + 4);
  EXPECT_EQ(s.vmm()->guest(0).vcpu.cpu.r[1], 3u);
}

TEST(Session, HistorySamplesAndRates) {
  double t = 0;
  Session s(disk_reader(TRAPEZE_SOURCE_DIR), [&] { return t; });
  std::string error;
  ASSERT_TRUE(s.load(two_counters("trap"), "", &error)) << error;
  s.set_all_running(true);
  s.speed.budget_ms = 1e9;
  s.speed.cycles_per_frame = 10'000;
  for (int f = 0; f < 30; ++f) {
    t += 0.125;  // exact in binary: every frame is past the 0.1 s sampling interval
    s.run_frame();
  }
  const History& h = s.guest(0).history;
  EXPECT_GE(h.size(), 30u);
  const Rates r = h.recent_rates();
  EXPECT_GT(r.instructions, 0);
  EXPECT_GT(r.cycles_per_instruction, 0);
  EXPECT_GE(h.latest()->instructions, h.at(0).instructions);
}

TEST(Session, StateJsonHasEveryCounterByName) {
  Session s = loaded(two_counters("trap"));
  s.run_cycles(50'000);
  const auto j = nlohmann::json::parse(state_json(s));
  EXPECT_GT(j["hostCycles"].get<uint64_t>(), 0u);
  ASSERT_EQ(j["guests"].size(), 2u);
  const auto& g = j["guests"][0];
  EXPECT_EQ(g["name"], "a");
  EXPECT_EQ(g["strategy"], "trap");
  EXPECT_EQ(g["state"], "ready");
  // The one counters shape, as `trapeze run SCENARIO.json --json` prints it.
  for (const auto& info : machine::kCounterInfo) EXPECT_TRUE(g["counters"]["machine"].contains(info.name));
  for (const auto& info : vmm::kVmmCounterInfo) EXPECT_TRUE(g["counters"]["vmm"].contains(info.name));
  EXPECT_EQ(g["counters"]["machine"]["traps"].size(), 10u);
  EXPECT_TRUE(g["counters"]["vmm"].contains("emulated_by_op"));
  EXPECT_GT(g["counters"]["machine"]["instructions_kernel"].get<uint64_t>(), 0u);
  EXPECT_GT(g["counters"]["vmm"]["world_switches"].get<uint64_t>(), 0u);
  EXPECT_EQ(g["accounting"]["total"], g["counters"]["machine"]["cycles"]);
  EXPECT_GE(g["utilization"].get<double>(), 0.0);
}

TEST(FileTable, NormalizesPathsAndReadsTheTable) {
  EXPECT_EQ(normalize_path("scenarios/../guests/a.s"), "guests/a.s");
  EXPECT_EQ(normalize_path("./a//b/"), "a/b");
  EXPECT_EQ(normalize_path("../x"), "../x");
  static const BundledFile files[] = {{"guests/a.s", "halt\n"}, {"scenarios/p.json", "{}"}};
  auto read = table_reader(files);
  EXPECT_EQ(*read("scenarios/../guests/a.s"), "halt\n");
  EXPECT_FALSE(read("../guests/a.s"));
  EXPECT_EQ(list_files(files, "scenarios/", ".json"), std::vector<std::string>{"scenarios/p.json"});
}

}  // namespace
}  // namespace trapeze::session
