// Exceptions and interrupts that belong to the guest are reflected into its
// virtual trap vector exactly as bare hardware would deliver them: the same CAUSE
// (with the guest-visible page-fault detail), EPC, EPSW and BADADDR, in the guest's
// kernel mode and in its user mode.
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

using isa::Cause;
namespace fault = isa::fault;

struct Case {
  const char* name;
  const char* body;  // runs at `body` (0x4000), in kernel or user mode
  bool user;
  bool paging;
  Cause cause;
  uint32_t detail;  // expected fault detail bits
};

// The handler records CAUSE, EPC, EPSW, BADADDR in r9..r12 and halts. With paging
// (L1 at 0x3000, L2 at 0x2000): pages 0..15 identity-mapped; 0..3 kernel only;
// 4, 5 user read-write; 6 user read-only; 7 kernel read-only; 0x10000 and up unmapped.
std::string program_for(const Case& c) {
  char text[4096];
  std::snprintf(text, sizeof text, R"(
        la      r13, handler
        ldtvec  r13
        li      r3, 0x2000 | PTE_P | PTE_W | PTE_U
        li      r4, 0x3000
        stw     r3, 0(r4)
        li      r5, 0
        li      r4, 0x2000
map:    shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        li      r6, 4
        blt     r5, r6, store
        li      r6, 7
        bge     r5, r6, ro_kernel
        ori     r3, r3, PTE_U
        li      r6, 6
        bne     r5, r6, store
        andi    r3, r3, ~PTE_W & 0xFFFF
        b       store
ro_kernel:
        li      r6, 7
        bne     r5, r6, store
        andi    r3, r3, ~PTE_W & 0xFFFF
store:  stw     r3, 0(r4)
        addi    r4, r4, 4
        addi    r5, r5, 1
        li      r6, 16
        blt     r5, r6, map
.if %d
        li      r1, 0x3000
        ldptr   r1
.endif
        li      r1, 2
        li      r2, 0
        li      sp, 0x5800
        la      r7, body
        mtcr    epc, r7
        li      r7, %d
        mtcr    epsw, r7
        rti
handler:
        mfcr    r9, cause
        mfcr    r10, epc
        mfcr    r11, epsw
        mfcr    r12, badaddr
        halt
        .org 0x4000
body:
%s
        halt
)",
                c.paging ? 1 : 0, c.user ? int(isa::psw::U) : 0, c.body);
  return text;
}

const Case kCases[] = {
    {"syscall from user", "        nop\n        syscall", true, true, Cause::SYSCALL, 0},
    {"syscall from kernel", "        syscall", false, false, Cause::SYSCALL, 0},
    {"breakpoint", "        brk", true, false, Cause::BREAKPOINT, 0},
    {"divide by zero", "        div r3, r1, r2", true, true, Cause::DIVZERO, 0},
    {"remainder by zero, kernel", "        remu r3, r1, r2", false, true, Cause::DIVZERO, 0},
    {"misaligned load", "        ldw r3, 0x4002(r0)", true, false, Cause::MISALIGNED, 0},
    {"misaligned jump", "        li r3, 0x4102\n        jr r3", true, true, Cause::MISALIGNED, 0},
    {"illegal word", "        .word 0", true, true, Cause::ILLEGAL, 0},
    {"hypercall is illegal on bare hardware", "        hypercall 1", false, true, Cause::ILLEGAL,
     0},
    {"privileged from user", "        di", true, true, Cause::PRIVILEGED, 0},
    {"user read, not present",
     "        ldw r3, 0x4100(r0)\n        li r1, 0x20000\n        ldw r3, 0(r1)", true, true,
     Cause::PAGE_FAULT, fault::USER},
    {"kernel write, not present", "        li r1, 0x30000\n        stw r1, 8(r1)", false, true,
     Cause::PAGE_FAULT, fault::WRITE},
    {"user read of a kernel page", "        ldw r3, 0x1000(r0)", true, true, Cause::PAGE_FAULT,
     fault::USER | fault::PROTECTION},
    {"user write to a read-only page", "        li r3, 7\n        stw r3, 0x6000(r0)", true, true,
     Cause::PAGE_FAULT, fault::USER | fault::WRITE | fault::PROTECTION},
    {"kernel write to a read-only page", "        stw r3, 0x7000(r0)", false, true,
     Cause::PAGE_FAULT, fault::WRITE | fault::PROTECTION},
    {"user push onto a kernel page", "        li sp, 0x1010\n        push r1", true, true,
     Cause::PAGE_FAULT, fault::USER | fault::WRITE | fault::PROTECTION},
    {"user jump into a kernel page", "        li r3, 0x1000\n        jr r3", true, true,
     Cause::PAGE_FAULT, fault::USER | fault::EXEC | fault::PROTECTION},
    {"kernel jump to an unmapped page", "        li r3, 0x50000\n        jr r3", false, true,
     Cause::PAGE_FAULT, fault::EXEC},
    {"paging off: beyond guest memory", "        li r1, 0x10000\n        ldw r3, 0(r1)", true,
     false, Cause::PAGE_FAULT, fault::USER},
    {"paging off: fetch beyond guest memory", "        li r3, 0xFFFF0\n        jr r3", false, false,
     Cause::PAGE_FAULT, fault::EXEC},
};

