// The VMM's correctness property: a guest kernel gives the same guest-visible
// results under trap-and-emulate as on bare metal (only counters and cycles differ).
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

TEST(Equivalence, GuestKernelMatchesBareMetal) {
  const assembler::Program p = assemble_file("tests/vmm/guests/kernel.s");
  auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE), guest_config(p, StrategyKind::TRAP)});
  ASSERT_TRUE(vmm);
  ASSERT_TRUE(run_to_end(*vmm)) << dump_events(*vmm);
  const Guest& native = vmm->guest(0);
  const Guest& trap = vmm->guest(1);
  EXPECT_EQ(native.state, GuestState::Halted);
  EXPECT_NE(native.console().find("user: bye"), std::string::npos) << native.console();
  EXPECT_NE(native.console().find('.'), std::string::npos) << "no timer interrupt landed";
  expect_same_guest_state(native, trap);
  // It really was virtualized: the kernel's privileged instructions were emulated,
  // its syscalls, page faults and timer interrupts reflected, its table shadowed.
  const VmmCounters& v = trap.counters.vmm;
  EXPECT_GT(v.emulated, 10u);
  EXPECT_GT(v.reflected_by_cause[size_t(isa::Cause::SYSCALL)], 2u);
  EXPECT_GT(v.reflected_faults, 1u);
  EXPECT_GT(v.virtual_interrupts, 1u);
  EXPECT_GT(v.hidden_faults, 5u);
  EXPECT_GT(v.write_protect_traps, 0u);
  EXPECT_GT(v.vmm_cycles, 0u);
}

}  // namespace
}  // namespace trapeze::vmm::testing
