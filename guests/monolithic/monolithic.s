; monolithic - a key-value service inside the kernel.
;
; What it shows. The lecture's monolithic kernel: the service is kernel code,
; reached with one system call per request - fast, but nothing separates it
; from the rest of the kernel (a bug in the store could scribble over the
; process table). Compare with ../microkernel/microkernel.s, where the same
; store runs as a user process: same client, same work, same client output;
; the difference is the number of protection-boundary crossings, which the
; counters show.
;
; How it works. The mini-os kernel (../lib/kernel/) plus two system calls,
; kv_put and kv_get (below), which run the shared store code
; (../lib/kvstore.inc) on a table in kernel memory. One process, the client
; (../lib/kv_client.inc), whose kv_put/kv_get wrappers are a single `syscall`.
;
; Per request: 1 SYSCALL trap, 0 address-space switches.
;
; Variants: default (bare metal; trap-and-emulate, binary translation and the
; hardware mode run it unmodified), -D PV=1, -D KV_OPS=n (requests of each
; kind, default 48).
;
; What to watch in the counters, next to microkernel's: SYSCALL traps (about
; 2 x KV_OPS here, twice that there), TLB flushes (none per request here, two
; there) and the TLB misses they cause, kernel vs user instructions.

.include "../lib/arch.inc"
.include "../lib/syscalls.inc"
.include "../lib/kernel/layout.inc"

.ifndef TIMER_PERIOD
.equ TIMER_PERIOD, 4000000
.endif
.equ IMAGE_CLIENT, USER_IMAGES

        .org KERNEL_CODE
.include "../lib/kernel/boot.inc"
.include "../lib/kernel/trap.inc"
.include "../lib/kernel/sched.inc"
.include "../lib/kernel/vm.inc"
.include "../lib/kernel/syscall.inc"
.include "../lib/kernel/print.inc"
.include "../lib/kvstore.inc"
        ARCH_SUBROUTINES

boot_processes:
    push lr
    la r2, name_client
    li r3, IMAGE_CLIENT
    li r4, 0                        ; no server: the service is the kernel
    call proc_create
    pop lr
    ret

; kv_put(key, value): the store is kernel data, one call away.
sys_kv_put:
    ldw r3, PCB_R2(r1)
    ldw r4, PCB_R3(r1)
    la r2, kernel_kv_table
    call kv_store_put
    b sys_return

; kv_get(key) -> r1 = value, r2 = found
sys_kv_get:
    ldw r3, PCB_R2(r1)
    la r2, kernel_kv_table
    call kv_store_get
    la r1, current
    ldw r1, 0(r1)
    stw r3, PCB_R2(r1)
    b sys_return

boot_banner:    .asciz "monolithic kernel, key-value store inside the kernel"
name_client:    .asciz "client"

        .align 4
syscall_table:
    SYSCALLS_BASIC
    .word sys_bad, sys_bad          ; fork, wait
    .word sys_kv_put                ; SYS_KV_PUT
    .word sys_kv_get                ; SYS_KV_GET
    .word sys_bad, sys_bad, sys_bad ; IPC
.include "../lib/kernel/data.inc"
kernel_kv_table:    .space KV_TABLE_BYTES
    KERNEL_DATA_END

; ============================================================================
; Program "client", running at USER_CODE
; ============================================================================
        .org IMAGE_CLIENT
    b kv_client

; One system call per request.
kv_put:
    li r1, SYS_KV_PUT
    syscall
    ret

kv_get:
    li r1, SYS_KV_GET
    syscall
    ret

kv_done:
    ret

.include "../lib/kv_client.inc"
.include "../lib/ulib.inc"
.if . > IMAGE_CLIENT + PAGE_SIZE
    .error "the client program is larger than its page"
.endif
