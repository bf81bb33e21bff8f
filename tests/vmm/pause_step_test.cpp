// Pausing one guest while the others run, and stepping one guest by a single
// instruction (the frontend's run/pause/step per guest).
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

TEST(PauseAndStep, APausedGuestKeepsItsStateWhileTheOthersRun) {
  const assembler::Program os = assemble_file("guests/mini-os/mini-os.s");
  auto vmm = make_vmm({guest_config(os, StrategyKind::TRAP, 1u << 20, "a"),
                       guest_config(os, StrategyKind::NATIVE, 1u << 20, "b"),
                       guest_config(os, StrategyKind::TRAP, 1u << 20, "c")});
  ASSERT_TRUE(vmm);
  vmm->run(300'000);
  vmm->set_paused(0, true);
  vmm->set_paused(1, true);
  const uint64_t a = vmm->guest(0).state_hash(), b = vmm->guest(1).state_hash();
  const uint64_t c_before = vmm->guest(2).executed;
  vmm->run(1'000'000);
  EXPECT_EQ(vmm->guest(0).state_hash(), a);
  EXPECT_EQ(vmm->guest(1).state_hash(), b);
  EXPECT_GT(vmm->guest(2).executed, c_before);
  EXPECT_FALSE(vmm->finished()) << "paused guests are not finished";
  vmm->set_paused(0, false);
  vmm->set_paused(1, false);
  ASSERT_TRUE(run_to_end(*vmm, 1'000'000, 10'000));
  EXPECT_EQ(vmm->guest(0).console(), vmm->guest(1).console());
  EXPECT_EQ(vmm->guest(0).state_hash(), vmm->guest(1).state_hash());
}

// One step is one instruction, under every strategy, and a guest stepped to the
// end ends as it does when run.
TEST(PauseAndStep, StepRunsOneInstructionOfOneGuest) {
  const assembler::Program p = assemble_file("guests/nano/syscall.s", {{"N", 4}});
  for (const StrategyInfo& s : kStrategies) {
    if (s.kind == StrategyKind::PV) continue;  // pv runs PV builds
    SCOPED_TRACE(s.name);
    auto vmm = make_vmm({guest_config(p, s.kind, 64u << 10, "stepped"),
                         guest_config(p, StrategyKind::NATIVE, 64u << 10, "other")});
    ASSERT_TRUE(vmm);
    uint64_t steps = 0;
    while (vmm->guest(0).ready() && steps < 100'000) {
      const uint64_t before = vmm->guest(0).executed;
      ASSERT_TRUE(vmm->step(0));
      ASSERT_EQ(vmm->guest(0).executed, before + 1);
      ++steps;
    }
    EXPECT_EQ(vmm->guest(1).executed, 0u) << "stepping one guest runs no other";
    EXPECT_FALSE(vmm->step(0)) << "a halted guest cannot step";
    ASSERT_TRUE(run_to_end(*vmm, 1'000'000, 1000));
    expect_same_guest_state(vmm->guest(1), vmm->guest(0));
    EXPECT_EQ(steps, vmm->guest(1).executed);
  }
}

}  // namespace
}  // namespace trapeze::vmm::testing
