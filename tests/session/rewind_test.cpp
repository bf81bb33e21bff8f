// Going back in time (session/rewind.h): stepping back k instructions lands where
// the run was k instructions earlier (state hash, counters, console), under every
// strategy and across a live strategy switch; run_back finds the previous trap;
// the history keeps within its memory budget.
#include "session/rewind.h"

#include <gtest/gtest.h>

#include "session/file_table.h"
#include "session/session.h"

namespace trapeze::session {
namespace {

constexpr const char* kGuests[] = {
    "guests/mini-os/mini-os.s",       "guests/fork-like/fork-like.s",   "guests/io-driver/io-driver.s",
    "guests/loadgen/loadgen.s",       "guests/microkernel/microkernel.s", "guests/mode-check/mode-check.s",
    "guests/monolithic/monolithic.s", "guests/pagetable-churn/pagetable-churn.s", "guests/wset/wset.s",
    "guests/nano/syscall.s",          "guests/nano/pgfault.s",          "guests/nano/divzero.s",
};

std::string one_guest(const std::string& file, vmm::StrategyKind k) {
  return R"({"version": 1, "name": "t", "quantum": 3000, "guests": [{"name": "g", "file": "../)" + file +
         R"(", "memory": "1M", "strategy": ")" + std::string(vmm::strategy_name(k)) + R"("}]})";
}

struct Point {
  uint64_t executed, hash;
  vmm::GuestCounters counters;
  std::string console;
};
Point point(const Session& s, size_t i = 0) {
  const vmm::Guest& g = s.vmm()->guest(i);
  return {g.executed, g.state_hash(), g.counters, g.console()};
}

// The other strategy a guest switches to half way (pv runs PV builds only: it stays).
vmm::StrategyKind other(vmm::StrategyKind k) {
  using vmm::StrategyKind;
  switch (k) {
    case StrategyKind::NATIVE: return StrategyKind::NATIVE;
    case StrategyKind::PV: return StrategyKind::PV;
    case StrategyKind::TRAP: return StrategyKind::BT;
    default: return StrategyKind::TRAP;
  }
}

