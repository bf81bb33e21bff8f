; nano/ptemod - a page-table-entry write and its TLB invalidation, N times
; (Adams & Agesen's "ptemod").
;
; Paging on; the loop flips the probe page's entry between frame A and frame
; B, each time invalidating the page's translation. At the end a load through
; the probe page must find the marker of the frame the last write chose.
; Before the loop the probe page is mapped and read once, so its page table is
; in use by the address space: a shadow-paging VMM has walked it, and so
; write-protected it, before the first timed write.
;
; Natively: a store and an `invlpg`. Under shadow paging the VMM has
; write-protected the guest's tables, so each store traps, is decoded and
; emulated, and the shadow entry updated - binary translation does it in a
; few hundred cycles (391), first-generation hardware paid a VM exit for
; every one (12733): the hardware mode's worst case. Nested paging makes the
; store free again. PV: each pass is one HC_MMU_UPDATE and one HC_TLB_FLUSH
; for the page (ARCH_SET_PTE, ARCH_INVLPG, ARCH_PTE_COMMIT) - a single update
; cannot be batched; pagetable-churn shows what batching saves.
;
; Counters: TLB invlpgs = N; under a VMM, traps or hypercalls per pass.

.include "../lib/arch.inc"
.equ NANO_PAGING, 1
        .org 0
.include "nano.inc"

.equ MARKER_A, 0xAAAA
.equ MARKER_B, 0xBBBB

_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    li r2, NANO_FRAME_A             ; mark the two frames
    li r3, MARKER_A
    stw r3, 0(r2)
    li r2, NANO_FRAME_B
    li r3, MARKER_B
    stw r3, 0(r2)
    call nano_paging_on
    li r5, NANO_PROBE_L2            ; the probe page's entry (entry 0)
    li r6, NANO_FRAME_A | PTE_P | PTE_W
    li r7, NANO_FRAME_A ^ NANO_FRAME_B
    li r8, NANO_PROBE_VA
    ARCH_SET_PTE r5, r6             ; frame A, and one read through it
    ARCH_PTE_COMMIT
    ldw r2, 0(r8)
    li r13, N
ptemod_loop:
    xor r6, r6, r7                  ; the other frame
    ARCH_SET_PTE r5, r6
    ARCH_INVLPG r8
    ARCH_PTE_COMMIT
    addi r13, r13, -1
    bnez r13, ptemod_loop
    ldw r2, 0(r8)                   ; the marker of the frame mapped last
    li r3, MARKER_A
    andi r4, r6, NANO_FRAME_A
    bnez r4, ptemod_check
    li r3, MARKER_B
ptemod_check:
    li r4, 0
    bne r2, r3, ptemod_done
    li r4, 1
ptemod_done:
    mov r2, r4
    b nano_finish

trap_handler:
    b nano_unexpected

.include "../lib/paging.inc"

nano_name:      .asciz "ptemod"

        .org NANO_DATA
    ARCH_DATA
