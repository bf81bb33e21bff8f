; scanner.s - an isolation probe: reads every guest-physical page it can form,
; first with paging off (addresses 0 .. SCAN_LIMIT), then with paging on, mapping
; each frame 0 .. SCAN_FRAMES in turn at VA 0x400000 (and an L2 table beyond its
; memory). Addresses that do not exist fault; the handler skips to the next page.
; Every word whose top byte is 0x5E is recorded - complemented, so the record
; itself does not match - in `found`, and printed. Its own marker word is the one
; it should find, once per phase.

.ifndef SCAN_LIMIT
SCAN_LIMIT = 0x1000000
.endif
.ifndef SCAN_FRAMES
SCAN_FRAMES = 4096
.endif
MARK = 0x5E

        .org 0
_start:
        la      r13, handler
        ldtvec  r13
        li      sp, 0x1F00
        ; ---- phase 1: paging off --------------------------------------------------
        li      r1, 0
        la      r7, next1               ; where the handler resumes
        li      r2, SCAN_LIMIT
scan1:  ldw     r3, 0(r1)
        call    check
        addi    r1, r1, 4
next1:  bltu    r1, r2, scan1

        ; ---- phase 2: paging on -----------------------------------------------------
        ; L1 (0x3000): slot 0 -> L2 0x2000 (identity, pages 0..15); slot 1 -> L2 0x4000
        ; (the window); slot 2 -> an L2 table beyond its memory.
        li      r5, 0
        li      r4, 0x2000
map:    shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        stw     r3, 0(r4)
        addi    r4, r4, 4
        addi    r5, r5, 1
        li      r6, 16
        blt     r5, r6, map
        li      r4, 0x3000
        li      r3, 0x2000 | PTE_P | PTE_W
        stw     r3, 0(r4)
        li      r3, 0x4000 | PTE_P | PTE_W
        stw     r3, 4(r4)
        li      r3, 0x01000000 | PTE_P | PTE_W
        stw     r3, 8(r4)
        ldptr   r4
        tlbflush
        li      r1, 0x800000            ; through the L2 table that does not exist
        la      r7, frames
        ldw     r3, 0(r1)
frames: li      r9, 0                   ; frame number
frame:  shli    r3, r9, 12
        ori     r3, r3, PTE_P | PTE_W
        stw     r3, 0x4000(r0)          ; window -> frame r9
        li      r1, 0x400000
        invlpg  r1
        li      r2, 0x401000
        la      r7, next2
scan2:  ldw     r3, 0(r1)
        call    check
        addi    r1, r1, 4
        bltu    r1, r2, scan2
next2:  addi    r9, r9, 1
        li      r10, SCAN_FRAMES
        bltu    r9, r10, frame
        halt

; A word with the marker: record its complement, print the word.
check:  shri    r4, r3, 24
        li      r5, MARK
        bne     r4, r5, check_done
        la      r4, count
        ldw     r5, 0(r4)
        shli    r6, r5, 2
        add     r6, r6, r4
        not     r8, r3
        stw     r8, 4(r6)               ; found[count] = ~word
        addi    r5, r5, 1
        stw     r5, 0(r4)
        li      r8, 28                  ; print the word in hex
digit:  shr     r6, r3, r8
        andi    r6, r6, 0xF
        li      r5, 10
        blt     r6, r5, num
        addi    r6, r6, 'a' - 10
        b       put
num:    addi    r6, r6, '0'
put:    out     PORT_CONSOLE, r6
        addi    r8, r8, -4
        bge     r8, r0, digit
        li      r6, '\n'
        out     PORT_CONSOLE, r6
check_done:
        ret

; A page fault: skip to the next page (phase 1) or frame (phase 2).
handler:
        mfcr    r8, badaddr
        shri    r8, r8, 12
        addi    r8, r8, 1
        shli    r1, r8, 12
        mtcr    epc, r7
        rti

        .org 0x1000
own:    .word   0x5E0E0E0E              ; its own marker: found once per phase
count:  .word   0
found:  .space  64