// Forward: run, switch strategy, run, then step k times noting each point; back:
// step_back k times and find every point again, exactly (the steps are logged
// one by one, so each point is a logged boundary).
TEST(Rewind, StepBackRetracesEveryStepUnderEveryStrategyAndGuest) {
  for (const char* file : kGuests) {
    for (const vmm::StrategyInfo& info : vmm::kStrategies) {
      SCOPED_TRACE(std::string(file) + " under " + std::string(info.name));
      Session s(disk_reader(TRAPEZE_SOURCE_DIR));
      std::string error;
      ASSERT_TRUE(s.load(one_guest(file, info.kind), "scenarios/t.json", &error)) << error;
      s.rewind().settings.interval = 7'000;  // checkpoints inside the run, and restored from
      s.run_cycles(40'000);
      ASSERT_TRUE(s.set_strategy(0, other(info.kind), &error)) << error;
      s.run_cycles(30'000);
      if (!s.can_run(0)) continue;  // finished already: nothing to step
      std::vector<Point> before;
      for (int k = 0; k < 5 && s.can_run(0); ++k) {
        before.push_back(point(s));
        s.step(0);
      }
      for (size_t k = before.size(); k-- > 0;) {
        ASSERT_TRUE(step_back(s, 0)) << s.rewind().error();
        const Point p = point(s);
        EXPECT_EQ(p.executed, before[k].executed);
        EXPECT_EQ(p.hash, before[k].hash);
        EXPECT_EQ(p.console, before[k].console);
        EXPECT_TRUE(p.counters == before[k].counters) << "counters differ " << k << " steps back";
      }
    }
  }
}

// Stepping back into the middle of a logged run lands where a fresh session that
// does the same and then steps the guest to that instruction is.
TEST(Rewind, StepBackIntoARunEqualsAFreshRunToThatInstruction) {
  for (const char* file : kGuests) {
    for (const vmm::StrategyInfo& info : vmm::kStrategies) {
      SCOPED_TRACE(std::string(file) + " under " + std::string(info.name));
      const std::string json = one_guest(file, info.kind);
      Session s(disk_reader(TRAPEZE_SOURCE_DIR));
      std::string error;
      ASSERT_TRUE(s.load(json, "scenarios/t.json", &error)) << error;
      s.rewind().settings.interval = 1'000;
      s.run_cycles(5'000);
      ASSERT_TRUE(s.set_strategy(0, other(info.kind), &error));
      if (!s.can_run(0)) continue;  // a short guest, finished already
      const uint64_t switched_at = s.vmm()->guest(0).executed;
      s.run_cycles(2'999);  // inside one quantum: one logged Vmm::run
      const uint64_t n = s.vmm()->guest(0).executed;
      if (n <= switched_at + 3) continue;  // it finished in there
      for (int k = 0; k < 3; ++k) ASSERT_TRUE(step_back(s, 0)) << s.rewind().error();

      Session fresh(disk_reader(TRAPEZE_SOURCE_DIR));
      ASSERT_TRUE(fresh.load(json, "scenarios/t.json", &error));
      fresh.run_cycles(5'000);
      ASSERT_TRUE(fresh.set_strategy(0, other(info.kind), &error));
      while (fresh.vmm()->guest(0).executed < n - 3) ASSERT_TRUE(fresh.step(0));
      const Point a = point(s), b = point(fresh);
      EXPECT_EQ(a.executed, n - 3);
      EXPECT_EQ(a.executed, b.executed);
      EXPECT_EQ(a.hash, b.hash);
      EXPECT_EQ(a.console, b.console);
      EXPECT_TRUE(a.counters == b.counters);
    }
  }
}

// Two guests under different strategies, run together, switched, stepped in turn:
// going back guest by guest finds both guests as they were at each step.
TEST(Rewind, StepBackWithTwoGuestsFindsBothAsTheyWere) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  const std::string json = R"({"version": 1, "name": "two", "quantum": 2000, "guests": [)"
                           R"({"name": "a", "file": "../guests/mini-os/mini-os.s", "memory": "1M", "strategy": "trap"},)"
                           R"({"name": "b", "file": "../guests/pagetable-churn/pagetable-churn.s", "memory": "1M", "strategy": "hw"}]})";
  ASSERT_TRUE(s.load(json, "scenarios/t.json", &error)) << error;
  s.rewind().settings.interval = 3'000;
  s.run_cycles(30'000);
  ASSERT_TRUE(s.set_strategy(1, vmm::StrategyKind::BT, &error)) << error;
  s.run_cycles(20'000);
  ASSERT_TRUE(s.can_run(0) && s.can_run(1));
  struct Both {
    Point a, b;
  };
  auto both = [&] { return Both{point(s, 0), point(s, 1)}; };
  std::vector<std::pair<size_t, Both>> before;  // the guest stepped, and both before it
  for (const size_t g : {0, 0, 1, 1, 0, 1}) {
    before.push_back({g, both()});
    ASSERT_TRUE(s.step(g));
  }
  for (size_t k = before.size(); k-- > 0;) {
    ASSERT_TRUE(step_back(s, before[k].first)) << s.rewind().error();
    const Both now = both();
    for (const auto& [got, want] : {std::pair(now.a, before[k].second.a), std::pair(now.b, before[k].second.b)}) {
      EXPECT_EQ(got.executed, want.executed) << k;
      EXPECT_EQ(got.hash, want.hash) << k;
      EXPECT_EQ(got.console, want.console) << k;
      EXPECT_TRUE(got.counters == want.counters) << k;
    }
  }
}

// Forward one step at a time, noting where traps, exits and console bytes change;
// run_back lands just before the last instruction that changed one of them.
TEST(Rewind, RunBackFindsThePreviousTrap) {
  for (const vmm::StrategyInfo& info : vmm::kStrategies) {
    // A native guest runs on a machine of its own, whose counters its Guest sees
    // only when that machine hands them over: its traps are not marks.
    if (info.kind == vmm::StrategyKind::NATIVE) continue;
    SCOPED_TRACE(std::string(info.name));
    Session s(disk_reader(TRAPEZE_SOURCE_DIR));
    std::string error;
    ASSERT_TRUE(s.load(one_guest("guests/mini-os/mini-os.s", info.kind), "scenarios/t.json", &error));
    auto marks = [&] {
      const vmm::Guest& g = s.vmm()->guest(0);
      uint64_t traps = 0;
      for (uint64_t t : g.counters.machine.traps) traps += t;
      return std::tuple(traps, g.counters.machine.intercepted, g.console().size());
    };
    std::vector<uint64_t> events;  // the instruction counts just before each event
    for (int k = 0; k < 20000 && s.can_run(0); ++k) {
      const auto m = marks();
      const uint64_t at = s.vmm()->guest(0).executed;
      s.step(0);
      if (marks() != m) events.push_back(at);
    }
    ASSERT_GE(events.size(), 2u) << "mini-os traps in its first 20000 instructions";
    const uint64_t end = s.vmm()->guest(0).executed;
    ASSERT_TRUE(run_back(s, 0)) << s.rewind().error();
    EXPECT_EQ(s.vmm()->guest(0).executed, events.back()) << "from " << end;
    ASSERT_TRUE(run_back(s, 0)) << s.rewind().error();
    EXPECT_EQ(s.vmm()->guest(0).executed, events[events.size() - 2]);
    const auto m = marks();
    s.step(0);
    EXPECT_NE(marks(), m) << "the instruction run_back stops before is the one that traps";
  }
}

TEST(Rewind, TheHistoryStaysWithinItsMemoryBudget) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  // A guest that counts forever.
  const std::string json =
      R"({"version": 1, "name": "t", "guests": [{"name": "g", "memory": "64K", "strategy": "trap", "source": )"
      R"("_start: li r1, 0\n li r2, 1\nloop: add r1, r1, r2\n jmp loop\n"}]})";
  ASSERT_TRUE(s.load(json, "scenarios/t.json", &error)) << error;
  const size_t one = s.rewind().memory_bytes();  // the first checkpoint
  ASSERT_GT(one, 0u);
  s.rewind().settings.budget_bytes = 12 * one;
  s.rewind().settings.interval = 5'000;
  size_t most = 0;
  for (int k = 0; k < 400 && s.can_run(0); ++k) {
    s.run_cycles(20'000);
    most = std::max(most, s.rewind().memory_bytes());
  }
  EXPECT_LE(most, s.rewind().settings.budget_bytes);
  const uint64_t taken = s.vmm()->guest(0).executed / s.rewind().settings.interval;
  EXPECT_LT(s.rewind().checkpoint_count() * 4, taken) << "most of the checkpoints taken were thinned out";
  ASSERT_TRUE(s.rewind().available()) << s.rewind().error();
  EXPECT_GE(s.rewind().checkpoint_count(), 3u);
  // Still able to go back, and to the same place as a step forward from there.
  const uint64_t n = s.vmm()->guest(0).executed;
  ASSERT_TRUE(step_back(s, 0)) << s.rewind().error();
  EXPECT_EQ(s.vmm()->guest(0).executed, n - 1);
  const uint64_t back_hash = s.vmm()->guest(0).state_hash();
  s.step(0);
  ASSERT_TRUE(step_back(s, 0));
  EXPECT_EQ(s.vmm()->guest(0).state_hash(), back_hash);
}

}  // namespace
}  // namespace trapeze::session
