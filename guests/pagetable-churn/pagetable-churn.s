; pagetable-churn - map, touch, unmap, remap: the page-table-modification workload.
;
; What it shows. What a VMM pays when a guest edits its page tables. On bare
; hardware a page-table entry is an ordinary word: a store and an `invlpg`.
; A shadow-paging VMM must notice every such store (it write-protects the
; guest's tables, so each one traps and is emulated) to keep its combined
; table right - the lecture's "VMM combines the guest page table with its
; own". Nested paging lets the stores run at full speed. A para-virtual
; kernel hands the VMM a whole batch of updates in one hypercall - batching.
; Adams & Agesen found exactly this operation (ptemod) where first-generation
; hardware support lost worst against binary translation.
;
; How it works. A kernel with identity paging (../lib/paging.inc), a window of
; WINDOW_PAGES virtual pages at 0x00400000 with its own second-level table,
; and NFRAMES physical frames. Each round r:
;   1. maps window page j to frame (5r + j) mod NFRAMES - a different frame
;      than last round - with ARCH_SET_PTE and ARCH_INVLPG, then commits;
;   2. touches each window page: reads a word (left there by an earlier round,
;      through another virtual page), folds it into a checksum, writes a new
;      one;
;   3. unmaps the odd window pages (entry 0, invlpg), commits;
;   4. probes an unmapped page: the load must page-fault (the handler counts
;      it and skips the load). A stale translation would let it through.
; At the end the frames themselves are folded in and the checksum printed:
; any translation that went to the wrong frame changes it.
;
; Variants: default (bare metal; trap-and-emulate, binary translation and the
; hardware mode run it unmodified), -D PV=1 (each commit is one HC_MMU_UPDATE
; for the whole batch plus one HC_TLB_FLUSH), -D ROUNDS=n (default 64).
;
; What to watch in the counters: TLB invlpgs and misses; PAGE_FAULT traps
; (= ROUNDS, the probes). Under a VMM: the traps per PTE write (shadow
; paging), none with nested paging, ROUNDS x 2 hypercalls x 2 under PV.

.include "../lib/arch.inc"

.ifndef ROUNDS
.equ ROUNDS, 64
.endif
.equ WINDOW_PAGES,   8
.equ NFRAMES,        12             ; more frames than window pages: they rotate

; Physical memory (identity-mapped, kernel-only, 0 .. IDENTITY_BYTES)
.equ DATA,           0x2000
.equ STACK_TOP,      0x4000
.equ L1,             0x4000
.equ KERNEL_L2,      0x5000
.equ WINDOW_L2,      0x6000
.equ FRAMES,         0x10000
.equ IDENTITY_BYTES, FRAMES + NFRAMES * PAGE_SIZE
; Virtual
.equ WINDOW_VA,      0x00400000
.equ WINDOW_L1_INDEX, WINDOW_VA >> 22

        .org 0
_start:
    la sp, STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
    li r2, L1
    li r3, KERNEL_L2
    la r4, IDENTITY_BYTES
    call paging_identity
    li r2, WINDOW_L2                ; an empty window
    call paging_zero_page
    li r3, L1 + WINDOW_L1_INDEX * 4
    li r4, WINDOW_L2 | PTE_P | PTE_W
    ARCH_SET_PTE r3, r4
    ARCH_PTE_COMMIT
    li r2, L1
    ARCH_SET_PTR r2                 ; paging on

    li r8, 0                        ; the round
round_loop:
    mov r2, r8
    call map_window
    mov r2, r8
    call touch_window
    call unmap_odd_pages
    li r5, WINDOW_VA + PAGE_SIZE    ; page 1 is unmapped now: this must fault
    ldw r6, 0(r5)
    addi r8, r8, 1
    li r3, ROUNDS
    bne r8, r3, round_loop

    call fold_frames
    call report
    ARCH_HALT

; Map window page j to frame (5 * round + j) mod NFRAMES, for every j, and
; invalidate each page's old translation. Round in r2.
map_window:
    push lr
    push r8
    push r9
    muli r8, r2, 5
    li r9, 0                        ; j
map_window_loop:
    add r2, r8, r9
    li r3, NFRAMES
    remu r2, r2, r3
    shli r2, r2, PAGE_SHIFT
    la r3, FRAMES | PTE_P | PTE_W
    add r4, r2, r3                  ; the new entry
    mov r2, r9
    call set_window_pte
    addi r9, r9, 1
    li r3, WINDOW_PAGES
    bne r9, r3, map_window_loop
    ARCH_PTE_COMMIT
    pop r9
    pop r8
    pop lr
    ret

; Unmap the odd window pages.
unmap_odd_pages:
    push lr
    push r9
    li r9, 1
unmap_loop:
    mov r2, r9
    li r4, 0
    call set_window_pte
    addi r9, r9, 2
    li r3, WINDOW_PAGES
    blt r9, r3, unmap_loop
    ARCH_PTE_COMMIT
    pop r9
    pop lr
    ret

; Window entry r2 = r4, and drop the page's translation from the TLB. Counted.
set_window_pte:
    shli r3, r2, 2
    li r5, WINDOW_L2
    add r3, r3, r5
    ARCH_SET_PTE r3, r4
    shli r3, r2, PAGE_SHIFT
    la r5, WINDOW_VA
    add r3, r3, r5
    ARCH_INVLPG r3
    la r3, pte_writes
    ldw r5, 0(r3)
    addi r5, r5, 1
    stw r5, 0(r3)
    ret

; Read a word of each window page into the checksum, write a new one.
; Word (7 * round + 13 * j) mod 1024 of page j. Round in r2.
touch_window:
    la r7, checksum
    ldw r6, 0(r7)
    li r3, 0                        ; j
touch_loop:
    muli r4, r2, 7
    muli r5, r3, 13
    add r4, r4, r5
    andi r4, r4, 1023
    shli r4, r4, 2
    shli r5, r3, PAGE_SHIFT
    add r4, r4, r5
    la r5, WINDOW_VA
    add r4, r4, r5                  ; the word's virtual address
    shli r1, r6, 5                  ; checksum = rotl(checksum, 5) ^ old + j
    shri r6, r6, 27
    or r6, r6, r1
    ldw r5, 0(r4)
    xor r6, r6, r5
    add r6, r6, r3
    shli r5, r2, 8
    or r5, r5, r3
    xor r5, r5, r6
    stw r5, 0(r4)
    addi r3, r3, 1
    li r5, WINDOW_PAGES
    bne r3, r5, touch_loop
    stw r6, 0(r7)
    ret

; Fold every word of every frame (through the identity map) into the checksum.
fold_frames:
    la r7, checksum
    ldw r6, 0(r7)
    la r2, FRAMES
    la r3, FRAMES + NFRAMES * PAGE_SIZE
fold_loop:
    shli r1, r6, 1
    shri r6, r6, 31
    or r6, r6, r1
    ldw r4, 0(r2)
    add r6, r6, r4
    addi r2, r2, 4
    bne r2, r3, fold_loop
    stw r6, 0(r7)
    ret

; Trap handler: a page fault on the probe is expected - count it and skip the
; load. Anything else ends the run.
trap_handler:
    mtcr scratch0, r1               ; keep the interrupted r1
    mfcr r1, cause
    andi r1, r1, 0xFF
    addi r1, r1, -CAUSE_PAGE_FAULT
    bnez r1, unexpected_trap
    mfcr r1, epc
    addi r1, r1, 4
    mtcr epc, r1
    la r1, probe_faults
    push r2
    ldw r2, 0(r1)
    addi r2, r2, 1
    stw r2, 0(r1)
    pop r2
    mfcr r1, scratch0
    ARCH_IRET
unexpected_trap:
    la r2, msg_unexpected
    call kput_str
    ARCH_HALT

; "pagetable-churn: 64 rounds, 768 PTE writes and invalidations" and so on.
report:
    push lr
    la r2, msg_prefix
    call kput_str
    li r2, ROUNDS
    call kput_dec
    la r2, msg_rounds
    call kput_str
    la r2, pte_writes
    ldw r2, 0(r2)
    call kput_dec
    la r2, msg_writes
    call kput_str
    la r2, msg_prefix
    call kput_str
    la r2, probe_faults
    ldw r2, 0(r2)
    call kput_dec
    la r2, msg_of
    call kput_str
    li r2, ROUNDS
    call kput_dec
    la r2, msg_probes
    call kput_str
    la r2, msg_prefix
    call kput_str
    la r2, msg_checksum
    call kput_str
    la r2, checksum
    ldw r2, 0(r2)
    call kput_hex
    li r2, '\n'
    call kput_char
    pop lr
    ret

.include "../lib/paging.inc"
.include "../lib/kernel/print.inc"
        ARCH_SUBROUTINES

msg_prefix:     .asciz "pagetable-churn: "
msg_rounds:     .asciz " rounds, "
msg_writes:     .asciz " PTE writes, each with an invalidation\n"
msg_of:         .asciz " of "
msg_probes:     .asciz " probes of an unmapped page faulted\n"
msg_checksum:   .asciz "checksum "
msg_unexpected: .asciz "pagetable-churn: unexpected trap\n"
.if . > DATA
    .error "code overflows into the data page"
.endif

        .org DATA
checksum:       .word 0
pte_writes:     .word 0
probe_faults:   .word 0
    PRINT_DATA
    ARCH_DATA
.if . > STACK_TOP - 256
    .error "data overflows into the stack"
.endif
