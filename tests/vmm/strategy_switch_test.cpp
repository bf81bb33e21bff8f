// Switching a running guest from one strategy to another (Vmm::set_strategy) and
// re-imaging one guest while the others run (Vmm::reload_guest): whatever the
// schedule of switches, the guest ends exactly as it does on bare metal, and the
// other guests never notice.
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

// The guest's bare-metal run, alone.
std::unique_ptr<Vmm> run_alone(const GuestConfig& g) {
  GuestConfig native = g;
  native.strategy = StrategyKind::NATIVE;
  auto vmm = make_vmm({native});
  if (vmm) run_to_end(*vmm, 50'000'000, 100);
  return vmm;
}

TEST(StrategySwitch, EveryGuestEndsAsOnBareMetalWhateverTheSwitches) {
  const std::vector<StrategyKind> kinds = every_strategy();
  ASSERT_GE(kinds.size(), 3u);
  for (const std::string& path : guest_sources()) {
    // mode-check is meant to differ under trap-and-emulate (sensitive_test.cpp).
    if (path.find("mode-check") != std::string::npos) continue;
    SCOPED_TRACE(path);
    const assembler::Program p = assemble_file(path);
    if (::testing::Test::HasFailure()) return;
    GuestConfig g = guest_config(p, kinds[0], 1u << 20);
    g.max_instructions = 100'000'000;
    auto reference = run_alone(g);
    ASSERT_TRUE(reference && reference->finished());

    // Small slices, and a switch after each, round the table of strategies
    // (starting from each in turn for different guests): switches land in the
    // middle of whatever the kernel is doing — page-table updates, device
    // requests in flight, a pending timer.
    const size_t first = path.size() % kinds.size();
    g.strategy = kinds[first];
    auto vmm = make_vmm({g});
    ASSERT_TRUE(vmm);
    // About forty slices of its bare-metal run (an odd size, so switches do not
    // fall on round numbers), however long the guest is.
    const uint64_t slice_cycles = reference->guest(0).counters.machine.cycles / 40 + 1;
    size_t next = first, switches = 0;
    for (int slice = 0; slice < 100'000 && !vmm->finished(); ++slice) {
      vmm->run(slice_cycles | 1);
      if (!vmm->finished()) {
        next = (next + 1) % kinds.size();
        std::string error;
        ASSERT_TRUE(vmm->set_strategy(0, kinds[next], &error)) << error;
        ++switches;
      }
    }
    ASSERT_TRUE(vmm->finished());
    ASSERT_GE(switches, 2u);
    const Guest& switched = vmm->guest(0);
    expect_same_guest_state(reference->guest(0), switched);
    EXPECT_EQ(switched.counters.vmm.strategy_switches, switches);
  }
}

