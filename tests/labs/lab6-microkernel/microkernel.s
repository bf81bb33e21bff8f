; Reference solution of labs/lab6-microkernel.md, step 2 (not served by the site):
; puts travel two per IPC call (KV_OP_PUT2), packed into the message's two words.
;
; The microkernel of guests/microkernel/microkernel.s: a key-value store in a
; user-level server, reached over synchronous IPC. Read that file's header for
; how it works. The kernel's IPC (guests/lib/kernel/ipc.inc) carries a message
; of three words: call(server, m1, m2, m3) arrives in the server's r2, r3, r4
; (r1 = the client's pid), and reply_recv(client, a, b) returns a and b to the
; client's call in r1 and r2.
;
; YOUR TASK (step 2 of labs/lab6-microkernel.md): cut the crossings. As it is,
; every kv_put is one IPC call: the client's `syscall`, a switch to the
; server's address space, the server's reply_recv `syscall` and a switch back.
; Make the client send its puts two at a time in one message, and the server
; apply both. The client (guests/lib/kv_client.inc) must not change: only the
; wrappers below (kv_put, kv_get, kv_done) and the server. Hints:
;   - kv_put may answer 0 at once and keep the pair until the next kv_put;
;   - whatever is kept must reach the server before the next kv_get and
;     before kv_done (the client reads back what it wrote);
;   - three words do not hold an operation and two {key, value} pairs, but
;     this client's keys and values all fit in 16 bits;
;   - the client's own variables can live in its bss from U_BSS_FREE on
;     (zero on first touch; guests/lib/ulib.inc);
;   - the client's output must stay exactly what it is.

.include "../../guests/lib/arch.inc"
.include "../../guests/lib/syscalls.inc"
.include "../../guests/lib/kernel/layout.inc"

.ifndef TIMER_PERIOD
.equ TIMER_PERIOD, 4000000
.endif
.equ IMAGE_SERVER, USER_IMAGES
.equ IMAGE_CLIENT, USER_IMAGES + PAGE_SIZE
.equ SERVER_PID,   1                ; created first

        .org KERNEL_CODE
.include "../../guests/lib/kernel/boot.inc"
.include "../../guests/lib/kernel/trap.inc"
.include "../../guests/lib/kernel/sched.inc"
.include "../../guests/lib/kernel/vm.inc"
.include "../../guests/lib/kernel/syscall.inc"
.include "../../guests/lib/kernel/ipc.inc"
.include "../../guests/lib/kernel/print.inc"
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
.include "../../guests/lib/kernel/data.inc"
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
    li r5, KV_OP_PUT2
    beq r2, r5, server_put2
    li r8, -1                       ; unknown request
    li r9, 0
    b server_reply
server_put:
    li r2, SERVER_TABLE
    call kv_store_put
    mov r8, r2
    li r9, 0
    b server_reply
server_put2:                        ; r3, r4 = two pairs, each key << 16 | value
    mov r12, r4                     ; the second pair (the store clobbers r1..r7)
    shli r4, r3, 16
    shri r4, r4, 16                 ; the first value
    shri r3, r3, 16                 ; the first key
    li r2, SERVER_TABLE
    call kv_store_put
    mov r8, r2                      ; 0, or -1
    shli r4, r12, 16
    shri r4, r4, 16                 ; the second value
    shri r3, r12, 16                ; the second key
    li r2, SERVER_TABLE
    call kv_store_put
    or r8, r8, r2                   ; -1 if either failed
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

.include "../../guests/lib/kvstore.inc"
.equ KV_OP_PUT2, 4                  ; two puts in one message
.if . > IMAGE_SERVER + PAGE_SIZE
    .error "the server program is larger than its page"
.endif

; ============================================================================
; Program "client": r2 = the server's pid.
; ============================================================================
        .org IMAGE_CLIENT
    b kv_client

; Two puts per IPC call: kv_put keeps a pair until the next one, then sends
; both as call(server, KV_OP_PUT2, key1 << 16 | value1, key2 << 16 | value2).
; A pair still kept is sent alone (KV_OP_PUT) before a get and before kv_done.
.equ PUT_KEPT, U_BSS_FREE           ; 1 while a pair is kept
.equ PUT_PAIR, U_BSS_FREE + 4       ; the kept pair, key << 16 | value
kv_put:
    shli r2, r2, 16
    or r5, r2, r3                   ; this pair
    la r6, PUT_KEPT
    ldw r7, 0(r6)
    bnez r7, kv_put_two
    stw r5, PUT_PAIR - PUT_KEPT(r6) ; keep it: the server hears of it later
    li r7, 1
    stw r7, 0(r6)
    li r1, 0
    ret
kv_put_two:
    stw r0, 0(r6)
    ldw r4, PUT_PAIR - PUT_KEPT(r6) ; the older pair first
    li r3, KV_OP_PUT2
    mov r2, r13
    li r1, SYS_IPC_CALL
    syscall
    ret

; Send a kept pair on its own (clobbers r1..r7).
kv_put_flush:
    la r6, PUT_KEPT
    ldw r7, 0(r6)
    beqz r7, kv_put_flush_done
    stw r0, 0(r6)
    ldw r4, PUT_PAIR - PUT_KEPT(r6)
    shli r5, r4, 16
    shri r5, r5, 16                 ; value
    shri r4, r4, 16                 ; key
    li r3, KV_OP_PUT
    mov r2, r13
    li r1, SYS_IPC_CALL
    syscall
kv_put_flush_done:
    ret

kv_get:
    push lr
    push r2
    call kv_put_flush
    pop r2
    pop lr
    mov r4, r2
    li r3, KV_OP_GET
    mov r2, r13
    li r1, SYS_IPC_CALL
    syscall
    ret

kv_done:
    push lr
    call kv_put_flush
    pop lr
    li r3, KV_OP_STOP
    mov r2, r13
    li r1, SYS_IPC_CALL
    syscall
    ret

.include "../../guests/lib/kv_client.inc"
.include "../../guests/lib/ulib.inc"
.if . > IMAGE_CLIENT + PAGE_SIZE
    .error "the client program is larger than its page"
.endif
