// A hypervisor a student can write: twenty lines of Trapeze assembly on the bare
// machine that run a guest with `vmrun`, emulate its console output on each I/O
// exit and stop when it halts. The hardware saves the hypervisor's context on
// entry and restores it on exit, so its code simply goes on after `vmrun`.
#include <gtest/gtest.h>

#include "guest_runner.h"

namespace trapeze::guests_test {
namespace {

constexpr const char* kHypervisor = R"(
; hypervisor.s - run one guest; its `out PORT_CONSOLE, rs` exits (EXIT_ON_IO) and
; is emulated here; its `halt` exits and ends the run.
        .equ VMCB, 0x8000
        .org 0
_start:
        la    r1, VMCB
        li    r2, EXIT_ON_IO
        stw   r2, VMCB_EXIT_CONTROLS(r1)
        la    r2, guest
        stw   r2, VMCB_GUEST_PC(r1)     ; kernel mode, interrupts off, paging off
run:
        vmrun r1                        ; ... the guest runs until a VM exit ...
        ldw   r2, VMCB_EXIT_REASON(r1)
        li    r3, VMEXIT_IO
        beq   r2, r3, emulate_out
        li    r3, VMEXIT_HALT
        beq   r2, r3, guest_halted
        halt                            ; anything else: give up
emulate_out:                            ; rs is bits 23..20 of the instruction word
        ldw   r4, VMCB_EXIT_INSN(r1)
        shri  r4, r4, 20
        andi  r4, r4, 15
        shli  r4, r4, 2
        add   r4, r4, r1
        ldw   r5, VMCB_GUEST_REGS(r4)   ; the guest's rs
        out   PORT_CONSOLE, r5
        ldw   r4, VMCB_GUEST_PC(r1)     ; past its `out`
        addi  r4, r4, 4
        stw   r4, VMCB_GUEST_PC(r1)
        b     run
guest_halted:
        li    r5, 72                    ; "H": the hypervisor saw it halt
        out   PORT_CONSOLE, r5
        halt

; The guest: in guest mode its kernel runs in real kernel mode, so rdpsw reads U = 0.
guest:
        rdpsw r2
        andi  r2, r2, PSW_U
        li    r3, 75                    ; "K"
        beqz  r2, say
        li    r3, 85                    ; "U"
say:    out   PORT_CONSOLE, r3
        li    r3, 10
        out   PORT_CONSOLE, r3
        halt
)";

TEST(Hypervisor, InAssemblyRunsAGuestWithVmrunAndEmulatesItsIo) {
  assembler::Options o;
  o.file_name = "hypervisor.s";
  const assembler::Result a = assembler::assemble(kHypervisor, o);
  ASSERT_TRUE(a.ok()) << format_errors(a);
  const RunOutcome r = run_bare(a.program, 10'000);
  ASSERT_TRUE(r.halted) << r.console;
  EXPECT_EQ(r.console, "K\nH");
  // Two emulated `out`s and the halt: three round trips.
  EXPECT_EQ(r.counters.vm_entries, 3u);
  EXPECT_EQ(r.counters.vm_exits, 3u);
  EXPECT_EQ(r.counters.vm_exits_by_reason[size_t(isa::vmcb::ExitReason::IO)], 2u);
  EXPECT_EQ(r.counters.vm_exits_by_reason[size_t(isa::vmcb::ExitReason::HALT)], 1u);
  EXPECT_EQ(r.counters.port_out, 3u) << "only the hypervisor's own outs reach the port";
}

}  // namespace
}  // namespace trapeze::guests_test
