; wset - a working set of PAGES pages, each touched once per round, ROUNDS
; rounds: the guest of the caching sweeps (docs/experiments.md).
;
; Paging on (nano.inc's identity map of the low 64 KiB); the working set is
; virtual 0x00400000 + i * 4 KiB -> physical 0x10000 + i * 4 KiB, i < PAGES.
; Each round loads, increments and stores one word of every page, in order, so
; with a TLB of fewer entries than the pages in use (the working set, plus code,
; data and stack) every access misses under LRU-like replacement: the TLB-size
; sweep's knee. Under shadow paging the first touch of each page is a hidden
; fault; under nested paging each miss walks both tables.
; Afterwards every page must hold ROUNDS; prints "wset: ok" (or FAILED).
;
; Defines: PAGES (1..256, default 16), ROUNDS (default 20), PV. Needs
; 64 KiB + PAGES * 4 KiB of memory.

.include "../lib/arch.inc"
.equ NANO_PAGING, 1
        .org 0
.include "../nano/nano.inc"

.ifndef PAGES
.equ PAGES, 16
.endif
.ifndef ROUNDS
.equ ROUNDS, 20
.endif
.if PAGES < 1 || PAGES > 256
    .error "PAGES must be 1..256"
.endif
.if ROUNDS < 1
    .error "ROUNDS must be at least 1"
.endif

.equ WS_FRAMES, 0x10000

_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    call nano_paging_on
    li r8, 0                        ; map page r8
map_loop:
    shli r9, r8, 2
    li r3, NANO_PROBE_L2
    add r3, r3, r9                  ; its entry
    shli r4, r8, 12
    li r5, WS_FRAMES | PTE_P | PTE_W
    add r4, r4, r5
    ARCH_SET_PTE r3, r4
    ARCH_PTE_COMMIT
    addi r8, r8, 1
    li r6, PAGES
    bne r8, r6, map_loop

    li r9, ROUNDS
round_loop:
    li r8, PAGES
    li r10, NANO_PROBE_VA
touch_loop:
    ldw r2, 0(r10)
    addi r2, r2, 1
    stw r2, 0(r10)
    addi r10, r10, 4096
    addi r8, r8, -1
    bnez r8, touch_loop
    addi r9, r9, -1
    bnez r9, round_loop

    li r2, 1                        ; ok if every page counted every round
    li r8, PAGES
    li r10, NANO_PROBE_VA
    li r3, ROUNDS
check_loop:
    ldw r4, 0(r10)
    beq r4, r3, check_next
    li r2, 0
check_next:
    addi r10, r10, 4096
    addi r8, r8, -1
    bnez r8, check_loop
    b nano_finish

trap_handler:
    b nano_unexpected

.include "../lib/paging.inc"

nano_name:      .asciz "wset"

        .org NANO_DATA
    ARCH_DATA
