// Going back in time (session/rewind.h): stepping back k instructions lands where
// the run was k instructions earlier (state hash, counters, console), under every
// strategy and across a live strategy switch; run_back finds the previous trap;
// the history keeps within its memory budget.
#include "session/rewind.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "fuzz/diff_program.h"

#include "session/file_table.h"
#include "session/session.h"
#include "vmm/counters_json.h"

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

// A fresh session's VMM, to make a call the Session does not offer (a run with a break).
vmm::Vmm& mutable_vmm(Session& s) { return const_cast<vmm::Vmm&>(*s.vmm()); }

// Everything of a session's running state that can be compared: every guest's
// executed count, state hash, console and counters JSON, and the host's clock and
// event count.
std::string whole(const Session& s) {
  const vmm::Vmm& v = *s.vmm();
  std::string out = "host " + std::to_string(v.host_cycles()) + " events " + std::to_string(v.events().size()) + "\n";
  for (size_t i = 0; i < v.guest_count(); ++i) {
    const vmm::Guest& g = v.guest(i);
    out += "guest " + std::to_string(i) + ": " + std::to_string(g.executed) + " instructions, hash " +
           std::to_string(g.state_hash()) + ", state " + std::to_string(int(g.state)) + ", console [" + g.console() +
           "], counters " + vmm::counters_json(g.counters).dump() + "\n";
  }
  return out;
}

