; mini-os - a small but real operating system kernel, and three processes.
;
; What it shows. Everything the lecture says an operating system does before a
; VMM enters the picture, done by a kernel a VMM can then try to virtualize:
;   - virtual memory: two-level page tables; the kernel identity-mapped and
;     kernel-only; each process its own first-level table (sharing the
;     kernel's second-level one), so A and B use the same virtual addresses
;     (0x00401000 holds each one's own name) without seeing each other;
;   - the CPU shared by threads of control: a timer interrupt preempts the
;     running process, the kernel saves all its registers and EPC/EPSW in the
;     process table and resumes another (round robin);
;   - system calls: write, yield, exit, sleep, getpid (../lib/syscalls.inc);
;   - page faults: stack and bss pages are mapped on first touch with zeroed
;     frames from a pool; a bad access (C reading kernel memory) kills only the
;     process that made it.
; The kernel prints a trace of what it does ("[kernel] ...").
;
; How it works. The kernel lives in ../lib/kernel/ (shared with fork-like,
; monolithic and microkernel): boot.inc (entry), trap.inc (trap entry, context
; save/restore, process control block), sched.inc (processes, round-robin
; scheduler, timer, idle), vm.inc (frame pool, page tables, demand-zero
; faults), syscall.inc (dispatch and the calls), print.inc (console lines).
; This file is the configuration: which system calls exist, which processes
; start, and the two programs they run:
;   worker (A and B): says hello, fills a 6 KiB table on its stack (a second
;     stack page), yields, then sums the table for a number of rounds - long
;     enough to be preempted many times - prints the sum, checks that its
;     name at 0x00401000 is still its own, sleeps, and exits;
;   rogue (C): announces itself, then reads kernel memory and is killed.
;
; Variants. The same source builds:
;   default   the bare-metal kernel. Trap-and-emulate runs this binary
;             unmodified: it uses no sensitive-but-unprivileged instruction
;             (no rdpsw/wrpsw/sptr), so every sensitive thing it does traps to
;             the VMM - ldptr/tlbflush on each switch, mtcr/mfcr/rti on every
;             trap, `out` per console byte, and (under shadow paging) every
;             page-table store. Binary translation and the hardware mode run it
;             too.
;   -D PV=1   para-virtual: hypercalls instead (../lib/arch.inc), page-table
;             updates batched into HC_MMU_UPDATE, one HC_CONSOLE_WRITE per
;             line instead of one `out` per byte.
;   -D TIMER_PERIOD=n  the preemption period in cycles (default 4 000 000).
;
; Determinism. The output does not depend on exact timing: processes start in
; a fixed order (each yields after its startup, which is far shorter than a
; timer period), and the work of B is four times that of A, so that A always
; finishes, sleeps and exits while B is still working, by a margin of many
; timer periods. The trace prints no cycle counts or tick numbers.
;
; What to watch in the counters: TIMER traps (preemptions), SYSCALL traps,
; PAGE_FAULT traps (6 demand-zero pages + C's bad access), TLB flushes (one per
; address-space switch) and the TLB misses after each; port `out`s (one per
; console byte on bare metal). Under trap-and-emulate: PRIVILEGED traps to the
; VMM for each mtcr/mfcr/rti/ldptr/out.

.include "../lib/arch.inc"
.include "../lib/syscalls.inc"
.include "../lib/kernel/layout.inc"

.ifndef TIMER_PERIOD
.equ TIMER_PERIOD, 4000000          ; ~1 ms at 4 GHz: Linux's HZ=1000 order
.endif
.equ IMAGE_WORKER,  USER_IMAGES
.equ IMAGE_ROGUE,   USER_IMAGES + PAGE_SIZE
.equ ROUNDS_A,      700             ; each round ~11 000 cycles: A works ~2 periods
.equ ROUNDS_B,      2800            ; B ~8 periods
.equ SLEEP_A,       2
.equ SLEEP_B,       1

; ============================================================================
; The kernel
; ============================================================================
        .org KERNEL_CODE
.include "../lib/kernel/boot.inc"
.include "../lib/kernel/trap.inc"
.include "../lib/kernel/sched.inc"
.include "../lib/kernel/vm.inc"
.include "../lib/kernel/syscall.inc"
.include "../lib/kernel/print.inc"
        ARCH_SUBROUTINES

; The processes this system starts with: two workers and a rogue.
boot_processes:
    push lr
    la r2, name_a
    li r3, IMAGE_WORKER
    li r4, 'A'
    li r5, ROUNDS_A
    li r6, SLEEP_A
    call proc_create
    la r2, name_b
    li r3, IMAGE_WORKER             ; the same program, its own address space
    li r4, 'B'
    li r5, ROUNDS_B
    li r6, SLEEP_B
    call proc_create
    la r2, name_c
    li r3, IMAGE_ROGUE
    call proc_create
    pop lr
    ret

boot_banner:    .asciz "mini-os, paging on, 3 processes"
name_a:         .asciz "A"
name_b:         .asciz "B"
name_c:         .asciz "C"

; This system's calls, by number (../lib/syscalls.inc).
        .align 4
syscall_table:
    SYSCALLS_BASIC
    .word sys_bad, sys_bad          ; fork, wait: see fork-like
    .word sys_bad, sys_bad          ; kv_put, kv_get: see monolithic
    .word sys_bad, sys_bad, sys_bad ; IPC: see microkernel
.include "../lib/kernel/data.inc"
    KERNEL_DATA_END

; ============================================================================
; Program "worker" (processes A and B), running at USER_CODE
;   r2 = its name (a character), r3 = rounds of work, r4 = ticks to sleep
; ============================================================================
        .org IMAGE_WORKER
.equ TABLE_WORDS, 1536              ; 6 KiB: the stack grows onto a second page
worker:
    mov r10, r2
    mov r11, r3
    mov r12, r4
    li r3, U_NAME                   ; first touch of the bss: a page fault
    stw r10, 0(r3)                  ; the name, NUL-padded: "A\0\0\0"
    call u_begin                    ; first push: the stack's page fault
    UADDR r2, msg_hello, IMAGE_WORKER
    call u_str
    li r1, SYS_GETPID
    syscall
    mov r2, r1
    call u_dec
    li r2, ')'
    call u_char
    call u_end
    li r3, TABLE_WORDS * 4          ; a local array on the stack
    sub sp, sp, r3
    mov r2, sp
    mov r3, r10
    call fill_table
    li r1, SYS_YIELD                ; let the others start
    syscall

    li r8, 0                        ; round
    li r9, 0                        ; sum
worker_round:                       ; the long computation: preempted many times
    mov r2, sp
    mov r3, r8
    call sum_table
    add r9, r9, r2
    addi r8, r8, 1
    bne r8, r11, worker_round

    call u_begin                    ; "A: sum over 700 rounds = 0x..."
    UADDR r2, msg_sum, IMAGE_WORKER
    call u_str
    mov r2, r11
    call u_dec
    UADDR r2, msg_rounds, IMAGE_WORKER
    call u_str
    mov r2, r9
    call u_hex
    call u_end

    UADDR r2, msg_mine, IMAGE_WORKER   ; same address in A and B, different pages
    li r3, U_NAME
    ldw r3, 0(r3)
    beq r3, r10, worker_report_name
    UADDR r2, msg_not_mine, IMAGE_WORKER
worker_report_name:
    call u_say

    call u_begin                    ; "A: calling sleep(2)"
    UADDR r2, msg_sleep, IMAGE_WORKER
    call u_str
    mov r2, r12
    call u_dec
    li r2, ')'
    call u_char
    call u_end
    li r1, SYS_SLEEP
    mov r2, r12
    syscall
    UADDR r2, msg_awake, IMAGE_WORKER
    call u_say
    li r1, SYS_EXIT
    li r2, 0
    syscall

; table[i] = i * i + seed, for the TABLE_WORDS words at r2.
fill_table:
    li r4, 0
fill_table_loop:
    mul r5, r4, r4
    add r5, r5, r3
    stw r5, 0(r2)
    addi r2, r2, 4
    addi r4, r4, 1
    li r5, TABLE_WORDS
    bne r4, r5, fill_table_loop
    ret

; r2 = the sum of (table[i] xor r3) over the TABLE_WORDS words at r2.
sum_table:
    li r4, TABLE_WORDS
    li r5, 0
sum_table_loop:
    ldw r6, 0(r2)
    xor r6, r6, r3
    add r5, r5, r6
    addi r2, r2, 4
    addi r4, r4, -1
    bnez r4, sum_table_loop
    mov r2, r5
    ret

.include "../lib/ulib.inc"

msg_hello:      .asciz "hello from user mode (pid "
msg_sum:        .asciz "sum over "
msg_rounds:     .asciz " rounds = "
msg_mine:       .asciz "0x00401000 still holds my name: this address space is mine"
msg_not_mine:   .asciz "0x00401000 was changed by someone else!"
msg_sleep:      .asciz "calling sleep("
msg_awake:      .asciz "awake, exiting"
.if . > IMAGE_WORKER + PAGE_SIZE
    .error "the worker program is larger than its page"
.endif

; ============================================================================
; Program "rogue" (process C): tries to read the kernel's memory.
; ============================================================================
        .org IMAGE_ROGUE
rogue:
    li r1, SYS_WRITE
    UADDR r2, msg_rogue, IMAGE_ROGUE
    li r3, msg_rogue_end - msg_rogue
    syscall
    li r4, KERNEL_DATA
    ldw r5, 0(r4)                   ; kernel-only page: a protection fault
    li r1, SYS_EXIT                 ; never reached
    li r2, 0
    syscall
msg_rogue:      .ascii "C: reading the kernel's memory at 0x00008000...\n"
msg_rogue_end:
