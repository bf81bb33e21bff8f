// The bare-metal reference runs: the console comparison itself, the U/K-bit
// problem lighting up under trap-and-emulate only, the para-virtual guest compared
// with its native build, and the references following their guests through
// re-assembly, live strategy switches and run_frame().
#include "session/reference_run.h"

#include <gtest/gtest.h>

#include "session/file_table.h"
#include "session/session.h"

namespace trapeze::session {
namespace {

using Status = ConsoleDiff::Status;

TEST(CompareConsole, OutputNotYetPrintedIsNoDifference) {
  EXPECT_EQ(compare_console("ab", false, "abcd", false).status, Status::SameSoFar);
  EXPECT_EQ(compare_console("abcd", false, "ab", false).status, Status::SameSoFar);
  EXPECT_EQ(compare_console("abcd", true, "abcd", true).status, Status::Same);
  EXPECT_EQ(compare_console("", false, "", true).status, Status::SameSoFar);
}

TEST(CompareConsole, FindsTheFirstDifferingByteItsLineAndTheReferenceLine) {
  const ConsoleDiff d = compare_console("one\ntwo user\nthree\n", false, "one\ntwo kernel\nthree\n", false);
  ASSERT_EQ(d.status, Status::Differs);
  EXPECT_EQ(d.byte, 8u);  // "one\ntwo " is 8 bytes
  EXPECT_EQ(d.line, 1u);
  EXPECT_EQ(d.line_start, 4u);
  EXPECT_EQ(d.reference_line, "two kernel");
}

TEST(CompareConsole, WhatOnlyOneSidePrintedDiffersOnceTheOtherHasFinished) {
  // The guest stopped early: the reference printed a line it never will.
  ConsoleDiff d = compare_console("a\n", true, "a\nb\n", false);
  ASSERT_EQ(d.status, Status::Differs);
  EXPECT_EQ(d.byte, 2u);
  EXPECT_EQ(d.line, 1u);
  EXPECT_EQ(d.reference_line, "b");
  // The guest printed more than bare metal ever did.
  d = compare_console("a\nextra\n", false, "a\n", true);
  ASSERT_EQ(d.status, Status::Differs);
  EXPECT_EQ(d.byte, 2u);
  EXPECT_EQ(d.reference_line, "");
}

// mode-check once under each strategy named.
std::string mode_check_under(std::initializer_list<const char*> strategies) {
  std::string json = R"({"version": 1, "name": "uk", "quantum": 20000, "guests": [)";
  bool first = true;
  for (const char* s : strategies) {
    json += std::string(first ? "" : ",") + R"({"name": ")" + s +
            R"(", "file": "../guests/mode-check/mode-check.s", "memory": "64K", "strategy": ")" + s + R"("})";
    first = false;
  }
  return json + "]}";
}

Session loaded(const std::string& json, const std::string& path = "scenarios/test.json") {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  EXPECT_TRUE(s.load(json, path, &error)) << error;
  return s;
}

