// Nothing typed is lost: a scenario whose guest does not assemble still loads (that
// guest keeps its text and errors and does not run; the others run), exports and
// reloads as typed. Restart: back to the state of a fresh load, per guest and for
// all; running a finished guest restarts it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "session/file_table.h"
#include "session/session.h"
#include "session/state_json.h"

namespace trapeze::session {
namespace {

constexpr const char* kHalfTyped = "_start:\n        li r1, 0\n        bogus r1\n";

// Guest "a" counts forever; guest "b" is `b_source`.
std::string scenario_with(const std::string& b_source) {
  nlohmann::json j = {{"version", 1},
                      {"quantum", 5000},
                      {"guests",
                       {{{"name", "a"},
                         {"source", "_start: li r1, 0\nloop: add r1, r1, r1\n jmp loop\n"},
                         {"memory", "16K"}},
                        {{"name", "b"}, {"source", b_source}, {"memory", "16K"}}}}};
  return j.dump();
}

Session fresh() { return Session(disk_reader(TRAPEZE_SOURCE_DIR)); }

TEST(KeepTyped, ABrokenGuestLoadsWithItsTextAndErrorsAndTheOthersRun) {
  Session s = fresh();
  std::string error;
  ASSERT_TRUE(s.load(scenario_with(kHalfTyped), "", &error)) << error;
  ASSERT_EQ(s.guest_count(), 2u);
  EXPECT_TRUE(s.guest(0).has_image());
  EXPECT_FALSE(s.guest(1).has_image());
  EXPECT_EQ(s.guest(1).source, kHalfTyped);
  ASSERT_FALSE(s.guest(1).errors.empty());
  EXPECT_EQ(s.guest(1).errors[0].line, 3);
  EXPECT_EQ(s.guest(1).errors[0].col, 9);
  EXPECT_TRUE(s.guest(1).errors[0].in_source) << "the editor marks it on its line";
  EXPECT_NE(s.message().find("1 does not assemble"), std::string::npos) << s.message();

  // The guest without an image never runs; the other one does.
  s.set_all_running(true);
  EXPECT_FALSE(s.guest(1).running);
  EXPECT_FALSE(s.step(1));
  s.run_frame();
  s.run_cycles(20'000);
  EXPECT_GT(s.vmm()->guest(0).executed, 0u);
  EXPECT_EQ(s.vmm()->guest(1).executed, 0u);

  // State JSON: its errors as FILE:LINE:COL strings, and no image.
  const auto state = nlohmann::json::parse(state_json(s));
  EXPECT_EQ(state["guests"][1]["state"], "no image");
  ASSERT_EQ(state["guests"][1]["errors"].size(), s.guest(1).errors.size());
  EXPECT_EQ(state["guests"][1]["errors"][0], "guests/inline/b.s:3:9: " + s.guest(1).errors[0].message);
  EXPECT_TRUE(state["guests"][0]["errors"].empty());

  // The document keeps the text exactly; loading it again gives the same guest.
  const std::string doc = s.to_json();
  Session again = fresh();
  ASSERT_TRUE(again.load(doc, "", &error)) << error;
  EXPECT_EQ(again.guest(1).source, kHalfTyped);
  EXPECT_EQ(again.guest(1).errors.size(), s.guest(1).errors.size());
  EXPECT_EQ(again.to_json(), doc);
}

TEST(KeepTyped, FixingTheBrokenGuestGivesItAnImageThatRuns) {
  Session s = fresh();
  std::string error;
  ASSERT_TRUE(s.load(scenario_with(kHalfTyped), "", &error)) << error;
  s.set_source(1, "_start: li r1, 'y'\n out PORT_CONSOLE, r1\n halt\n");
  ASSERT_TRUE(s.assemble(1)) << s.message();
  EXPECT_TRUE(s.guest(1).errors.empty());
  s.set_running(1, true);
  s.run_frame();
  EXPECT_EQ(s.vmm()->guest(1).console(), "y");
}

TEST(KeepTyped, EditingWithoutAssemblingIsSavedAsTypedAndReloads) {
  Session s = fresh();
  std::string error;
  ASSERT_TRUE(s.load(scenario_with("_start: halt\n"), "", &error)) << error;
  s.set_source(1, "_start: halt\nbogus r1");  // typed, never assembled
  Session again = fresh();
  ASSERT_TRUE(again.load(s.to_json(), "", &error)) << error;
  EXPECT_EQ(again.guest(1).source, "_start: halt\nbogus r1");
  ASSERT_FALSE(again.guest(1).errors.empty());
  EXPECT_EQ(again.guest(1).errors[0].line, 2);
}

TEST(KeepTyped, AnUnreadableFileIsThatGuestsErrorNotTheScenarios) {
  Session s = fresh();
  std::string error;
  ASSERT_TRUE(s.load(R"({"version":1,"guests":[{"name":"m","file":"../guests/mini-os/mini-os.s"},
                                               {"name":"gone","file":"../guests/none.s"}]})",
                     "scenarios/x.json", &error))
      << error;
  EXPECT_TRUE(s.guest(0).has_image());
  ASSERT_EQ(s.guest(1).errors.size(), 1u);
  EXPECT_EQ(s.guest(1).errors[0].format(), "guests[1].file: cannot read \"guests/none.s\"");
  // It is still a file guest in the document.
  EXPECT_EQ(nlohmann::json::parse(s.to_json())["guests"][1]["file"], "../guests/none.s");
}