// What Session::run_cycles(cycles) calls, but with a break at guest g's
// instruction `target` in every call (the point is inside one of them).
void run_cycles_to(Session& s, uint64_t quantum, uint64_t cycles, size_t g, uint64_t target) {
  vmm::Vmm& v = mutable_vmm(s);
  const uint64_t slice = std::min<uint64_t>(quantum, 100'000);  // as Session::run_cycles slices
  uint64_t done = 0;
  while (done < cycles && !v.finished() && v.guest(g).executed < target) {
    const uint64_t budget = std::min(slice, cycles - done);
    const uint64_t used = v.run(budget, g, target);
    done += used ? used : budget;
  }
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
// does the same and then makes that run with a break at that instruction is.
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
      // The same call, with a break at that instruction (Vmm::run(budget, i, n)).
      mutable_vmm(fresh).run(2'999, 0, n - 3);
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

// The break itself (Vmm::run(budget, i, n)), under every strategy beside another
// guest: it stops guest i at exactly n instructions, still ready, and the next run
// goes on from there; a break that is not reached changes nothing.
TEST(Rewind, AVmmRunWithABreakStopsThereExactlyAndIsOtherwiseThePlainRun) {
  for (const vmm::StrategyInfo& info : vmm::kStrategies) {
    SCOPED_TRACE(std::string(info.name));
    const std::string json = R"({"version": 1, "name": "two", "quantum": 3000, "guests": [)"
                             R"({"name": "a", "file": "../guests/mini-os/mini-os.s", "memory": "1M", "strategy": ")" +
                             std::string(info.name) +
                             R"("}, {"name": "b", "file": "../guests/pagetable-churn/pagetable-churn.s", "memory": "1M", "strategy": "trap"}]})";
    auto started = [&] {
      auto s = std::make_unique<Session>(disk_reader(TRAPEZE_SOURCE_DIR));
      std::string error;
      EXPECT_TRUE(s->load(json, "scenarios/t.json", &error)) << error;
      s->run_cycles(10'000);
      return s;
    };
    auto a = started(), b = started(), c = started();
    ASSERT_TRUE(a->can_run(0));
    const uint64_t n = a->vmm()->guest(0).executed + 777;
    // (A slow start, as mini-os's under hw: several calls, each resuming.)
    for (int k = 0; k < 1000 && a->vmm()->guest(0).executed < n && a->vmm()->guest(0).ready(); ++k)
      mutable_vmm(*a).run(50'000, 0, n);
    EXPECT_EQ(a->vmm()->guest(0).executed, n);
    EXPECT_TRUE(a->vmm()->guest(0).ready());
    mutable_vmm(*a).run(50'000, 0, n);  // already there: nothing runs
    EXPECT_EQ(a->vmm()->guest(0).executed, n);
    for (int k = 0; k < 1000 && a->vmm()->guest(0).executed == n; ++k) mutable_vmm(*a).run(50'000);
    EXPECT_GT(a->vmm()->guest(0).executed, n) << "it goes on from its break";
    mutable_vmm(*b).run(50'000, 0, n + 100'000'000);
    mutable_vmm(*c).run(50'000);
    EXPECT_EQ(whole(*b), whole(*c));
  }
}

// Three guests under three strategies (one native, on a machine of its own), one
// of them switched half way: going back into the middle of a logged Vmm::run of
// any of them finds the whole session (every guest, the host) where a fresh one is
// that made the same calls and stopped there with the same break.
TEST(Rewind, GoingBackInsideARunFindsEveryGuestAsAFreshRunStoppedThere) {
  constexpr uint64_t kQuantum = 2'500;
  const std::string json = R"({"version": 1, "name": "three", "quantum": 2500, "guests": [)"
                           R"({"name": "a", "file": "../guests/mini-os/mini-os.s", "memory": "1M", "strategy": "trap"},)"
                           R"({"name": "b", "file": "../guests/pagetable-churn/pagetable-churn.s", "memory": "1M", "strategy": "hw"},)"
                           R"({"name": "c", "file": "../guests/wset/wset.s", "memory": "1M", "strategy": "native"}]})";
  for (size_t g = 0; g < 3; ++g) {
    SCOPED_TRACE("guest " + std::to_string(g));
    std::string error;
    Session s(disk_reader(TRAPEZE_SOURCE_DIR));
    ASSERT_TRUE(s.load(json, "scenarios/t.json", &error)) << error;
    s.rewind().settings.interval = 4'000;  // checkpoints inside the run, restored from
    s.run_cycles(20'000);
    ASSERT_TRUE(s.set_strategy(1, vmm::StrategyKind::BT, &error)) << error;
    const uint64_t switched_at = s.vmm()->guest(g).executed;
    s.run_cycles(20'000);
    for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(s.can_run(i)) << "guest " << i << " still runs";
    const uint64_t n = s.vmm()->guest(g).executed;
    ASSERT_GT(n, switched_at + 200);
    // Into the last logged run (step back), then into one in the middle (go to).
    for (const uint64_t target : {n - 1, n - 2, n - 3, switched_at + (n - switched_at) / 2, switched_at + 7}) {
      SCOPED_TRACE("to instruction " + std::to_string(target));
      if (target == n - 1 || target == n - 2 || target == n - 3) {
        ASSERT_TRUE(step_back(s, g)) << s.rewind().error();
      } else {
        ASSERT_TRUE(s.rewind().go_to(s, g, target)) << s.rewind().error();
      }
      ASSERT_EQ(s.vmm()->guest(g).executed, target);
      Session fresh(disk_reader(TRAPEZE_SOURCE_DIR));
      ASSERT_TRUE(fresh.load(json, "scenarios/t.json", &error));
      fresh.run_cycles(20'000);
      ASSERT_TRUE(fresh.set_strategy(1, vmm::StrategyKind::BT, &error));
      run_cycles_to(fresh, kQuantum, 20'000, g, target);
      EXPECT_EQ(whole(s), whole(fresh));
    }
  }
}

// run_back stops at a breakpoint too: the guest's previous arrival at a breakpoint
// line's address, when that is later than its previous trap, exit or console write.
TEST(Rewind, RunBackStopsAtThePreviousBreakpoint) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  // A loop with no traps: only the breakpoint on line 3 (add) can stop run_back.
  const std::string json =
      R"({"version": 1, "name": "t", "guests": [{"name": "g", "memory": "64K", "strategy": "trap", "source": )"
      R"("_start: li r1, 0\n li r2, 1\nloop: add r1, r1, r2\n add r3, r3, r2\n jmp loop\n"}]})";
  ASSERT_TRUE(s.load(json, "scenarios/t.json", &error)) << error;
  s.rewind().settings.interval = 2'000;
  s.run_cycles(10'000);
  const std::set<uint32_t> none = s.breakpoint_addresses(0);
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(run_back(s, 0)) << "no trap, exit, console write or breakpoint to go back to";
  s.set_breakpoints(0, {3});
  const std::set<uint32_t> stops = s.breakpoint_addresses(0);
  ASSERT_EQ(stops.size(), 1u);
  const uint32_t at = *stops.begin();
  // Where the guest was at that address, stepping forward: the last two times.
  std::vector<uint64_t> arrivals;
  for (int k = 0; k < 40; ++k) {
    if (s.vmm()->guest(0).vcpu.cpu.pc == at) arrivals.push_back(s.vmm()->guest(0).executed);
    ASSERT_TRUE(s.step(0));
  }
  ASSERT_GE(arrivals.size(), 3u);
  const uint64_t end = s.vmm()->guest(0).executed;
  if (s.vmm()->guest(0).vcpu.cpu.pc == at) arrivals.push_back(end);  // now: not a place to go back to
  const uint64_t last = arrivals.back() == end ? arrivals[arrivals.size() - 2] : arrivals.back();
  ASSERT_TRUE(run_back(s, 0)) << s.rewind().error();
  EXPECT_EQ(s.vmm()->guest(0).executed, last);
  EXPECT_EQ(s.vmm()->guest(0).vcpu.cpu.pc, at);
  ASSERT_TRUE(run_back(s, 0)) << s.rewind().error();
  EXPECT_EQ(s.vmm()->guest(0).executed, last - 3) << "one loop (3 instructions) earlier";
  EXPECT_EQ(s.vmm()->guest(0).vcpu.cpu.pc, at);
  // Into the logged runs before the steps, too: every 3 instructions back.
  for (int k = 0; k < 12; ++k) ASSERT_TRUE(run_back(s, 0)) << s.rewind().error();
  EXPECT_EQ(s.vmm()->guest(0).executed, last - 3 - 36);
  EXPECT_EQ(s.vmm()->guest(0).vcpu.cpu.pc, at);
}

// The random programs of the differential test, under every strategy: stepping
// back k times from N lands where a fresh run to N - k is (whole session).
TEST(Rewind, RandomProgramsOfTheDifferentialTestStepBackToAFreshRun) {
  int compared = 0;
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> bytes(200 + rng() % 1800);
    for (uint8_t& b : bytes) b = uint8_t(rng());
    const difftest::Program p = difftest::generate(bytes);
    for (const vmm::StrategyInfo& info : vmm::kStrategies) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " under " + std::string(info.name));
      const uint64_t quantum = p.quantum ? p.quantum : 50'000;
      nlohmann::ordered_json j;
      j["version"] = 1;
      j["quantum"] = quantum;
      j["guests"] = {{{"name", "r"}, {"source", difftest::source(p)}, {"memory", "64K"},
                      {"strategy", std::string(info.name)}}};
      std::string error;
      Session s(disk_reader(TRAPEZE_SOURCE_DIR));
      ASSERT_TRUE(s.load(j.dump(), "scenarios/t.json", &error)) << error;
      s.rewind().settings.interval = 1'500;
      const uint64_t cycles = 2'000 + seed * 900;
      s.run_cycles(cycles);
      const uint64_t n = s.vmm()->guest(0).executed;
      for (uint64_t k = 1; k <= 4 && k <= n; ++k) {
        ASSERT_TRUE(step_back(s, 0)) << s.rewind().error();
        Session fresh(disk_reader(TRAPEZE_SOURCE_DIR));
        ASSERT_TRUE(fresh.load(j.dump(), "scenarios/t.json", &error));
        run_cycles_to(fresh, quantum, cycles, 0, n - k);
        EXPECT_EQ(whole(s), whole(fresh)) << k << " steps back from " << n;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 10 * int(std::size(vmm::kStrategies)));
}

// The timeline (what the events panel draws every frame, newest `max` marks):
// one mark per kind that changed in each logged run, oldest first, and with a
// limit exactly the newest of the whole list.
TEST(Rewind, TheTimelineHoldsTheNewestMarksOldestFirst) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  ASSERT_TRUE(s.load(one_guest("guests/mini-os/mini-os.s", vmm::StrategyKind::TRAP), "scenarios/t.json", &error));
  auto marks = [&] {
    const vmm::Guest& g = s.vmm()->guest(0);
    uint64_t traps = 0;
    for (uint64_t t : g.counters.machine.traps) traps += t;
    return std::tuple(traps, g.counters.machine.intercepted, g.console().size());
  };
  std::vector<std::pair<MarkKind, uint64_t>> want;
  for (int k = 0; k < 400 && s.can_run(0); ++k) {
    const auto [t0, e0, c0] = marks();
    s.run_cycles(500);  // within one quantum: one logged run
    const auto [t1, e1, c1] = marks();
    const uint64_t at = s.vmm()->guest(0).executed;
    if (t1 != t0) want.push_back({MarkKind::Trap, at});
    if (e1 != e0) want.push_back({MarkKind::Exit, at});
    if (c1 != c0) want.push_back({MarkKind::Console, at});
  }
  ASSERT_GT(want.size(), 20u) << "mini-os traps and writes in its first 200 000 cycles";
  auto got = [&](size_t max) {
    std::vector<std::pair<MarkKind, uint64_t>> out;
    for (const TimelineMark& m : s.rewind().timeline(0, max)) out.push_back({m.kind, m.executed});
    return out;
  };
  EXPECT_EQ(got(want.size() + 10), want);
  for (size_t max : {size_t(0), size_t(1), size_t(2), size_t(3), size_t(7), want.size() / 2, want.size()})
    EXPECT_EQ(got(max), std::vector(want.end() - std::ptrdiff_t(max), want.end())) << max;
}

// Checkpoints reuse the memory of those thinned out: a state saved into a used
// buffer is the same bytes as one saved afresh, and restores to the same place.
TEST(Rewind, AStateSavedIntoAReusedBufferIsTheSameAsAFreshOne) {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR));
  std::string error;
  ASSERT_TRUE(s.load(one_guest("guests/mini-os/mini-os.s", vmm::StrategyKind::TRAP), "scenarios/t.json", &error));
  s.run_cycles(50'000);
  const std::vector<uint8_t> fresh = s.save_state();
  std::vector<uint8_t> used(fresh.size() * 2, 0xa5);  // longer, and full of other bytes
  const std::vector<uint8_t> reused = s.save_state(std::move(used));
  EXPECT_EQ(reused, fresh);
  const std::string there = whole(s);
  s.run_cycles(50'000);
  ASSERT_TRUE(s.restore_state(reused, &error)) << error;
  EXPECT_EQ(whole(s), there);
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
