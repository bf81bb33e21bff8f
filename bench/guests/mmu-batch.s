; mmu-batch - large page-table batches while SPACES address spaces are cached
; (issue 17, finding 5).
;
; SPACES address spaces share two second-level tables: table 0 (the identity
; map of the first MiB) at L1 slot 0 and BIG, all 1024 entries present, at slot
; 1 (virtual 0x00400000..0x007fffff). Each round rewrites every entry of BIG
; (entry i -> frame (i + round) mod NFRAMES): under PV as ONE HC_MMU_UPDATE of
; 1024 pairs, on bare hardware as 1024 stores (each one a trap under shadow
; paging). Then it visits every space (ldptr + tlbflush; PV: HC_SET_PTR) and
; reads and bumps three words through BIG, so every cached shadow holds entries
; built from BIG when the next batch comes. A VMM must drop what each pair
; changed at a cost in proportion to the shadow entries built from that word,
; not to its spaces times their slots. At the end the checksum is printed.
;
; -D ROUNDS=n (default 50), -D PV=1 (the para-virtual build).
; Memory: 1 MiB at least.

.include "../../guests/lib/arch.inc"

.ifndef ROUNDS
.equ ROUNDS, 50
.endif
.equ SPACES,     7
.equ NFRAMES,    32
.equ STACK_TOP,  0x8000
.equ DATA,       0x9000
.equ L1_BASE,    0x10000            ; SPACES first-level tables
.equ IDENTITY_L2, 0x18000
.equ BIG,        0x19000            ; the shared table rewritten every round
.equ PAIRS,      0x20000            ; 1024 {entry address, value} pairs (PV)
.equ FRAMES,     0x40000
.equ IDENTITY,   0x100000
.equ BIG_VA,     0x00400000

        .org 0
_start:
    la sp, STACK_TOP
    la r2, shape_unexpected
    ARCH_SET_TVEC r2
    ; The identity map, kernel-only (paging is off: plain stores).
    li r2, IDENTITY_L2
    li r3, 0
    li r4, IDENTITY
batch_identity:
    ori r5, r3, PTE_P | PTE_W
    stw r5, 0(r2)
    addi r2, r2, 4
    addi r3, r3, PAGE_SIZE
    bltu r3, r4, batch_identity
    ; Every space: slot 0 -> the identity map, slot 1 -> BIG.
    li r6, 0
batch_space_table:
    shli r2, r6, 12
    li r7, L1_BASE
    add r2, r2, r7
    li r5, IDENTITY_L2 | PTE_P | PTE_W
    stw r5, 0(r2)
    li r5, BIG | PTE_P | PTE_W
    stw r5, 4(r2)
    addi r6, r6, 1
    li r7, SPACES
    blt r6, r7, batch_space_table
    ; Paging on (space 0), so the batches below go to tables in use.
    li r2, L1_BASE
    ARCH_SET_PTR r2

    li r11, 0                       ; checksum
    li r12, 0                       ; round
batch_round:
    li r2, BIG
    li r3, PAIRS
    li r9, 0                        ; entry
    li r10, FRAMES | PTE_P | PTE_W
batch_entry:
    add r5, r9, r12
    andi r5, r5, NFRAMES - 1
    shli r5, r5, 12
    add r5, r5, r10
.ifdef PV
    stw r2, 0(r3)
    stw r5, 4(r3)
    addi r3, r3, 8
.else
    stw r5, 0(r2)
.endif
    addi r2, r2, 4
    addi r9, r9, 1
    li r7, 1024
    blt r9, r7, batch_entry
.ifdef PV
    li r1, PAIRS
    li r2, 1024
    hypercall HC_MMU_UPDATE
    bnez r1, shape_unexpected
    li r1, -1
    hypercall HC_TLB_FLUSH
.else
    tlbflush
.endif
    li r6, 0
batch_switch:
    shli r2, r6, 12
    li r7, L1_BASE
    add r2, r2, r7
    ARCH_SET_PTR r2
    ; pages 37k, 37k + 300, 37k + 600 of BIG's region
    muli r3, r6, 37
    shli r3, r3, 12
    li r7, BIG_VA
    add r3, r3, r7
    li r9, 3
batch_touch:
    ldw r5, 0(r3)
    add r11, r11, r5
    addi r5, r5, 1
    stw r5, 0(r3)
    li r7, 300 * PAGE_SIZE          ; (li takes any 32-bit value)
    add r3, r3, r7
    addi r9, r9, -1
    bnez r9, batch_touch
    addi r6, r6, 1
    li r7, SPACES
    blt r6, r7, batch_switch
    addi r12, r12, 1
    li r7, ROUNDS
    blt r12, r7, batch_round

    la r2, batch_name
    b shape_report

.include "report.inc"
    ARCH_SUBROUTINES

batch_name: .asciz "mmu-batch: "

        .org DATA
shape_hex: .space 12
    ARCH_DATA
