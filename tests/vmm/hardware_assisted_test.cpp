// The hardware-assisted strategies (hw: shadow paging; hw-nested: nested paging):
// the U/K-bit problem is gone, what exits and what does not under each, how the
// exits are explained and counted, and that slicing a run changes nothing.
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

using isa::vmcb::ExitReason;

uint64_t exits(const Guest& g, ExitReason r) {
  return g.counters.machine.vm_exits_by_reason[size_t(r)];
}

TEST(HardwareAssisted, ModeCheckSeesKernelModeAndKeepsInterruptsOff) {
  const assembler::Program p = assemble_file("guests/mode-check/mode-check.s");
  auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE), guest_config(p, StrategyKind::TRAP),
                       guest_config(p, StrategyKind::HW),
                       guest_config(p, StrategyKind::HW_NESTED)});
  ASSERT_TRUE(vmm && run_to_end(*vmm));
  const Guest& native = vmm->guest(0);
  EXPECT_NE(vmm->guest(1).console(), native.console()) << "trap-and-emulate still diverges";
  for (size_t i : {2, 3}) {
    const Guest& g = vmm->guest(i);
    SCOPED_TRACE(std::string(strategy_name(g.strategy_kind())));
    expect_same_guest_state(native, g);
    EXPECT_NE(g.console().find("running in kernel mode"), std::string::npos) << g.console();
    EXPECT_NE(g.console().find("interrupts stayed off"), std::string::npos) << g.console();
    // rdpsw and wrpsw ran in the guest's real kernel mode: no hole, no exit for them.
    EXPECT_EQ(g.counters.machine.holes_in_user, 0u);
    EXPECT_EQ(g.counters.vmm.sensitive_unprivileged, 0u);
    EXPECT_EQ(exits(g, ExitReason::PSW_WRITE), 0u);
    // Its console output (out) exits. Its virtual timer expires (the VMM takes the CPU
    // back) but the guest keeps IE off, so, as on bare metal, nothing is injected.
    EXPECT_GT(exits(g, ExitReason::IO), 0u);
    EXPECT_GT(exits(g, ExitReason::TIMER), 0u);
    EXPECT_EQ(g.counters.vmm.virtual_interrupts, native.counters.machine.trap_count(isa::Cause::TIMER));
    EXPECT_EQ(g.counters.machine.timer_expiries, native.counters.machine.timer_expiries);
    EXPECT_EQ(g.counters.machine.vm_exits, g.counters.machine.vm_entries);
  }
}

// pagetable-churn rewrites page-table entries all the time: with shadow paging each
// write is a page-fault exit (write protection), with nested paging none is.
TEST(HardwareAssisted, NestedPagingRemovesThePageTableWriteExits) {
  const assembler::Program p = assemble_file("guests/pagetable-churn/pagetable-churn.s");
  auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 1u << 20),
                       guest_config(p, StrategyKind::HW, 1u << 20),
                       guest_config(p, StrategyKind::HW_NESTED, 1u << 20)});
  ASSERT_TRUE(vmm && run_to_end(*vmm, 10'000'000, 100));
  const Guest& native = vmm->guest(0);
  const Guest& shadow = vmm->guest(1);
  const Guest& nested = vmm->guest(2);
  expect_same_guest_state(native, shadow);
  expect_same_guest_state(native, nested);

  EXPECT_GT(shadow.counters.vmm.write_protect_traps, 0u);
  EXPECT_GT(exits(shadow, ExitReason::PAGE_FAULT), shadow.counters.vmm.write_protect_traps - 1);
  EXPECT_GT(exits(shadow, ExitReason::PTR_OP), 0u);
  EXPECT_EQ(nested.counters.vmm.write_protect_traps, 0u);
  EXPECT_EQ(exits(nested, ExitReason::PAGE_FAULT), 0u);
  EXPECT_EQ(exits(nested, ExitReason::PTR_OP), 0u);
  EXPECT_EQ(nested.counters.vmm.shadow_updates, 0u);
  EXPECT_LT(nested.counters.machine.vm_exits * 4, shadow.counters.machine.vm_exits);
  EXPECT_LT(nested.counters.machine.cycles, shadow.counters.machine.cycles);
  // But each of its TLB misses walks two dimensions: up to 8 references, not 2.
  EXPECT_EQ(nested.counters.machine.nested_walks, nested.counters.machine.walks);
  EXPECT_GT(nested.counters.machine.walk_refs, 3 * nested.counters.machine.walks);
  EXPECT_LE(nested.counters.machine.walk_refs, 8 * nested.counters.machine.walks);
  EXPECT_EQ(native.counters.machine.walk_refs, 2 * native.counters.machine.walks);
}

// A system call goes straight to the guest kernel: native cost, no exit (Adams &
// Agesen's one clear win for first-generation hardware), unlike trap-and-emulate.
TEST(HardwareAssisted, SystemCallsCostWhatTheyCostOnBareMetal) {
  const assembler::Program p = assemble_file("guests/nano/syscall.s");
  auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE), guest_config(p, StrategyKind::TRAP),
                       guest_config(p, StrategyKind::HW),
                       guest_config(p, StrategyKind::HW_NESTED)});
  ASSERT_TRUE(vmm && run_to_end(*vmm));
  const Guest& native = vmm->guest(0);
  for (size_t i : {2, 3}) {
    const Guest& g = vmm->guest(i);
    SCOPED_TRACE(std::string(strategy_name(g.strategy_kind())));
    expect_same_guest_state(native, g);
    EXPECT_EQ(exits(g, ExitReason::SYSCALL), 0u);
    EXPECT_EQ(g.counters.vmm.reflected_by_cause[size_t(isa::Cause::SYSCALL)], 0u);
    // Only its console output exits, and the halt: a few dozen exits for 1000 calls.
    EXPECT_LT(g.counters.machine.vm_exits, 100u);
    EXPECT_LT(g.counters.machine.cycles, vmm->guest(1).counters.machine.cycles / 2);
  }
}

TEST(HardwareAssisted, EveryExitIsLoggedWithAnExplanation) {
  const assembler::Program p = assemble_file("guests/mini-os/mini-os.s");
  VmmConfig c;
  c.event_capacity = 1u << 16;
  c.guests = {guest_config(p, StrategyKind::HW, 1u << 20)};
  std::string error;
  auto vmm = Vmm::create(c, &error);
  ASSERT_TRUE(vmm) << error;
  ASSERT_TRUE(run_to_end(*vmm, 10'000'000, 100));
  const Guest& g = vmm->guest(0);
  EXPECT_EQ(g.state, GuestState::Halted);
  uint64_t logged = 0;
  bool filled = false, injected = false, interrupt = false;
  for (const Event& e : vmm->events().events()) {
    if (e.kind != EventKind::VM_EXIT) continue;
    ++logged;
    const std::string text = describe(e);
    EXPECT_EQ(text.rfind("VM exit at 0x", 0), 0u) << text;
    filled |= text.find("hidden fault") != std::string::npos;
    injected |= text.find("injected into its trap vector") != std::string::npos;
    interrupt |= text.find("virtual interrupt is due") != std::string::npos;
  }
  EXPECT_EQ(vmm->events().dropped(), 0u);
  EXPECT_EQ(logged, g.counters.machine.vm_exits);
  EXPECT_TRUE(filled && injected && interrupt);
}

struct Snapshot {
  std::vector<GuestCounters> counters;
  std::vector<uint64_t> hashes;
  uint64_t host_cycles;
  bool operator==(const Snapshot&) const = default;
};

Snapshot run_mixed(uint64_t budget) {
  const assembler::Program k = assemble_file("tests/vmm/guests/kernel.s");
  auto vmm = make_vmm({guest_config(k, StrategyKind::HW, 256u << 10, "hw"),
                       guest_config(k, StrategyKind::TRAP, 256u << 10, "trap"),
                       guest_config(k, StrategyKind::HW_NESTED, 256u << 10, "nested")},
                      /*quantum=*/40'000);
  EXPECT_TRUE(run_to_end(*vmm, budget, 100'000));
  Snapshot s;
  for (size_t i = 0; i < vmm->guest_count(); ++i) {
    s.counters.push_back(vmm->guest(i).counters);
    s.hashes.push_back(vmm->guest(i).state_hash());
  }
  s.host_cycles = vmm->host_cycles();
  return s;
}

// A guest stays in guest mode between Vmm::run calls (save() copies its state out
// without an exit), so how the run is sliced changes no counter; the world
// switches between guests do exit.
TEST(HardwareAssisted, RunsAreTheSameWhateverTheBudgetPerCall) {
  const Snapshot a = run_mixed(1'000'000);
  const Snapshot b = run_mixed(7'001);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hashes[0], a.hashes[1]);
  EXPECT_EQ(a.hashes[0], a.hashes[2]);
  EXPECT_GT(a.counters[0].vmm.world_switches, 1u);
}

// A quantum shorter than a world switch and a VM entry, and a one-entry TLB that
// the other guest evicts: every entry starts with a page walk for the fetch, dearer
// than the turn. Each entry must still run an instruction (found by vmm_fuzz: both
// guests sat at pc 0 for ever, each entry stopping after the walk).
TEST(HardwareAssisted, ATurnShorterThanAnEntryAndAWalkStillMakesProgress) {
  const assembler::Program k = assemble_file("tests/vmm/guests/kernel.s");
  VmmConfig c;
  c.quantum = 500;
  c.tlb.entries = 1;
  c.guests = {guest_config(k, StrategyKind::HW, 256u << 10, "hw"),
              guest_config(k, StrategyKind::HW_NESTED, 256u << 10, "nested")};
  std::string error;
  auto vmm = Vmm::create(c, &error);
  ASSERT_TRUE(vmm) << error;
  EXPECT_TRUE(run_to_end(*vmm, 40'000, 200'000)) << dump_events(*vmm);
  for (size_t i = 0; i < vmm->guest_count(); ++i)
    EXPECT_EQ(vmm->guest(i).state, GuestState::Halted) << vmm->guest(i).config.name << ": " << vmm->guest(i).reason;
}

}  // namespace
}  // namespace trapeze::vmm::testing
