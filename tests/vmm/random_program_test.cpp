// Co-simulation on random programs: seeded random guests mixing ALU, loads and
// stores (some misaligned, some to unmapped pages), page-table edits (each followed
// by invlpg, as a correct kernel does), address-space switches, divisions by zero,
// system calls, control-register and interrupt-flag instructions, port I/O and a
// timer, in the guest's kernel or user mode, with paging on or off. Trap-and-emulate
// must end in exactly the state bare metal ends in. (The sensitive-but-unprivileged
// instructions are left out there: their divergence is sensitive_test.cpp's.)
// Binary translation must too, with them in (rdpsw, wrpsw and sptr in the kernel;
// in user mode rdpsw and wrpsw, which bare metal runs in user mode as well).
#include <random>
#include <sstream>

#include "fuzz/diff_program.h"
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

// The memory map is the differential fuzzer's kernel skeleton (fuzz/diff_program.h);
// VA 0x8000..0xBFFF is the data window whose PTEs the body edits.
std::string random_program(uint32_t seed, bool holes = false) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return int(rng() % uint32_t(n)); };
  const bool paging = pick(4) != 0;
  const bool user = pick(2) != 0;
  // Above the handler's own cost (trap entry, five control-register accesses, rti),
  // so ticks never crowd out the body whatever the cost model.
  const machine::CostModel costs;
  using machine::CostEvent;
  const int handler_cost = int(costs[CostEvent::TRAP_ENTRY] + costs[CostEvent::RTI] +
                               6 * costs[CostEvent::INSN_SYSTEM]);
  const int period = handler_cost + 300 + pick(3000);
  std::ostringstream s;
  s << difftest::kSkeletonTables;
  if (paging) s << "        li r1, 0xC000\n        ldptr r1\n        tlbflush\n";
  s << "        li r1, " << period << "\n        ldtimer r1\n";
  for (int r = 1; r <= 10; ++r)
    s << "        li r" << r << ", " << int(rng() % 2000) - 1000 << "\n";
  s << "        li r11, 0x8000\n        li r12, 0\n";
  if (user) {
    s << "        la r13, body\n        mtcr epc, r13\n        li r13, PSW_U | PSW_IE\n"
         "        mtcr epsw, r13\n        rti\n";
  } else {
    s << "        ei\n        b body\n";
  }
  s << "        .org 0x4000\nbody:\n";
  const char* alu[] = {"add", "sub", "and", "or", "xor", "shl", "shr", "sar", "mul", "slt", "sltu"};
  const char* alui[] = {"addi", "andi", "ori", "xori", "shli", "shri", "muli", "slti"};
  auto reg = [&] { return numbered("r", 1 + pick(10)); };
  for (int i = 0; i < 160; ++i) {
    switch (pick(holes ? 25 : 22)) {
      case 0:
      case 1:
      case 2:
      case 3:
        s << "        " << alu[pick(11)] << " " << reg() << ", " << reg() << ", " << reg() << "\n";
        break;
      case 4:
      case 5:
      case 6:
        s << "        " << alui[pick(8)] << " " << reg() << ", " << reg() << ", " << pick(64)
          << "\n";
        break;
      case 7:
      case 8: {  // data window, sometimes misaligned
        const int off = pick(0x4000 / 4) * 4 + (pick(8) == 0 ? 2 : 0);
        s << "        " << (pick(2) ? "ldw " : "stw ") << reg() << ", " << off << "(r11)\n";
        break;
      }
      case 9:
        s << "        " << (pick(2) ? "ldb " : "stb ") << reg() << ", " << pick(0x4000)
          << "(r11)\n";
        break;
      case 10:  // an unmapped page (paging on), or past the guest's memory
        s << "        li r13, " << (pick(2) ? 0x100000 : 0x7FFF0) << "\n        ldw " << reg()
          << ", 0(r13)\n";
        break;
      case 11: {  // edit a data-window PTE (remap, make read-only, or unmap), then invlpg
        const int slot = 8 + pick(4);
        const int frame = 8 + pick(4);
        const char* flags[] = {"PTE_P | PTE_W | PTE_U", "PTE_P | PTE_U", "0",
                               "PTE_P | PTE_W | PTE_U | PTE_A | PTE_D"};
        s << "        li r13, " << (frame << 12) << " | " << flags[pick(4)] << "\n"
          << "        stw r13, " << (0x2000 + 4 * slot) << "(r0)\n"
          << "        li r13, " << (slot << 12) << "\n        invlpg r13\n";
        break;
      }
      case 12:  // switch address space (the two roots map alike), flushing as a kernel must
        s << "        li r13, " << (pick(2) ? 0xC000 : 0xD000)
          << "\n        ldptr r13\n        tlbflush\n";
        break;
      case 13:
        s << "        " << (pick(2) ? "div " : "remu ") << reg() << ", " << reg() << ", " << reg()
          << "\n";
        break;
      case 14: s << "        syscall\n"; break;
      case 15: s << "        " << (pick(2) ? "ei" : "di") << "\n"; break;
      case 16:
        s << "        mtcr scratch0, " << reg() << "\n        mfcr " << reg() << ", scratch0\n";
        break;
      case 17: s << "        out PORT_CONSOLE, " << reg() << "\n"; break;
      case 18: s << "        in " << reg() << ", PORT_BLK_STATUS\n"; break;
      case 19:
        s << "        beq " << reg() << ", " << reg() << ", skip" << i << "\n        addi " << reg()
          << ", " << reg() << ", 1\nskip" << i << ":\n";
        break;
      case 20:
        s << "        .word 0\n";  // ILLEGAL
        break;
      case 21: s << "        mfcr " << reg() << ", epc\n"; break;
      case 22: s << "        rdpsw " << reg() << "\n"; break;
      case 23:  // flip a flag bit, keep the mode (and IE)
        s << "        rdpsw r13\n        xori r13, r13, " << (0x100 << pick(8))
          << "\n        wrpsw r13\n";
        break;
      case 24:  // sptr in user mode reveals the shadow root: bt runs user code untranslated
        s << "        " << (user ? "rdpsw " : "sptr ") << reg() << "\n";
        break;
    }
  }
  // The end: brk; the skeleton's handler halts on BREAKPOINT.
  s << "        brk\n" << difftest::kSkeletonHandler;
  return s.str();
}