TEST(ReflectedExceptions, ArriveWithTheSameCauseEpcEpswAndBadaddrAsOnBareMetal) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const assembler::Program p = assemble(program_for(c));
    auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 64u << 10),
                         guest_config(p, StrategyKind::TRAP, 64u << 10)});
    ASSERT_TRUE(vmm && run_to_end(*vmm, 1'000'000, 10)) << dump_events(*vmm);
    const Guest& native = vmm->guest(0);
    const Guest& trap = vmm->guest(1);
    expect_same_guest_state(native, trap);
    const machine::CpuState& s = trap.vcpu.cpu;
    EXPECT_EQ(s.r[9], uint32_t(c.cause) | c.detail) << std::hex << s.r[9];
    EXPECT_EQ(s.r[11], c.user ? isa::psw::U : 0u) << "EPSW";
    EXPECT_EQ(trap.counters.vmm.reflected_by_cause[size_t(c.cause)], 1u);
    const uint32_t body = 0x4000;
    if (c.cause == Cause::SYSCALL) {
      EXPECT_EQ(s.r[10] & 0xFFF, (c.user ? 8u : 4u)) << "EPC past the syscall";
    }
    if (c.cause == Cause::BREAKPOINT || c.cause == Cause::ILLEGAL || c.cause == Cause::PRIVILEGED) {
      EXPECT_EQ(s.r[10], body) << "EPC at the instruction";
    }
  }
}

// Interrupts: the guest's timer (virtual, on its virtual clock) and its block
// device's completion, delivered when its virtual IE is 1, at the same instruction.
TEST(ReflectedExceptions, TimerAndDeviceInterruptsLandOnTheSameInstruction) {
  const assembler::Program p = assemble(R"(
        la      r13, handler
        ldtvec  r13
        li      r1, 3               ; sector 3 -> 0x2000
        out     PORT_BLK_SECTOR, r1
        li      r1, 0x2000
        out     PORT_BLK_ADDR, r1
        li      r1, 2
        out     PORT_BLK_COUNT, r1
        li      r1, 1
        out     PORT_BLK_CMD, r1
        li      r1, 777
        ldtimer r1
        ei
        li      r5, 0
loop:   addi    r5, r5, 1
        muli    r6, r5, 3
        li      r7, 30000
        blt     r5, r7, loop
        halt
handler:
        mfcr    r9, cause
        andi    r9, r9, 0xFF
        li      r8, CAUSE_DEVICE
        beq     r9, r8, device
        la      r8, ticks
        ldw     r10, 0(r8)
        addi    r10, r10, 1
        stw     r10, 0(r8)
        mfcr    r11, epc            ; where the last tick landed
        stw     r11, 4(r8)
        rti
device: in      r12, PORT_BLK_STATUS
        out     PORT_BLK_STATUS, r0 ; acknowledge
        la      r8, ticks
        stw     r5, 8(r8)           ; the loop count when the disk completed
        rti
        .org 0x1000
ticks:  .word 0, 0, 0
)");
  auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 64u << 10),
                       guest_config(p, StrategyKind::TRAP, 64u << 10)},
                      /*quantum=*/7919);
  ASSERT_TRUE(vmm && run_to_end(*vmm, 100'000, 1000));
  const Guest& native = vmm->guest(0);
  const Guest& trap = vmm->guest(1);
  expect_same_guest_state(native, trap);
  EXPECT_GT(trap.counters.vmm.reflected_by_cause[size_t(Cause::TIMER)], 50u);
  EXPECT_EQ(trap.counters.vmm.reflected_by_cause[size_t(Cause::DEVICE)], 1u);
  EXPECT_EQ(trap.vcpu.cpu.r[12], uint32_t(machine::BlockStatus::Done));
  EXPECT_EQ(native.counters.machine.blk_sectors_read, trap.counters.machine.blk_sectors_read);
  uint8_t sector[4];
  ASSERT_TRUE(vmm->read_guest_physical(1, 0x2000, sector));
  EXPECT_EQ(sector[0], 3);  // the DMA went into the guest's own memory
}

}  // namespace
}  // namespace trapeze::vmm::testing
