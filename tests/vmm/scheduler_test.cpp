// The scheduler and the VMM's robustness: many guests share the host fairly, a
// guest that loops or faults forever only uses its quantum, a guest whose trap
// vector is unusable is stopped alone, and runs are deterministic.
#include <cmath>

#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {


TEST(Scheduler, EightGuestsRunTogetherAndShareTheHost) {
  std::vector<GuestConfig> guests;
  for (int i = 0; i < 8; ++i)
    guests.push_back(guest_config(worker(i), StrategyKind::TRAP, 64u << 10, numbered("g", i)));
  auto vmm = make_vmm(guests, /*quantum=*/20'000);
  ASSERT_TRUE(vmm && run_to_end(*vmm, 1'000'000));
  double sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    const Guest& g = vmm->guest(i);
    EXPECT_EQ(g.state, GuestState::Halted);
    EXPECT_EQ(g.console(), numbered("guest ", int(i)));
    EXPECT_GT(vmm->utilization(i), 0.08);
    EXPECT_GT(g.counters.vmm.world_switches, 2u) << "it never lost the CPU";
    EXPECT_GT(g.counters.vmm.virtual_interrupts, 2u);
    sum += vmm->utilization(i);
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  uint64_t charged = 0;
  for (size_t i = 0; i < 8; ++i) charged += vmm->guest(i).counters.machine.cycles;
  EXPECT_EQ(charged, vmm->host_cycles()) << "every host cycle is charged to a guest";
}

TEST(Scheduler, SixteenGuestsAtMostWithAClearError) {
  const assembler::Program p = worker(1, 10);
  std::vector<GuestConfig> guests(16, guest_config(p, StrategyKind::TRAP, 16u << 10));
  auto vmm = make_vmm(guests);
  ASSERT_TRUE(vmm && run_to_end(*vmm));
  guests.push_back(guest_config(p, StrategyKind::TRAP, 16u << 10));
  VmmConfig c;
  c.guests = guests;
  std::string error;
  EXPECT_FALSE(Vmm::create(c, &error));
  EXPECT_EQ(error, "guests: 17 guests (at most 16)");
}

// Guest 0 spins forever; guest 1 faults on every instruction (its divide-by-zero
// handler is the faulting instruction itself); guest 2 is ordinary. Each run()
// returns, guest 2 finishes, and the host is shared three ways meanwhile.
TEST(Scheduler, LoopsAndFaultStormsNeitherBlockTheHostNorStarveOthers) {
  const assembler::Program spin = assemble("spin: b spin\n");
  const assembler::Program storm = assemble(R"(
        la      r1, storm
        ldtvec  r1
storm:  div     r2, r2, r0
)");
  auto vmm = make_vmm({guest_config(spin, StrategyKind::TRAP, 16u << 10, "spin"),
                       guest_config(storm, StrategyKind::TRAP, 16u << 10, "storm"),
                       guest_config(worker(2), StrategyKind::TRAP, 64u << 10, "worker")},
                      /*quantum=*/10'000);
  ASSERT_TRUE(vmm);
  int calls = 0;
  while (vmm->guest(2).ready() && calls < 200) {
    const uint64_t used = vmm->run(100'000);
    EXPECT_GE(used, 100'000u);
    EXPECT_LT(used, 100'000u + 20'000u) << "a call overshot its budget";
    ++calls;
  }
  EXPECT_EQ(vmm->guest(2).state, GuestState::Halted);
  EXPECT_EQ(vmm->guest(0).state, GuestState::Ready);
  EXPECT_EQ(vmm->guest(1).state, GuestState::Ready);
  EXPECT_GT(vmm->guest(1).counters.vmm.reflected_by_cause[size_t(isa::Cause::DIVZERO)], 100u);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(vmm->utilization(i), 1.0 / 3, 0.1) << i;
}

// A trap vector that cannot be fetched: each trap delivered there faults again.
// The guest is stopped ("crashed") in the same state as its bare-metal twin; the
// others are unaffected.
TEST(Scheduler, ATripleFaultStopsOnlyThatGuest) {
  const assembler::Program bad = assemble(R"(
        li      r1, 0x80000         ; beyond its 16K of memory
        ldtvec  r1
        brk
)");
  auto vmm = make_vmm({guest_config(bad, StrategyKind::TRAP, 16u << 10, "bad"),
                       guest_config(worker(1), StrategyKind::TRAP, 64u << 10, "good"),
                       guest_config(bad, StrategyKind::NATIVE, 16u << 10, "bad-native")});
  ASSERT_TRUE(vmm && run_to_end(*vmm));
  const Guest& g = vmm->guest(0);
  EXPECT_EQ(g.state, GuestState::Crashed);
  EXPECT_NE(g.reason.find("triple fault"), std::string::npos) << g.reason;
  EXPECT_EQ(vmm->guest(2).state, GuestState::Crashed);
  EXPECT_EQ(g.vcpu.cpu, vmm->guest(2).vcpu.cpu);
  EXPECT_EQ(g.state_hash(), vmm->guest(2).state_hash());
  EXPECT_EQ(vmm->guest(1).state, GuestState::Halted);
  EXPECT_EQ(vmm->guest(1).console(), "guest 1");
  bool logged = false;
  for (const Event& e : vmm->events().events())
    logged |= e.kind == EventKind::CRASH && e.guest == 0 &&
              describe(e).find("triple fault") != std::string::npos;
  EXPECT_TRUE(logged);
}

// Instruction limits stop a virtualized guest exactly where bare metal stops.
TEST(Scheduler, InstructionLimitsStopAtTheSameInstructionAsBareMetal) {
  const assembler::Program k = assemble_file("tests/vmm/guests/kernel.s");
  for (uint64_t limit : {1ull, 77ull, 5'000ull, 12'345ull}) {
    GuestConfig a = guest_config(k, StrategyKind::NATIVE), b = guest_config(k, StrategyKind::TRAP);
    a.max_instructions = b.max_instructions = limit;
    auto vmm = make_vmm({a, b});
    ASSERT_TRUE(vmm && run_to_end(*vmm));
    EXPECT_EQ(vmm->guest(1).state, GuestState::Stopped) << limit;
    EXPECT_EQ(vmm->guest(0).executed, limit);
    EXPECT_EQ(vmm->guest(1).executed, limit);
    expect_same_guest_state(vmm->guest(0), vmm->guest(1));
  }
}

struct Snapshot {
  std::vector<GuestCounters> counters;
  std::vector<uint64_t> hashes;
  std::vector<std::string> consoles;
  uint64_t host_cycles;
  std::vector<Event> events;
  bool operator==(const Snapshot&) const = default;
};

Snapshot run_mixed(uint64_t budget) {
  std::vector<GuestConfig> guests;
  const assembler::Program k = assemble_file("tests/vmm/guests/kernel.s");
  for (int i = 0; i < 3; ++i)
    guests.push_back(
        guest_config(worker(i, 5000 + 1000 * i), StrategyKind::TRAP, 64u << 10, numbered("w", i)));
  guests.push_back(guest_config(k, StrategyKind::TRAP, 256u << 10, "kernel"));
  guests.push_back(guest_config(k, StrategyKind::NATIVE, 256u << 10, "native"));
  auto vmm = make_vmm(guests, 13'331);
  EXPECT_TRUE(run_to_end(*vmm, budget, 100'000));
  Snapshot s;
  for (size_t i = 0; i < vmm->guest_count(); ++i) {
    s.counters.push_back(vmm->guest(i).counters);
    s.hashes.push_back(vmm->guest(i).state_hash());
    s.consoles.push_back(vmm->guest(i).console());
  }
  s.host_cycles = vmm->host_cycles();
  s.events = vmm->events().events();
  return s;
}

TEST(Scheduler, RunsAreDeterministicWhateverTheBudgetPerCall) {
  const Snapshot a = run_mixed(1'000'000);
  EXPECT_EQ(a, run_mixed(1'000'000));
  // Slicing the same run into other per-call budgets changes nothing (the native
  // guest's own machine runs `budget` per call alongside, and slices exactly too).
  const Snapshot b = run_mixed(3'001);
  EXPECT_EQ(a.counters, b.counters);
  EXPECT_EQ(a.hashes, b.hashes);
  EXPECT_EQ(a.host_cycles, b.host_cycles);
}

}  // namespace
}  // namespace trapeze::vmm::testing
