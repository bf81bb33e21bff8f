; Reference solution of labs/lab2-uk-bit.md, step 2 (not served by the site):
; the starter with its two PSW reads and its PSW write para-virtualized.
;
; A tiny kernel that must know two things about itself: which mode it runs in,
; and whether its interrupts are really off. It is mode-check
; (guests/mode-check/mode-check.s) written with the bare instructions instead of
; arch.inc's macros, so you can see and change every sensitive one.
;
; YOUR TASK (step 2 of the lab): make this kernel correct under the
; para-virtual strategy. The strategy `pv` assembles this file with PV defined
; (PV = 1); on bare metal PV is not defined. Wherever the kernel reads or writes
; its PSW, write the para-virtual version between `.ifdef PV` and `.else`, and
; keep the bare instruction between `.else` and `.endif`, so the same file is
; still correct on bare metal:
;
;     .ifdef PV
;         ... hypercalls ...
;     .else
;         rdpsw r3
;     .endif
;
; The hypercalls (docs/vmm.md, "Para-virtualization"): `hypercall HC_GET_PSW`
; puts the guest's own (virtual) PSW in r1; `hypercall HC_SET_PSW` sets it from
; r1. Every other register is preserved.
;
; The privileged instructions (ldtvec, ldtimer, ei, mfcr, rti, out, halt) can
; stay as they are: under every VMM they trap and are emulated correctly.

        .org 0
_start:
        la      sp, stack_top
        la      r2, trap_handler
        ldtvec  r2

        ; ---- 1. which mode am I in? -------------------------------------
.ifdef PV
        hypercall HC_GET_PSW            ; the VMM answers with the virtual PSW
        mov     r3, r1
.else
        rdpsw   r3
.endif
        andi    r3, r3, PSW_U
        la      r2, msg_kernel
        beqz    r3, report_mode
        la      r2, msg_user
report_mode:
        call    puts

        ; ---- 2. a critical section with interrupts off ------------------
        ; A fast timer, interrupts on, then off again by clearing PSW.IE with
        ; a PSW write (the POPF idiom). The timer period (5000 cycles) is
        ; several times what a tick's handling costs.
        li      r2, 5000
        ldtimer r2
        ei
.ifdef PV
        hypercall HC_GET_PSW
        li      r4, ~PSW_IE & 0xFFFF
        and     r1, r1, r4
        hypercall HC_SET_PSW            ; the VMM clears the virtual IE
.else
        rdpsw   r3
        li      r4, ~PSW_IE & 0xFFFF
        and     r3, r3, r4
        wrpsw   r3
.endif

        la      r5, ticks
        li      r6, 0
        stw     r6, 0(r5)               ; ticks = 0 entering the section
        li      r7, 10000               ; several timer periods long
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
        ldtimer r0
        la      r2, msg_done
        call    puts
        halt

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
        rti
unexpected:
        la      r2, msg_unexpected
        call    puts
        halt

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
