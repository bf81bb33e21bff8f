; nano/in - a port read, N times (Adams & Agesen's "in").
;
; `in` from PORT_BLK_STATUS: a register read with no side effect (the block
; device is idle, so it reads 0). Port I/O is privileged and, on real
; hardware, slow: the machine charges 3200 cycles for it (Adams & Agesen
; measured 3209 for a native `in`).
;
; Under trap-and-emulate every `in` traps and the VMM emulates the device
; register - which can be *cheaper* than the real port, since the emulated
; device is just memory: Adams & Agesen's binary translator did it in ~214
; cycles, while first-generation hardware paid a full VM exit (15826).
; PV: the same code - the hypercall interface has no port read, so a PV
; kernel's `in` traps and is emulated just like under trap-and-emulate. (A PV
; driver avoids port I/O altogether: see io-driver's ring.)
;
; Counters: io.in = N; cycles.

.include "../lib/arch.inc"
        .org 0
.include "nano.inc"

_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    li r3, 0                        ; OR of everything read
    li r13, N
in_loop:
    in r2, PORT_BLK_STATUS
    or r3, r3, r2
    addi r13, r13, -1
    bnez r13, in_loop
    li r2, 1                        ; ok if the idle device always said 0
    beqz r3, nano_finish
    li r2, 0
    b nano_finish

trap_handler:
    b nano_unexpected

nano_name:      .asciz "in"

        .org NANO_DATA
    ARCH_DATA
