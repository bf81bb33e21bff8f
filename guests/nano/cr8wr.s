; nano/cr8wr - an interrupt-mask write, N times (Adams & Agesen's "cr8wr").
;
; On x86-64, CR8 is the task-priority register: writing it masks or unmasks
; interrupts, a privileged instruction a kernel runs around critical
; sections. The closest thing here is the PSW's interrupt-enable bit written
; by the privileged `di` and `ei`, so the loop alternates them: N writes in
; N/2 passes (N must be even). Not `wrpsw`: that is the sensitive
; *unprivileged* PSW write (x86's POPF), which under trap-and-emulate would
; not trap at all but be silently ignored - mode-check shows that failure;
; this benchmark measures the cost of a mask write that works.
;
; Under trap-and-emulate each write traps to the VMM; binary translation turns
; it into a few instructions on the virtual PSW (Adams & Agesen: 35 cycles,
; faster than the native 140); the hardware mode runs it in guest mode.
; PV: one HC_SET_PSW per write, with the whole new PSW (kernel mode, IE on or
; off) - a hypercall per write. (Xen avoids even that: its guests mask
; event delivery with a store to a shared page. Trapeze has no such page.)
;
; Counters: cycles; under a VMM, the traps or hypercalls per write.

.include "../lib/arch.inc"
        .org 0
.include "nano.inc"

.if N % 2
    .error "cr8wr: N must be even (each pass writes the mask twice)"
.endif

_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    li r13, N / 2
cr8wr_loop:
.ifdef PV
    li r1, 0                        ; PSW = kernel mode, interrupts off
    hypercall HC_SET_PSW
    li r1, PSW_IE                   ; PSW = kernel mode, interrupts on
    hypercall HC_SET_PSW
.else
    di
    ei
.endif
    addi r13, r13, -1
    bnez r13, cr8wr_loop
    ARCH_GET_PSW r2                 ; ok if interrupts ended up enabled
    andi r2, r2, PSW_IE
    b nano_finish

trap_handler:
    b nano_unexpected

nano_name:      .asciz "cr8wr"

        .org NANO_DATA
    ARCH_DATA
