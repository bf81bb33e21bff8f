; nano/divzero - a divide-by-zero fault the kernel handles, N times (Adams &
; Agesen's "divzero").
;
; The loop divides by zero in kernel mode; the handler checks the cause,
; skips the `div` and returns. An exception the VMM has no interest in: under
; trap-and-emulate and binary translation it still goes to the VMM first,
; which reflects it into the guest kernel (Adams & Agesen: 889 cycles native,
; 3223 with binary translation); the hardware mode delivers it to the guest
; directly (1014). PV: the same code, with HC_IRET for the return.
;
; Counters: DIVZERO traps = N.

.include "../lib/arch.inc"
        .org 0
.include "nano.inc"

_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    li r12, 0                       ; faults handled
    li r6, 1
    li r13, N
divzero_loop:
    div r7, r6, r0                  ; divide by zero: a DIVZERO fault
    addi r13, r13, -1
    bnez r13, divzero_loop
    li r2, 1                        ; ok if every division faulted once
    li r3, N
    beq r12, r3, nano_finish
    li r2, 0
    b nano_finish

; Count the fault and resume after the `div`.
trap_handler:
    mfcr r1, cause
    andi r1, r1, 0xFF
    addi r1, r1, -CAUSE_DIVZERO
    bnez r1, nano_unexpected
    mfcr r1, epc
    addi r1, r1, 4
    mtcr epc, r1
    addi r12, r12, 1
    ARCH_IRET

nano_name:      .asciz "divzero"

        .org NANO_DATA
    ARCH_DATA
