; idle - a kernel that waits for its timer in `jmp .` (issue 17, finding 5): the
; machine runs such a loop up to its next event at once, and a VMM must not
; make it cost host time per iteration. TICKS timer interrupts, each counted by
; the handler; then the count is printed.
;
; -D TICKS=n (default 2000), -D PV=1 (the para-virtual build).

.include "../../guests/lib/arch.inc"

.ifndef TICKS
.equ TICKS, 2000
.endif
.equ PERIOD,    10000               ; cycles between timer interrupts
.equ STACK_TOP, 0x8000
.equ DATA,      0x9000

        .org 0
_start:
    la sp, STACK_TOP
    la r2, idle_tick
    ARCH_SET_TVEC r2
    li r11, 0                       ; ticks so far
    li r2, PERIOD
    ARCH_SET_TIMER r2
    ARCH_EI
idle_wait:
    jmp idle_wait

; The timer: count; after TICKS of them, report.
idle_tick:
    addi r11, r11, 1
    li r2, TICKS
    bge r11, r2, idle_done
    ARCH_IRET
idle_done:
    li r2, 0
    ARCH_SET_TIMER r2
    la r2, idle_name
    b shape_report

.include "report.inc"
    ARCH_SUBROUTINES

idle_name: .asciz "idle: "

        .org DATA
shape_hex: .space 12
    ARCH_DATA
