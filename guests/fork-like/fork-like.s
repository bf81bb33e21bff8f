; fork-like - copying an address space, as Unix fork() does.
;
; What it shows. A process's memory is nothing but its page tables and the
; frames they point to, so "the same process, twice" means: walk the parent's
; table, give the child a frame for every writable page and copy it, share
; the read-only program page, and build the child's tables. The child then
; sees exactly the parent's data at the same virtual addresses - and its
; writes land in its own frames, not the parent's. This is also Adams &
; Agesen's "forkwait" workload: a storm of page-table writes, each of which a
; shadow-paging VMM has to trap and emulate (or a PV kernel has to send in a
; batch), followed by a new address space whose every first touch misses in
; the TLB.
;
; How it works. The mini-os kernel (../lib/kernel/, see mini-os) with fork()
; and wait() (../lib/kernel/fork.inc). One program, "parent":
;   1. fills a data page (bss) with a pattern, remembers its checksum, and
;      keeps a value on its stack;
;   2. FORKS times: fork(). The child checks that it sees the parent's data
;      and stack, overwrites the data page with its own pattern, checks that
;      the write took, and exits with its number; the parent waits for it,
;      checks the exit code, and checks that its own data page is unchanged.
; Each fork copies 3 pages (the library's bss page, the data page and the
; stack page) and shares 1 (the program); the kernel traces each fork, exit
; and page fault.
;
; Variants: default (bare metal; trap-and-emulate, binary translation and the
; hardware mode run it unmodified), -D PV=1 (hypercalls, the child's page
; table sent as one HC_MMU_UPDATE batch), -D FORKS=n (default 3).
;
; Determinism: the parent waits for each child, so the output order never
; depends on timing.
;
; What to watch in the counters: SYSCALL traps (fork, wait, write, exit per
; child), TLB flushes (one per switch between parent and child), TLB misses
; after each; under shadow paging, the trapped page-table writes per fork.

.include "../lib/arch.inc"
.include "../lib/syscalls.inc"
.include "../lib/kernel/layout.inc"

.ifndef FORKS
.equ FORKS, 3
.endif
.ifndef TIMER_PERIOD
.equ TIMER_PERIOD, 4000000
.endif
.equ IMAGE_PARENT, USER_IMAGES

        .org KERNEL_CODE
.include "../lib/kernel/boot.inc"
.include "../lib/kernel/trap.inc"
.include "../lib/kernel/sched.inc"
.include "../lib/kernel/vm.inc"
.include "../lib/kernel/syscall.inc"
.include "../lib/kernel/fork.inc"
.include "../lib/kernel/print.inc"
        ARCH_SUBROUTINES

boot_processes:
    push lr
    la r2, name_parent
    li r3, IMAGE_PARENT
    li r4, FORKS
    call proc_create
    pop lr
    ret

boot_banner:    .asciz "fork-like, paging on, 1 process"
name_parent:    .asciz "parent"

        .align 4
syscall_table:
    SYSCALLS_BASIC
    .word sys_fork                  ; SYS_FORK
    .word sys_wait                  ; SYS_WAIT
    .word sys_bad, sys_bad          ; kv_put, kv_get
    .word sys_bad, sys_bad, sys_bad ; IPC
.include "../lib/kernel/data.inc"
    KERNEL_DATA_END

; ============================================================================
; Program "parent", running at USER_CODE; r2 = how many children to fork.
; ============================================================================
        .org IMAGE_PARENT
.equ DATA_PAGE,     USER_BSS + PAGE_SIZE   ; one whole page of data
.equ DATA_WORDS,    1024
.equ PARENT_SEED,   0x1234567
.equ STACK_MARK,    0x5717c0de             ; a value kept on the stack
parent:
    mov r11, r2                     ; children to fork
    UADDR r2, name_parent_u, IMAGE_PARENT
    call u_set_name
    li r2, DATA_PAGE
    li r3, PARENT_SEED
    call fill_pattern
    li r2, DATA_PAGE
    call checksum
    mov r12, r2                     ; the parent's checksum
    la r3, STACK_MARK
    push r3                         ; 0(sp): a value on the stack
    call u_begin                    ; "parent: data page checksum 0x..."
    UADDR r2, msg_filled, IMAGE_PARENT
    call u_str
    mov r2, r12
    call u_hex
    call u_end

    li r10, 1                       ; the child's number
parent_fork_loop:
    li r1, SYS_FORK
    syscall
    beqz r1, child                  ; fork() returns 0 in the child
    mov r9, r1                      ; the child's pid
    li r1, SYS_WAIT
    mov r2, r9
    syscall
    mov r8, r1                      ; its exit code

    call u_begin                    ; "parent: child 1 (pid 2) exited with 1; my data is unchanged"
    UADDR r2, msg_child_n, IMAGE_PARENT
    call u_str
    mov r2, r10
    call u_dec
    UADDR r2, msg_pid, IMAGE_PARENT
    call u_str
    mov r2, r9
    call u_dec
    UADDR r2, msg_exited, IMAGE_PARENT
    call u_str
    mov r2, r8
    call u_dec
    li r2, DATA_PAGE
    call checksum
    UADDR r3, msg_unchanged, IMAGE_PARENT
    beq r2, r12, parent_report
    UADDR r3, msg_changed, IMAGE_PARENT
parent_report:
    mov r2, r3
    call u_str
    call u_end

    addi r10, r10, 1
    ble r10, r11, parent_fork_loop
    UADDR r2, msg_parent_done, IMAGE_PARENT
    call u_say
    li r1, SYS_EXIT
    li r2, 0
    syscall

; ---- the child: r10 = its number, r12 = the parent's checksum --------------
child:
    UADDR r2, name_child_u, IMAGE_PARENT
    call u_set_name
    call u_begin                    ; "child: sees the parent's data (checksum 0x...) and stack"
    li r2, DATA_PAGE
    call checksum
    mov r8, r2
    UADDR r2, msg_sees, IMAGE_PARENT
    bne r8, r12, child_data_report
    ldw r3, 0(sp)
    la r4, STACK_MARK
    bne r3, r4, child_data_report
    UADDR r2, msg_sees_ok, IMAGE_PARENT
child_data_report:
    call u_str
    mov r2, r8
    call u_hex
    UADDR r2, msg_and_stack, IMAGE_PARENT
    call u_str
    call u_end

    li r2, DATA_PAGE                ; now write all over "its" data
    la r3, PARENT_SEED
    add r3, r3, r10
    xori r3, r3, 0xFFFF
    call fill_pattern
    li r2, DATA_PAGE
    call checksum
    mov r9, r2
    call u_begin                    ; "child: wrote its own data (checksum 0x...)"
    UADDR r2, msg_wrote, IMAGE_PARENT
    call u_str
    mov r2, r9
    call u_hex
    li r2, ')'
    call u_char
    call u_end
    li r1, SYS_EXIT
    mov r2, r10                     ; exit code = its number
    beq r9, r12, child_fail         ; the write did not change anything?
    syscall
child_fail:
    li r2, 99
    syscall

; word i of the page at r2 = (i * 0x9E3779B1) xor r3
fill_pattern:
    li r4, 0
    la r6, 0x9E3779B1
fill_pattern_loop:
    mul r5, r4, r6
    xor r5, r5, r3
    stw r5, 0(r2)
    addi r2, r2, 4
    addi r4, r4, 1
    li r5, DATA_WORDS
    bne r4, r5, fill_pattern_loop
    ret

; r2 = a checksum of the page at r2 (rotate-and-add over its words)
checksum:
    li r4, DATA_WORDS
    li r5, 0
checksum_loop:
    shli r6, r5, 5
    shri r7, r5, 27
    or r5, r6, r7
    ldw r6, 0(r2)
    add r5, r5, r6
    addi r2, r2, 4
    addi r4, r4, -1
    bnez r4, checksum_loop
    mov r2, r5
    ret

.include "../lib/ulib.inc"

name_parent_u:  .asciz "parent"
name_child_u:   .asciz "child"
msg_filled:     .asciz "filled a data page, checksum "
msg_child_n:    .asciz "child "
msg_pid:        .asciz " (pid "
msg_exited:     .asciz ") exited with "
msg_unchanged:  .asciz "; my data page is unchanged"
msg_changed:    .asciz "; my data page CHANGED"
msg_sees:       .asciz "does NOT see the parent's data: checksum "
msg_sees_ok:    .asciz "sees the parent's data: checksum "
msg_and_stack:  .asciz ", and its stack"
msg_wrote:      .asciz "wrote over its copy (checksum "
msg_parent_done: .asciz "all children done"
.if . > IMAGE_PARENT + PAGE_SIZE
    .error "the parent program is larger than its page"
.endif
