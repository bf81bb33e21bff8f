; nano/callret - a call and a return, N times (Adams & Agesen's "call/ret").
;
; Nothing privileged or sensitive: natively, and under trap-and-emulate and
; the hardware mode, it runs at full speed. A binary translator pays here:
; `ret` jumps to an address in a register, which the translator has to look
; up in its translation cache (Adams & Agesen: 11 cycles native, 51 under
; binary translation). PV: identical code.
;
; Counters: instructions = 4 per pass (call, ret, addi, bnez); no traps.

.include "../lib/arch.inc"
        .org 0
.include "nano.inc"

_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    li r13, N
callret_loop:
    call leaf
    addi r13, r13, -1
    bnez r13, callret_loop
    li r2, 1                        ; every call came back, or we would not be here
    b nano_finish

leaf:
    ret

trap_handler:
    b nano_unexpected

nano_name:      .asciz "callret"

        .org NANO_DATA
    ARCH_DATA
