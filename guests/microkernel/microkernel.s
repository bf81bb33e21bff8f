; microkernel - the same key-value service as a user-level server, over IPC.
;
; What it shows. The lecture's microkernel: the service leaves the kernel and
; becomes a user program, isolated by its own address space like any other -
; enforced modularity. The price: a request is now a message to the server
; and a reply back, each crossing the user/kernel boundary and switching
; address spaces. Same client, same work and the same client output as
; ../monolithic/monolithic.s; compare the counters.
;
; How it works. The mini-os kernel (../lib/kernel/) plus synchronous IPC
; (../lib/kernel/ipc.inc): call(server, message) blocks the client until the
; server's reply; the server loops on reply_recv. The kernel copies the
; message between the saved registers and hands the processor straight to
; the other side. Two processes: the server (pid 1) running the shared store
; code (../lib/kvstore.inc) on a table in its own bss, and the client
; (../lib/kv_client.inc), whose kv_put/kv_get wrappers are an IPC call. When
; the client is done it sends a stop message and the server exits.
;
; Per request: 2 SYSCALL traps (the client's call, the server's reply_recv)
; and 2 address-space switches (each an ldptr + TLB flush, then TLB misses).
;
; Variants: default (bare metal; trap-and-emulate, binary translation and the
; hardware mode run it unmodified), -D PV=1, -D KV_OPS=n (requests of each
; kind, default 48).
;
; What to watch in the counters, next to monolithic's: SYSCALL traps,
; TLB flushes and misses, kernel vs user instructions, cycles per request.

.include "../lib/arch.inc"
.include "../lib/syscalls.inc"
.include "../lib/kernel/layout.inc"

.ifndef TIMER_PERIOD
.equ TIMER_PERIOD, 4000000
.endif
.equ IMAGE_SERVER, USER_IMAGES
.equ IMAGE_CLIENT, USER_IMAGES + PAGE_SIZE
.equ SERVER_PID,   1                ; created first

        .org KERNEL_CODE
.include "../lib/kernel/boot.inc"
.include "../lib/kernel/trap.inc"
.include "../lib/kernel/sched.inc"
.include "../lib/kernel/vm.inc"
.include "../lib/kernel/syscall.inc"
.include "../lib/kernel/ipc.inc"
.include "../lib/kernel/print.inc"
        ARCH_SUBROUTINES

boot_processes:
    push lr
    la r2, name_server
    li r3, IMAGE_SERVER
    call proc_create
    la r2, name_client
    li r3, IMAGE_CLIENT
    li r4, SERVER_PID               ; the client's r2: whom to call
    call proc_create
    pop lr
    ret

boot_banner:    .asciz "microkernel, key-value store in a user-level server"
name_server:    .asciz "server"
name_client:    .asciz "client"

        .align 4
syscall_table:
    SYSCALLS_BASIC
    .word sys_bad, sys_bad          ; fork, wait
    .word sys_bad, sys_bad          ; kv_put, kv_get: not in this kernel
    .word sys_ipc_call              ; SYS_IPC_CALL
    .word sys_ipc_recv              ; SYS_IPC_RECV
    .word sys_ipc_reply_recv        ; SYS_IPC_REPLY_RECV
.include "../lib/kernel/data.inc"
    KERNEL_DATA_END

; ============================================================================
; Program "server" (pid 1): the store, in user mode, in its own address space.
; ============================================================================
        .org IMAGE_SERVER
.equ SERVER_TABLE, USER_BSS         ; the store: zero-filled on first touch
server:
    li r1, SYS_IPC_RECV             ; wait for the first request
    syscall
server_loop:                        ; r1 = client, r2 = op, r3 = key, r4 = value
    mov r11, r1
    li r5, KV_OP_PUT
    beq r2, r5, server_put
    li r5, KV_OP_GET
    beq r2, r5, server_get
    li r5, KV_OP_STOP
    beq r2, r5, server_stop
    li r8, -1                       ; unknown request
    li r9, 0
    b server_reply
server_put:
    li r2, SERVER_TABLE
    call kv_store_put
    mov r8, r2
    li r9, 0
    b server_reply
server_get:
    li r2, SERVER_TABLE
    call kv_store_get
    mov r8, r2
    mov r9, r3
server_reply:                       ; answer and wait for the next, in one trap
    li r1, SYS_IPC_REPLY_RECV
    mov r2, r11
    mov r3, r8
    mov r4, r9
    syscall
    b server_loop
server_stop:                        ; the client's call returns -1 when we exit
    li r1, SYS_EXIT
    li r2, 0
    syscall

.include "../lib/kvstore.inc"
.if . > IMAGE_SERVER + PAGE_SIZE
    .error "the server program is larger than its page"
.endif

; ============================================================================
; Program "client": r2 = the server's pid.
; ============================================================================
        .org IMAGE_CLIENT
    b kv_client

; One IPC call per request: call(server, op, key, value).
kv_put:
    mov r5, r3
    mov r4, r2
    li r3, KV_OP_PUT
    mov r2, r13
    li r1, SYS_IPC_CALL
    syscall
    ret

kv_get:
    mov r4, r2
    li r3, KV_OP_GET
    mov r2, r13
    li r1, SYS_IPC_CALL
    syscall
    ret

kv_done:
    li r3, KV_OP_STOP
    mov r2, r13
    li r1, SYS_IPC_CALL
    syscall
    ret

.include "../lib/kv_client.inc"
.include "../lib/ulib.inc"
.if . > IMAGE_CLIENT + PAGE_SIZE
    .error "the client program is larger than its page"
.endif
