; nano/syscall - a null system call, N times (Adams & Agesen's "syscall").
;
; A user-mode loop runs `syscall` with r1 = 0; the kernel's handler checks the
; cause (one trap vector for everything on this machine, so every handler must
; read it) and returns at once with `rti` (EPC already points past the
; syscall). r1 = 1 ends the run.
;
; Natively: a trap entry and an rti. Under trap-and-emulate and binary
; translation the guest kernel runs deprivileged, so the syscall goes to the
; VMM first, which reflects it into the guest kernel; the handler's `mfcr` and
; `rti` are more VMM work. With the hardware mode the syscall goes straight to
; the guest kernel (no exit): Adams & Agesen's one clear win for hardware.
; PV: the same, with HC_IRET for the return (the mfcr still traps).
;
; Counters: SYSCALL traps = N + 1; instructions_user vs _kernel.

.include "../lib/arch.inc"
        .org 0
.include "nano.inc"

_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    la r2, user_program             ; "return" to user mode, at user_program
    mtcr epc, r2
    li r2, PSW_U
    mtcr epsw, r2
    ARCH_IRET

user_program:
    li r1, 0                        ; the null system call
    li r13, N
syscall_loop:
    syscall
    addi r13, r13, -1
    bnez r13, syscall_loop
    li r1, 1                        ; any other number: the end
    syscall

trap_handler:
    mfcr r12, cause
    andi r12, r12, 0xFF
    addi r12, r12, -CAUSE_SYSCALL
    bnez r12, nano_unexpected
    bnez r1, syscall_end
    ARCH_IRET
syscall_end:
    li r2, 1                        ; ok if all N calls came back
    beqz r13, nano_finish
    li r2, 0
    b nano_finish

nano_name:      .asciz "syscall"

        .org NANO_DATA
    ARCH_DATA