// The U/K-bit preset: three real guests that halt.
Session preset() {
  Session s = fresh();
  std::string error;
  const auto text = disk_reader(TRAPEZE_SOURCE_DIR)("scenarios/uk-bit-problem.json");
  EXPECT_TRUE(text);
  EXPECT_TRUE(s.load(*text, "scenarios/uk-bit-problem.json", &error)) << error;
  return s;
}

std::vector<uint64_t> hashes(const Session& s) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < s.guest_count(); ++i) out.push_back(s.vmm()->guest(i).state_hash());
  return out;
}

void run_to_the_end(Session& s) {
  for (int k = 0; k < 200 && !s.vmm()->finished(); ++k) s.run_cycles(10'000'000);
  ASSERT_TRUE(s.vmm()->finished());
}

TEST(Restart, OneGuestGoesBackToTheFreshLoadStateAndTheOthersStay) {
  const std::vector<uint64_t> loaded = hashes(preset());
  Session s = preset();
  run_to_the_end(s);
  const std::vector<uint64_t> ran = hashes(s);
  ASSERT_NE(ran[1], loaded[1]) << "running changes the state (else the test proves nothing)";
  const uint64_t other_cycles = s.vmm()->guest(2).counters.machine.cycles;
  ASSERT_TRUE(s.restart(1)) << s.message();
  EXPECT_EQ(s.vmm()->guest(1).state_hash(), loaded[1]);
  EXPECT_EQ(s.vmm()->guest(1).executed, 0u);
  EXPECT_TRUE(s.vmm()->guest(1).ready());
  EXPECT_EQ(s.vmm()->guest(2).state_hash(), ran[2]) << "the others are untouched";
  EXPECT_EQ(s.vmm()->guest(2).counters.machine.cycles, other_cycles);
  // It runs to the same end again.
  run_to_the_end(s);
  EXPECT_EQ(hashes(s), ran);
}

TEST(Restart, AllGoBackToTheFreshLoadState) {
  Session first = preset();
  const std::vector<uint64_t> loaded = hashes(first);
  Session s = preset();
  run_to_the_end(s);
  ASSERT_NE(hashes(s), loaded);
  ASSERT_TRUE(s.restart_all()) << s.message();
  EXPECT_EQ(hashes(s), loaded);
  EXPECT_EQ(s.vmm()->host_cycles(), first.vmm()->host_cycles());
}

TEST(Restart, RunningAFinishedGuestRestartsIt) {
  Session s = preset();
  run_to_the_end(s);
  const std::vector<uint64_t> ran = hashes(s);
  EXPECT_FALSE(s.any_running());
  // One guest's Run.
  s.set_running(0, true);
  EXPECT_TRUE(s.can_run(0));
  EXPECT_TRUE(s.any_running());
  EXPECT_EQ(s.vmm()->guest(0).executed, 0u);
  EXPECT_FALSE(s.can_run(1)) << "only that guest restarted";
  // Run all with nothing left to run restarts them all.
  s.set_all_running(false);
  run_to_the_end(s);
  s.set_all_running(true);
  for (size_t i = 0; i < s.guest_count(); ++i) EXPECT_TRUE(s.can_run(i)) << i;
  run_to_the_end(s);
  EXPECT_EQ(hashes(s), ran);
}

TEST(Restart, AGuestWithoutAnImageCannotRestartOrRun) {
  Session s = fresh();
  std::string error;
  ASSERT_TRUE(s.load(scenario_with(kHalfTyped), "", &error)) << error;
  EXPECT_FALSE(s.restart(1));
  s.set_running(1, true);
  EXPECT_FALSE(s.guest(1).running);
  EXPECT_NE(s.message().find("does not assemble"), std::string::npos) << s.message();
  EXPECT_TRUE(s.restart_all()) << "the others restart; it keeps its text and errors";
  EXPECT_EQ(s.guest(1).source, kHalfTyped);
  EXPECT_FALSE(s.guest(1).errors.empty());
}

TEST(SessionSpeed, TheScenarioSetsTheStartingSpeed) {
  Session s = fresh();
  std::string error;
  ASSERT_TRUE(s.load(R"({"version":1,"speed":20000,"guests":[{"source":"_start: halt\n"}]})", "", &error))
      << error;
  EXPECT_EQ(s.speed.cycles_per_frame, 20000u);
  EXPECT_NE(s.to_json().find("\"speed\": 20000"), std::string::npos) << "it stays in the document";
  ASSERT_TRUE(s.load(R"({"version":1,"guests":[{"source":"_start: halt\n"}]})", "", &error)) << error;
  EXPECT_EQ(s.speed.cycles_per_frame, Speed{}.cycles_per_frame) << "absent: the default";
}

}  // namespace
}  // namespace trapeze::session