TEST(RandomPrograms, TrapAndEmulateEndsWhereBareMetalEnds) {
  int with_faults = 0, with_interrupts = 0, with_pte_writes = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(numbered("seed ", int(seed)));
    const std::string text = random_program(seed);
    const assembler::Program p = assemble(text);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text;
      return;
    }
    auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 64u << 10),
                         guest_config(p, StrategyKind::TRAP, 64u << 10)},
                        /*quantum=*/1000 + seed * 7);
    ASSERT_TRUE(vmm && run_to_end(*vmm, 1'000'000, 20));
    const Guest& native = vmm->guest(0);
    const Guest& trap = vmm->guest(1);
    ASSERT_EQ(native.state, GuestState::Halted) << text;
    expect_same_guest_state(native, trap);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text << dump_events(*vmm, 30);
      return;
    }
    with_faults += trap.counters.vmm.reflected_faults > 0;
    with_interrupts += trap.counters.vmm.virtual_interrupts > 0;
    with_pte_writes += trap.counters.vmm.write_protect_traps > 0;
  }
  // The generator really reaches what it claims to.
  EXPECT_GT(with_faults, 100);
  EXPECT_GT(with_interrupts, 100);
  EXPECT_GT(with_pte_writes, 50);
}

TEST(RandomPrograms, BinaryTranslationEndsWhereBareMetalEnds) {
  // (Each body instruction runs once, so a page-table store traps and its block is
  // re-translated, but the adaptive callout never runs: binary_translation_test.cpp.)
  int with_faults = 0, with_interrupts = 0, with_pte_writes = 0, with_holes = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(numbered("seed ", int(seed)));
    const std::string text = random_program(seed, /*holes=*/true);
    const assembler::Program p = assemble(text);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text;
      return;
    }
    auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 64u << 10),
                         guest_config(p, StrategyKind::BT, 64u << 10)},
                        /*quantum=*/1000 + seed * 7);
    ASSERT_TRUE(vmm && run_to_end(*vmm, 1'000'000, 20));
    const Guest& native = vmm->guest(0);
    const Guest& bt = vmm->guest(1);
    ASSERT_EQ(native.state, GuestState::Halted) << text;
    expect_same_guest_state(native, bt);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text << dump_events(*vmm, 30);
      return;
    }
    const VmmCounters& c = bt.counters.vmm;
    with_faults += c.reflected_faults > 0;
    with_interrupts += c.virtual_interrupts > 0;
    with_pte_writes += c.write_protect_traps > 0;
    for (isa::Op op : {isa::Op::RDPSW, isa::Op::WRPSW, isa::Op::SPTR})
      with_holes += c.bt_callouts_by_op[uint8_t(op)] > 0;
  }
  EXPECT_GT(with_faults, 100);
  EXPECT_GT(with_interrupts, 100);
  EXPECT_GT(with_pte_writes, 50);
  EXPECT_GT(with_holes, 100);
}

// The same programs under both hardware-assisted modes: the shadow tables in their
// single (faithful U bit) view, interrupts injected through the control block,
// and nested paging's two-dimensional walk setting the guest's A/D bits.
TEST(RandomPrograms, HardwareAssistedEndsWhereBareMetalEnds) {
  int with_pf_exits = 0, with_injected_interrupts = 0, with_nested_walks = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(numbered("seed ", int(seed)));
    const std::string text = random_program(seed, /*holes=*/true);
    const assembler::Program p = assemble(text);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text;
      return;
    }
    auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 64u << 10),
                         guest_config(p, StrategyKind::HW, 64u << 10),
                         guest_config(p, StrategyKind::HW_NESTED, 64u << 10)},
                        // (every world switch costs a VM exit and an entry, ~11,000 cycles)
                        /*quantum=*/20'000 + seed * 7);
    ASSERT_TRUE(vmm && run_to_end(*vmm, 1'000'000, 100)) << dump_events(*vmm, 30);
    const Guest& native = vmm->guest(0);
    ASSERT_EQ(native.state, GuestState::Halted) << text;
    for (size_t i = 1; i < 3; ++i) expect_same_guest_state(native, vmm->guest(i));
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text << dump_events(*vmm, 30);
      return;
    }
    const GuestCounters& hw = vmm->guest(1).counters;
    const GuestCounters& nested = vmm->guest(2).counters;
    with_pf_exits += hw.machine.vm_exits_by_reason[size_t(isa::vmcb::ExitReason::PAGE_FAULT)] > 0;
    with_injected_interrupts += nested.vmm.virtual_interrupts > 0;
    with_nested_walks += nested.machine.nested_walks > 0;
  }
  EXPECT_GT(with_pf_exits, 100);
  EXPECT_GT(with_injected_interrupts, 100);
  EXPECT_GT(with_nested_walks, 100);
}

}  // namespace
}  // namespace trapeze::vmm::testing
