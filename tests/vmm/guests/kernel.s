; kernel.s - a small guest kernel for the VMM's equivalence tests.
;
; It does what the lecture's guest OS does, in miniature: sets its trap vector,
; builds two-level page tables (the kernel identity-mapped, supervisor only; a
; user program's pages with U set; an empty region for demand-zero pages), turns
; paging on, starts a periodic timer and enters the user program with `rti`.
; It then serves the program's system calls (write, print a number, exit),
; maps a fresh zeroed page on each page fault in the demand-zero region, and
; counts timer interrupts, printing '.' for each - so the console shows exactly
; where the interrupts landed relative to the program's output.
;
; Run on bare metal and under trap-and-emulate it must give the same console
; output and the same final guest state.
;
; Guest-physical layout (256 KiB):
;   0x0000 kernel code   0x1000 kernel data   0x2000 kernel stack (top 0x3000)
;   0x3000 L1 table      0x4000 L2 for VA 0x000xxxxx   0x5000 L2 for VA 0x004xxxxx
;   0x8000 user code     0x9000 user data     0xA000 user stack (top 0xB000)
;   0x10000.. free frames for demand-zero pages

.ifndef TIMER_PERIOD
TIMER_PERIOD = 20000
.endif
.ifndef LOOPS
LOOPS = 600
.endif

L1       = 0x3000
L2_LOW   = 0x4000
L2_HIGH  = 0x5000
DEMAND   = 0x00400000
KSTACK   = 0x3000
USTACK   = 0xB000

SYS_WRITE = 1
SYS_HEX   = 2
SYS_EXIT  = 3

        .org 0
_start:
        la      sp, KSTACK
        li      r1, KSTACK
        mtcr    scratch0, r1            ; the kernel stack, for trap entry
        la      r1, trap
        ldtvec  r1

        ; ---- identity-map the first 64 pages; pages 8..10 are the user's ----
        li      r1, 0                   ; page number
        li      r2, L2_LOW
map_low:
        shli    r3, r1, 12
        ori     r3, r3, PTE_P | PTE_W
        li      r4, 8
        blt     r1, r4, map_store
        li      r4, 11
        bge     r1, r4, map_store
        ori     r3, r3, PTE_U
map_store:
        stw     r3, 0(r2)
        addi    r2, r2, 4
        addi    r1, r1, 1
        li      r4, 64
        blt     r1, r4, map_low

        li      r2, L1
        li      r3, L2_LOW | PTE_P | PTE_W | PTE_U
        stw     r3, 0(r2)               ; L1[0]: VA 0x00000000..0x003FFFFF
        li      r3, L2_HIGH | PTE_P | PTE_W | PTE_U
        stw     r3, 4(r2)               ; L1[1]: VA 0x00400000..0x007FFFFF (demand-zero)

        li      r1, L1
        ldptr   r1
        tlbflush

        la      r2, msg_boot
        call    kputs

        ; ---- enter the user program: user mode, interrupts on ----
        li      r1, TIMER_PERIOD
        ldtimer r1
        la      r1, user_start
        mtcr    epc, r1
        li      r1, PSW_U | PSW_IE
        mtcr    epsw, r1
        li      sp, USTACK
        rti

; ---- the trap handler -------------------------------------------------------
trap:
        mtcr    scratch1, sp            ; the interrupted stack
        mfcr    sp, scratch0            ; the kernel's
        push    r1
        push    r2
        push    r3
        push    r4
        push    r5
        push    lr
        mfcr    r1, cause
        andi    r2, r1, 0xFF
        li      r3, CAUSE_SYSCALL
        beq     r2, r3, do_syscall
        li      r3, CAUSE_TIMER
        beq     r2, r3, do_timer
        li      r3, CAUSE_PAGE_FAULT
        beq     r2, r3, do_fault
        la      r2, msg_unexpected
        call    kputs
        mfcr    r2, cause
        call    kputhex
        halt

trap_return:
        pop     lr
        pop     r5
        pop     r4
        pop     r3
        pop     r2
        pop     r1
        mfcr    sp, scratch1
        rti

do_timer:
        la      r2, ticks
        ldw     r3, 0(r2)
        addi    r3, r3, 1
        stw     r3, 0(r2)
        li      r3, '.'
        out     PORT_CONSOLE, r3
        b       trap_return

; System calls: number in r1, arguments in r2, r3 (as the user left them).
do_syscall:
        ldw     r1, 20(sp)
        ldw     r2, 16(sp)
        ldw     r3, 12(sp)
        li      r4, SYS_WRITE
        beq     r1, r4, sys_write
        li      r4, SYS_HEX
        beq     r1, r4, sys_hex
        li      r4, SYS_EXIT
        beq     r1, r4, sys_exit
        la      r2, msg_badsys
        call    kputs
        halt
sys_write:                              ; r2 = address, r3 = length
        beqz    r3, trap_return
        ldb     r4, 0(r2)
        out     PORT_CONSOLE, r4
        addi    r2, r2, 1
        addi    r3, r3, -1
        b       sys_write
sys_hex:
        call    kputhex
        b       trap_return
sys_exit:
        la      r2, msg_exit
        call    kputs
        ldw     r2, 16(sp)
        call    kputhex
        la      r2, msg_ticks
        call    kputs
        la      r2, ticks
        ldw     r2, 0(r2)
        call    kputhex
        li      r1, 0
        ldtimer r1
        halt

; Page faults in the demand-zero region get a fresh zeroed frame; others are fatal.
do_fault:
        mfcr    r2, badaddr
        li      r3, DEMAND
        bltu    r2, r3, segfault
        li      r3, DEMAND + 0x10000
        bgeu    r2, r3, segfault
        la      r3, next_frame
        ldw     r4, 0(r3)               ; the frame to hand out
        addi    r5, r4, PAGE_SIZE
        stw     r5, 0(r3)
        li      r5, 0                   ; zero it (identity-mapped for the kernel)
zero_page:
        add     r1, r4, r5
        stw     r0, 0(r1)
        addi    r5, r5, 4
        li      r1, PAGE_SIZE
        blt     r5, r1, zero_page
        shri    r2, r2, 12              ; the L2 entry: a write to the page table
        andi    r2, r2, 0x3FF
        shli    r2, r2, 2
        li      r3, L2_HIGH
        add     r2, r2, r3
        ori     r4, r4, PTE_P | PTE_W | PTE_U
        stw     r4, 0(r2)
        b       trap_return             ; retry the access
segfault:
        la      r2, msg_segv
        call    kputs
        mfcr    r2, badaddr
        call    kputhex
        halt

; kputs: the NUL-terminated string at r2 (clobbers r2, r3).
kputs:
        ldb     r3, 0(r2)
        beqz    r3, kputs_done
        out     PORT_CONSOLE, r3
        addi    r2, r2, 1
        b       kputs
kputs_done:
        ret

; kputhex: r2 as 8 hex digits and a newline (clobbers r2..r5).
kputhex:
        li      r4, 28
kputhex_digit:
        shr     r3, r2, r4
        andi    r3, r3, 0xF
        li      r5, 10
        blt     r3, r5, kputhex_num
        addi    r3, r3, 'a' - 10
        b       kputhex_out
kputhex_num:
        addi    r3, r3, '0'
kputhex_out:
        out     PORT_CONSOLE, r3
        addi    r4, r4, -4
        bge     r4, r0, kputhex_digit
        li      r3, '\n'
        out     PORT_CONSOLE, r3
        ret

        .org 0x1000
ticks:          .word 0
next_frame:     .word 0x10000
msg_boot:       .asciz "kernel: paging on, entering user mode\n"
msg_exit:       .asciz "\nkernel: exit "
msg_ticks:      .asciz "kernel: ticks "
msg_unexpected: .asciz "kernel: unexpected trap, cause "
msg_badsys:     .asciz "kernel: bad system call\n"
msg_segv:       .asciz "kernel: segmentation fault at "

; ---- the user program ---------------------------------------------------------
        .org 0x8000
user_start:
        li      r1, SYS_WRITE
        la      r2, msg_hello
        li      r3, msg_hello_end - msg_hello
        syscall
        ; Fill words across three demand-zero pages (three page faults), summing.
        li      r6, 0                   ; checksum
        li      r7, 0                   ; i
        li      r9, LOOPS
fill:
        li      r8, DEMAND
        andi    r10, r7, 0x3FF          ; a word in the region's first pages
        muli    r10, r10, 20
        add     r8, r8, r10
        ldw     r10, 0(r8)
        add     r10, r10, r7
        stw     r10, 0(r8)
        add     r6, r6, r10
        muli    r11, r7, 7
        xor     r6, r6, r11
        addi    r7, r7, 1
        blt     r7, r9, fill
        ; a few words of user data, on its own page
        la      r8, user_data
        stw     r6, 0(r8)
        push    r6
        li      r1, SYS_HEX
        mov     r2, r6
        syscall
        pop     r6
        li      r1, SYS_WRITE
        la      r2, msg_bye
        li      r3, msg_bye_end - msg_bye
        syscall
        li      r1, SYS_EXIT
        mov     r2, r6
        syscall
        b       .                       ; not reached

        .org 0x9000
user_data:      .word 0
msg_hello:      .ascii "user: hello from user mode\n"
msg_hello_end:
msg_bye:        .ascii "user: bye\n"
msg_bye_end:
