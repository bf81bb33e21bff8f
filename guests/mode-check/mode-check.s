; mode-check - does this kernel know it is the kernel?
;
; The lecture's question about trap-and-emulate: the guest OS runs in user mode
; and its privileged instructions trap, so the VMM can emulate them. But this
; ISA, like x86 before VT-x, has instructions that are *sensitive* (they read or
; change privileged state) without being *privileged* (they do not trap in user
; mode). Popek and Goldberg (1974): such a machine is not classically
; virtualizable by trap-and-emulate. This kernel trips over two of them:
;
;  1. `rdpsw` reads the PSW in any mode (like x86 PUSHF/SMSW). On bare metal
;     the kernel sees U = 0. Under trap-and-emulate it runs in user mode, the
;     instruction does not trap, and the kernel sees the real U = 1: it reports
;     "running in user mode".
;
;  2. `wrpsw` writes the PSW but in user mode silently keeps U and IE (like x86
;     POPF ignoring IF). The kernel uses it to disable interrupts around a
;     critical section. Under trap-and-emulate the write is ignored, the VMM
;     never hears of it, the virtual timer interrupt arrives inside the critical
;     section, and the kernel reports the lost race.
;
; Correct on bare metal, binary translation (the translator turns both into
; calls to the VMM), the hardware-assisted mode (the kernel really runs in its
; own kernel mode) and para-virtual (-D PV=1: hypercalls instead). Wrong under
; pure trap-and-emulate - on purpose; the test suite expects it.

.include "../lib/arch.inc"

        .org 0
_start:
        la      sp, stack_top
        la      r2, trap_handler
        ARCH_SET_TVEC r2

        ; ---- 1. which mode am I in? -------------------------------------
        ARCH_GET_PSW r3
        andi    r3, r3, PSW_U
        la      r2, msg_kernel
        beqz    r3, report_mode
        la      r2, msg_user
report_mode:
        call    puts

        ; ---- 2. a critical section with interrupts off ------------------
        ; Start a fast timer, enable interrupts, then turn them off by
        ; clearing PSW.IE with a PSW write (the POPF idiom). The period is
        ; several times a tick's handling (trap entry, handler, iret: ~700
        ; cycles natively), so ticks never crowd out the kernel.
        li      r2, 5000
        ARCH_SET_TIMER r2
        ei
        ARCH_GET_PSW r3
        li      r4, ~PSW_IE & 0xFFFF
        and     r3, r3, r4
        ARCH_SET_PSW r3                      ; interrupts off ... or are they?

        la      r5, ticks
        li      r6, 0
        stw     r6, 0(r5)               ; ticks = 0 entering the section
        li      r7, 10000               ; ~20000 cycles: several timer periods
critical:
        addi    r7, r7, -1
        bnez    r7, critical
        ldw     r6, 0(r5)               ; did an interrupt get in?

        la      r2, msg_race_ok
        beqz    r6, report_race
        la      r2, msg_race_lost
report_race:
        call    puts

        ; End of the section: stop the timer and finish.
        ARCH_SET_TIMER r0
        la      r2, msg_done
        call    puts
        ARCH_HALT

; Timer interrupts: count them and return. (Any other trap is unexpected.)
trap_handler:
        push    r2
        push    r3
        mfcr    r2, cause
        andi    r2, r2, 0xFF
        li      r3, CAUSE_TIMER
        bne     r2, r3, unexpected
        la      r2, ticks
        ldw     r3, 0(r2)
        addi    r3, r3, 1
        stw     r3, 0(r2)
        pop     r3
        pop     r2
        ARCH_IRET
unexpected:
        la      r2, msg_unexpected
        call    puts
        ARCH_HALT

; puts: print the NUL-terminated string at r2 (clobbers r2, r3).
puts:
        ldb     r3, 0(r2)
        beqz    r3, puts_done
        out     PORT_CONSOLE, r3
        addi    r2, r2, 1
        b       puts
puts_done:
        ret

; ---- data, on its own page (keep written data off code pages) ---------------
        .org 0x1000
ticks:          .word 0
msg_kernel:     .asciz "mode-check: running in kernel mode\n"
msg_user:       .asciz "mode-check: running in user mode (rdpsw saw U=1)\n"
msg_race_ok:    .asciz "mode-check: interrupts stayed off in the critical section\n"
msg_race_lost:  .asciz "mode-check: an interrupt arrived with interrupts disabled (wrpsw was ignored)\n"
msg_done:       .asciz "mode-check: done\n"
msg_unexpected: .asciz "mode-check: unexpected trap\n"

        .org 0x2000
        .space 256
stack_top:
