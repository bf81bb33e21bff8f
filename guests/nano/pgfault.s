; nano/pgfault - a page fault the kernel handles, N times (Adams & Agesen's
; "pgfault").
;
; Paging on; the loop loads from a page whose entry is absent. The kernel's
; handler checks the cause, then resumes after the faulting load - the way
; Linux's exception-table "fixup" handles a fault in copy_from_user - so every
; pass is one fault delivery, one handler and one return, with no page-table
; write mixed in (that is ptemod's job).
;
; Under a shadow-paging VMM the fault lands in the VMM first, which must walk
; the guest's table to tell a *true* guest fault (reflect it to the guest
; kernel, as here) from a *hidden* one (its shadow was just incomplete: fix
; it silently). Adams & Agesen: 1093 cycles native, 3927 with binary
; translation, 11242 with first-generation hardware. With nested paging the
; guest's fault goes straight to the guest kernel. PV: the same code, with
; HC_IRET for the return (the handler's mfcr/mtcr still trap).
;
; Counters: PAGE_FAULT traps = N; TLB misses (absent entries are not cached,
; so every pass walks).

.include "../lib/arch.inc"
.equ NANO_PAGING, 1
        .org 0
.include "nano.inc"

_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    call nano_paging_on
    li r12, 0                       ; faults handled
    li r5, NANO_PROBE_VA
    li r13, N
pgfault_loop:
    ldw r6, 0(r5)                   ; absent: a page fault
    addi r13, r13, -1
    bnez r13, pgfault_loop
    li r2, 1                        ; ok if every load faulted once
    li r3, N
    beq r12, r3, nano_finish
    li r2, 0
    b nano_finish

; Count the fault and resume after the faulting load.
trap_handler:
    mfcr r1, cause
    andi r1, r1, 0xFF
    addi r1, r1, -CAUSE_PAGE_FAULT
    bnez r1, nano_unexpected
    mfcr r1, epc
    addi r1, r1, 4
    mtcr epc, r1
    addi r12, r12, 1
    ARCH_IRET

.include "../lib/paging.inc"

nano_name:      .asciz "pgfault"

        .org NANO_DATA
    ARCH_DATA