TEST(StrategySwitch, IsLoggedAndRefusesWhatCannotRun) {
  const assembler::Program p = assemble_file("guests/mini-os/mini-os.s");
  auto vmm = make_vmm({guest_config(p, StrategyKind::TRAP, 1u << 20)});
  ASSERT_TRUE(vmm);
  vmm->run(200'000);
  std::string error;
  EXPECT_TRUE(vmm->set_strategy(0, StrategyKind::NATIVE, &error)) << error;
  EXPECT_EQ(vmm->guest(0).strategy_kind(), StrategyKind::NATIVE);
  const Event& e = vmm->events().at(vmm->events().size() - 1);
  EXPECT_EQ(e.kind, EventKind::STRATEGY_SWITCH);
  EXPECT_EQ(e.a, uint32_t(StrategyKind::TRAP));
  EXPECT_EQ(e.b, uint32_t(StrategyKind::NATIVE));
  EXPECT_NE(describe(e).find("from trap to native"), std::string::npos) << describe(e);

  EXPECT_FALSE(vmm->set_strategy(1, StrategyKind::TRAP, &error));
  EXPECT_EQ(error, "no guest 1");
  EXPECT_EQ(vmm->guest(0).counters.vmm.strategy_switches, 1u);
}

TEST(StrategySwitch, TheOtherGuestNeverNotices) {
  const assembler::Program os = assemble_file("guests/mini-os/mini-os.s");
  const assembler::Program churn = assemble_file("guests/pagetable-churn/pagetable-churn.s");
  GuestConfig other = guest_config(churn, StrategyKind::TRAP, 1u << 20, "other");
  auto alone = make_vmm({other});
  ASSERT_TRUE(alone && run_to_end(*alone, 50'000'000, 100));

  auto vmm = make_vmm({guest_config(os, StrategyKind::TRAP, 1u << 20, "flipped"), other});
  ASSERT_TRUE(vmm);
  const std::vector<StrategyKind> kinds = every_strategy();
  for (int slice = 0; slice < 100'000 && !vmm->finished(); ++slice) {
    vmm->run(100'003);
    if (vmm->guest(0).ready()) vmm->set_strategy(0, kinds[slice % kinds.size()], nullptr);
  }
  ASSERT_TRUE(vmm->finished());
  const Guest& a = alone->guest(0);
  const Guest& b = vmm->guest(1);
  EXPECT_EQ(a.console(), b.console());
  EXPECT_EQ(a.state_hash(), b.state_hash());
  EXPECT_EQ(a.vcpu.clock, b.vcpu.clock);
}

TEST(ReloadGuest, ReimagesOneGuestAndLeavesTheOthersRunning) {
  const assembler::Program os = assemble_file("guests/mini-os/mini-os.s");
  const assembler::Program churn = assemble_file("guests/pagetable-churn/pagetable-churn.s");
  GuestConfig first = guest_config(os, StrategyKind::TRAP, 1u << 20, "edited");
  GuestConfig other = guest_config(os, StrategyKind::PV, 1u << 20, "other");
  auto vmm = make_vmm({first, other});
  ASSERT_TRUE(vmm);
  for (int i = 0; i < 5; ++i) vmm->run(100'000);
  const uint64_t other_clock = vmm->guest(1).vcpu.clock;
  ASSERT_GT(other_clock, 0u);

  // The student edits guest 0 and re-assembles: it restarts from the new image.
  GuestConfig edited = guest_config(churn, StrategyKind::TRAP, 1u << 20, "edited");
  std::string error;
  ASSERT_TRUE(vmm->reload_guest(0, edited, &error)) << error;
  EXPECT_EQ(vmm->guest(0).vcpu.clock, 0u);
  EXPECT_EQ(vmm->guest(0).counters.machine.instructions_kernel, 0u);
  EXPECT_EQ(vmm->guest(0).console(), "");
  EXPECT_EQ(vmm->guest(1).vcpu.clock, other_clock) << "the other guest is untouched";
  EXPECT_EQ(vmm->events().at(vmm->events().size() - 1).kind, EventKind::GUEST_RELOAD);
  ASSERT_TRUE(run_to_end(*vmm, 1'000'000, 10'000));

  auto fresh = make_vmm({edited});
  auto os_alone = make_vmm({other});
  ASSERT_TRUE(fresh && os_alone);
  ASSERT_TRUE(run_to_end(*fresh, 50'000'000, 100));
  ASSERT_TRUE(run_to_end(*os_alone, 50'000'000, 100));
  expect_same_guest_state(fresh->guest(0), vmm->guest(0));
  expect_same_guest_state(os_alone->guest(0), vmm->guest(1));

  GuestConfig bigger = edited;
  bigger.memory_bytes = 2u << 20;
  EXPECT_FALSE(vmm->reload_guest(0, bigger, &error));
  EXPECT_NE(error.find("memory"), std::string::npos) << error;
  EXPECT_FALSE(vmm->reload_guest(7, edited, &error));
}

}  // namespace
}  // namespace trapeze::vmm::testing
