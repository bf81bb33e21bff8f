; as-churn - address-space churn: a correct kernel switching among SPACES
; address spaces that share TABLES second-level tables (issue 17, finding 5).
;
; Every space maps the same 16 second-level tables: table 0 (the identity map of
; the first MiB, the kernel's code and data) at L1 slot 0, and tables 1..15 at
; slots 1..15 in an order rotated by the space's number, so one table sits at a
; different slot in each space. Each round visits the spaces in turn: load the
; space's root (ldptr + tlbflush; PV: HC_SET_PTR), then read, bump and write one
; word in each of its 15 regions. A shadow-paging VMM caches fewer address
; spaces than 8 (kShadowSpaces), so visiting them round-robin evicts one and
; builds one at every switch: the worst case of its cache, which a VMM must
; handle at a cost proportional to the entries it touches. At the end the
; checksum of every word read is printed.
;
; -D ROUNDS=n (default 1000), -D PV=1 (the para-virtual build).
; Memory: 1 MiB at least.

.include "../../guests/lib/arch.inc"

.ifndef ROUNDS
.equ ROUNDS, 1000
.endif
.equ SPACES,     8
.equ TABLES,     16                 ; second-level tables, shared by every space
.equ PAGES,      4                  ; pages mapped by each of tables 1..15
.equ STACK_TOP,  0x8000
.equ DATA,       0x9000
.equ L1_BASE,    0x10000            ; SPACES first-level tables
.equ L2_BASE,    0x18000            ; TABLES second-level tables
.equ FRAMES,     0x40000            ; (TABLES - 1) * PAGES data frames
.equ IDENTITY,   0x100000           ; table 0 maps [0, 1 MiB) to itself

        .org 0
_start:
    la sp, STACK_TOP
    la r2, shape_unexpected
    ARCH_SET_TVEC r2
    ; Table 0: the identity map, kernel-only. (Paging is off: plain stores.)
    li r2, L2_BASE
    li r3, 0
    li r4, IDENTITY
churn_identity:
    ori r5, r3, PTE_P | PTE_W
    stw r5, 0(r2)
    addi r2, r2, 4
    addi r3, r3, PAGE_SIZE
    bltu r3, r4, churn_identity
    ; Tables 1..15: PAGES frames each.
    li r6, 1
churn_table:
    shli r2, r6, 12
    li r7, L2_BASE
    add r2, r2, r7
    addi r8, r6, -1
    muli r8, r8, PAGES * PAGE_SIZE
    li r7, FRAMES
    add r8, r8, r7
    li r9, PAGES
churn_page:
    ori r5, r8, PTE_P | PTE_W
    stw r5, 0(r2)
    addi r2, r2, 4
    addi r8, r8, PAGE_SIZE
    addi r9, r9, -1
    bnez r9, churn_page
    addi r6, r6, 1
    li r7, TABLES
    blt r6, r7, churn_table
    ; Space k: slot 0 -> table 0, slot s -> table 1 + (s - 1 + k) mod 15.
    li r6, 0
churn_space_table:
    shli r2, r6, 12
    li r7, L1_BASE
    add r2, r2, r7
    li r5, L2_BASE | PTE_P | PTE_W
    stw r5, 0(r2)
    li r9, 1
churn_slot:
    add r8, r9, r6
    addi r8, r8, -1
    li r7, TABLES - 1
    remu r8, r8, r7
    addi r8, r8, 1
    shli r8, r8, 12
    li r7, L2_BASE | PTE_P | PTE_W
    add r8, r8, r7
    shli r10, r9, 2
    add r10, r10, r2
    stw r8, 0(r10)
    addi r9, r9, 1
    li r7, TABLES
    blt r9, r7, churn_slot
    addi r6, r6, 1
    li r7, SPACES
    blt r6, r7, churn_space_table

    li r11, 0                       ; checksum
    li r13, ROUNDS
churn_round:
    li r6, 0
churn_switch:
    shli r2, r6, 12
    li r7, L1_BASE
    add r2, r2, r7
    ARCH_SET_PTR r2
    andi r3, r6, PAGES - 1
    shli r3, r3, 12                 ; which page of each region this space uses
    li r9, 1
churn_touch:
    shli r4, r9, 22
    add r4, r4, r3
    ldw r5, 0(r4)
    add r5, r5, r9
    add r5, r5, r6
    stw r5, 0(r4)
    add r11, r11, r5
    addi r9, r9, 1
    li r7, TABLES
    blt r9, r7, churn_touch
    addi r6, r6, 1
    li r7, SPACES
    blt r6, r7, churn_switch
    addi r13, r13, -1
    bnez r13, churn_round

    la r2, churn_name
    b shape_report

.include "report.inc"
    ARCH_SUBROUTINES

churn_name: .asciz "as-churn: "

        .org DATA
shape_hex: .space 12
    ARCH_DATA