void run_to_halt(Session& s) {
  for (int i = 0; i < 200 && !s.vmm()->finished(); ++i) s.run_cycles(10'000'000, 60'000);
  ASSERT_TRUE(s.vmm()->finished());
}

TEST(ReferenceRuns, TheUkBitProblemDiffersUnderTrapAndEmulateOnly) {
  Session s = loaded(mode_check_under({"native", "trap", "pv", "bt", "hw", "hw-nested"}));
  run_to_halt(s);
  ReferenceRuns refs;
  refs.sync(s);
  refs.run_to_completion(s, 50'000'000);

  EXPECT_EQ(refs.reference(0), nullptr) << "bare metal is its own reference";
  EXPECT_EQ(refs.diff(s, 0).status, Status::None);

  const ConsoleDiff trap = refs.diff(s, 1);
  ASSERT_EQ(trap.status, Status::Differs);
  EXPECT_EQ(trap.line, 0u);
  EXPECT_EQ(trap.reference_line, "mode-check: running in kernel mode");
  const std::string& out = s.vmm()->guest(1).console();
  EXPECT_EQ(out.substr(trap.line_start, out.find('\n') - trap.line_start),
            "mode-check: running in user mode (rdpsw saw U=1)");
  EXPECT_EQ(out.substr(0, trap.byte), "mode-check: running in ") << "the first byte that differs";
  EXPECT_FALSE(refs.reference(1)->without_pv) << "trap runs the very image bare metal runs";

  for (size_t i = 2; i < s.guest_count(); ++i) {
    SCOPED_TRACE(s.guest(i).spec.name);
    EXPECT_EQ(refs.diff(s, i).status, Status::Same);
    EXPECT_TRUE(refs.reference(i)->finished());
    EXPECT_EQ(refs.reference(i)->console(), s.vmm()->guest(0).console());
  }
  // The para-virtual guest runs its PV=1 build; its reference is the native build.
  EXPECT_TRUE(refs.reference(2)->without_pv);
  EXPECT_FALSE(refs.reference(3)->without_pv);
}

TEST(ReferenceRuns, AParaVirtualBuildOnBareMetalIsNotAnHonestReference) {
  // What the reference avoids: the PV=1 image itself on bare metal, where its
  // first hypercall is illegal, does not print what the native build prints.
  std::string json = mode_check_under({"native"});
  json.insert(json.find(R"("memory")"), R"("defines": {"PV": 1}, )");
  Session pv_on_bare_metal = loaded(json);
  pv_on_bare_metal.run_cycles(2'000'000);
  Session native = loaded(mode_check_under({"native"}));
  run_to_halt(native);
  EXPECT_NE(pv_on_bare_metal.vmm()->guest(0).console(), native.vmm()->guest(0).console());
  EXPECT_EQ(native.vmm()->guest(0).console().rfind("mode-check: running in kernel mode\n", 0), 0u);
}

TEST(ReferenceRuns, FollowTheirGuestsThroughReassemblyAndSwitches) {
  Session s = loaded(mode_check_under({"trap", "pv"}));
  ReferenceRuns refs;
  refs.sync(s);
  const ReferenceRun* first = refs.reference(0);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(first->machine, nullptr) << first->error;

  // A live switch keeps the reference (the image is the same); to native drops it.
  std::string error;
  ASSERT_TRUE(s.set_strategy(0, vmm::StrategyKind::BT, &error)) << error;
  refs.sync(s);
  EXPECT_EQ(refs.reference(0), first);
  ASSERT_TRUE(s.set_strategy(0, vmm::StrategyKind::NATIVE, &error)) << error;
  refs.sync(s);
  EXPECT_EQ(refs.reference(0), nullptr);
  ASSERT_TRUE(s.set_strategy(0, vmm::StrategyKind::TRAP, &error)) << error;
  refs.sync(s);
  ASSERT_NE(refs.reference(0), nullptr);

  // Re-assembled with another message: a new reference, built from the new source.
  std::string src = s.guest(0).source;
  const std::string from = "running in kernel mode", to = "running in KERNEL mode";
  src.replace(src.find(from), from.size(), to);
  s.set_source(0, src);
  ASSERT_TRUE(s.assemble(0));
  refs.sync(s);
  ASSERT_NE(refs.reference(0), nullptr);
  EXPECT_EQ(refs.reference(0)->source, src);
  run_to_halt(s);
  refs.run_to_completion(s, 50'000'000);
  EXPECT_NE(refs.reference(0)->console().find(to), std::string::npos);
  EXPECT_EQ(refs.diff(s, 0).status, Status::Differs) << "trap still sees U=1";
  EXPECT_EQ(refs.diff(s, 0).reference_line, "mode-check: " + to);
}

TEST(ReferenceRuns, StayInStepWithTheirGuestsAndCostNothingWhilePaused) {
  Session s = loaded(mode_check_under({"trap"}));
  for (int i = 0; i < 5; ++i) s.run_frame();  // the guest is paused and has printed nothing
  const ReferenceRun* ref = s.references().reference(0);
  ASSERT_NE(ref, nullptr);
  const std::string ahead = ref->console();
  const uint64_t executed = ref->machine->guest(0).executed;
  EXPECT_FALSE(ahead.empty()) << "it runs until it has printed more than its guest";
  EXPECT_LT(ahead.size(), 30u) << "and then stops: " << ahead;
  for (int i = 0; i < 50; ++i) s.run_frame();
  EXPECT_EQ(ref->machine->guest(0).executed, executed) << "nothing runs while it is ahead";
  EXPECT_EQ(s.references().diff(s, 0).status, Status::SameSoFar);
}

TEST(ReferenceRuns, RunFrameBringsTheReferenceToTheDifference) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  ASSERT_TRUE(s.load(*disk_reader(TRAPEZE_SOURCE_DIR)("scenarios/uk-bit-problem.json"),
                     "scenarios/uk-bit-problem.json", &error))
      << error;
  s.set_all_running(true);
  for (int i = 0; i < 10'000 && !(s.vmm()->finished() && s.references().diff(s, 1).status == Status::Differs);
       ++i)
    s.run_frame();
  ASSERT_TRUE(s.vmm()->finished());
  ASSERT_EQ(s.references().diff(s, 1).status, Status::Differs);
  EXPECT_EQ(s.references().diff(s, 1).reference_line, "mode-check: running in kernel mode");
  for (int i = 0; i < 10'000 && s.references().diff(s, 2).status != Status::Same; ++i) s.run_frame();
  EXPECT_EQ(s.references().diff(s, 2).status, Status::Same);
}

// What the presets' descriptions promise: every virtualized guest prints what
// bare metal prints, except mode-check under trap-and-emulate.
TEST(ReferenceRuns, EveryPresetMatchesBareMetalExceptTheUkBitProblemUnderTrap) {
  const auto files = disk_reader(TRAPEZE_SOURCE_DIR);
  for (const char* name : {"uk-bit-problem", "one-guest-four-strategies", "two-guests-sharing-a-cpu",
                           "shadow-vs-nested", "emulated-vs-pv-io", "monolithic-vs-microkernel"}) {
    SCOPED_TRACE(name);
    const std::string path = std::string("scenarios/") + name + ".json";
    Session s(files);
    std::string error;
    ASSERT_TRUE(s.load(*files(path), path, &error)) << error;
    run_to_halt(s);
    ReferenceRuns refs;
    refs.sync(s);
    refs.run_to_completion(s, 500'000'000);
    for (size_t i = 0; i < s.guest_count(); ++i) {
      SCOPED_TRACE(s.guest(i).spec.name);
      const bool native = s.vmm()->guest(i).strategy_kind() == vmm::StrategyKind::NATIVE;
      const bool uk_trap = std::string(name) == "uk-bit-problem" &&
                           s.vmm()->guest(i).strategy_kind() == vmm::StrategyKind::TRAP;
      EXPECT_FALSE(s.vmm()->guest(i).console().empty());
      EXPECT_EQ(refs.diff(s, i).status, native ? Status::None : uk_trap ? Status::Differs : Status::Same);
    }
  }
}

}  // namespace
}  // namespace trapeze::session
