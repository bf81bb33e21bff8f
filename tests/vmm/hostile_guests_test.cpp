// Hostile guests under every strategy: a guest in an infinite loop, one
// that faults on every instruction and one that floods the console neither stall
// the VMM (each run() call returns within its budget) nor starve the others (each
// virtualized guest gets its share of host time, and a well-behaved guest
// finishes with the output it has alone).
#include "vmm/consistency.h"
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

const char* kSpin = "spin: b spin\n";
const char* kFaultStorm = R"(
        la      r1, storm
        ldtvec  r1
storm:  div     r2, r2, r0
)";
const char* kConsoleFlood = R"(
        li      r1, 'x'
flood:  out     PORT_CONSOLE, r1
        b       flood
)";

TEST(HostileGuests, NeitherStallTheVmmNorStarveTheOthersUnderAnyStrategy) {
  for (StrategyKind s : every_strategy()) {
    SCOPED_TRACE(std::string(strategy_name(s)));
    auto vmm = make_vmm({guest_config(assemble(kSpin), s, 16u << 10, "spin"),
                         guest_config(assemble(kFaultStorm), s, 16u << 10, "storm"),
                         guest_config(assemble(kConsoleFlood), s, 16u << 10, "flood"),
                         guest_config(worker(3), s, 64u << 10, "worker")},
                        /*quantum=*/10'000);
    ASSERT_TRUE(vmm);
    ConsistencyChecker checker(*vmm);
    int calls = 0;
    constexpr uint64_t kBudget = 100'000;
    while (vmm->guest(3).ready() && calls < 400) {
      const uint64_t used = vmm->run(kBudget);
      if (vmm->placement(3)) {  // host time: bounded by the budget and one action
        EXPECT_GE(used, kBudget);
        EXPECT_LT(used, kBudget + 20'000) << "a call overshot its budget";
      }
      ASSERT_EQ(checker.check(*vmm), "");
      ++calls;
    }
    const Guest& w = vmm->guest(3);
    EXPECT_EQ(w.state, GuestState::Halted) << w.reason;
    EXPECT_EQ(w.console(), "guest 3");
    for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(vmm->guest(i).ready()) << i;
    EXPECT_GT(vmm->guest(1).counters.machine.traps[size_t(isa::Cause::DIVZERO)] +
                  vmm->guest(1).counters.vmm.reflected_by_cause[size_t(isa::Cause::DIVZERO)],
              100u);
    // The flood is bounded: what does not fit is dropped and counted.
    const Guest& f = vmm->guest(2);
    EXPECT_LE(f.console().size(), 64u << 10);
    EXPECT_EQ(f.counters.machine.console_bytes,
              f.console().size() + f.counters.machine.console_dropped);
    if (vmm->placement(0)) {
      for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(vmm->utilization(i), 0.25, 0.1) << i;
    }
  }
}

// Found by review for this issue: HC_CONSOLE_WRITE copied byte by byte, one
// guest-table walk per byte, up to 1 MiB per call, charged as one hypercall — a
// para-virtual guest asking for 1 MiB in a loop cost the host seconds of real time
// per frame. It now translates page by page and only counts what the bounded
// console drops; the guest sees exactly what it saw before.
TEST(HostileGuests, AParaVirtualConsoleFloodIsCountedNotCopied) {
  const assembler::Program flood = assemble(R"(
        li      r5, 300
        li      r6, 0x400000            ; paging on: VA 4M.. maps its 1 MiB
        li      r1, 0x1000 | PTE_P | PTE_W
        li      r2, 0x2000              ; L1 at 0x2000, L2 at 0x1000
        stw     r1, 0(r2)               ; L1[0] -> the L2 table: VA = PA for its code
        stw     r1, 4(r2)               ; L1[1] -> the same: VA 4M.. = PA 0..
        li      r3, 0
        li      r4, 0x1000
map:    ori     r1, r3, PTE_P | PTE_W
        stw     r1, 0(r4)
        addi    r4, r4, 4
        addi    r3, r3, 0x1000
        li      r1, 0x100000
        blt     r3, r1, map
        mov     r1, r2
        hypercall HC_SET_PTR
again:  mov     r1, r6
        li      r2, 0x200000            ; 2 MiB asked, 1 MiB mapped, at most 1 MiB per call
        hypercall HC_CONSOLE_WRITE
        mov     r7, r1
        addi    r5, r5, -1
        bnez    r5, again
        hypercall HC_HALT
)");
  auto vmm = make_vmm({guest_config(flood, StrategyKind::PV, 1u << 20, "flood"),
                       guest_config(worker(1), StrategyKind::PV, 64u << 10, "worker")});
  ASSERT_TRUE(vmm && run_to_end(*vmm, 1'000'000, 200));
  const Guest& g = vmm->guest(0);
  ASSERT_EQ(g.state, GuestState::Halted) << g.reason;
  EXPECT_EQ(g.vcpu.cpu.r[7], 1u << 20) << "each call writes the whole mapped MiB";
  const machine::Counters& c = g.counters.machine;
  EXPECT_EQ(c.console_bytes, 300ull << 20);
  EXPECT_EQ(g.console().size(), 64u << 10);
  EXPECT_EQ(c.console_dropped, (300ull << 20) - (64u << 10));
  // What it wrote is its memory, from VA 4M = guest-physical 0: its own code first.
  std::vector<uint8_t> head(64);
  ASSERT_TRUE(vmm->read_guest_physical(0, 0, head));
  EXPECT_EQ(g.console().substr(0, 64), std::string(head.begin(), head.end()));
  EXPECT_EQ(vmm->guest(1).console(), "guest 1");
}

}  // namespace
}  // namespace trapeze::vmm::testing
