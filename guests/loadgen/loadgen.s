; loadgen - an open-loop load on the block device: requests arrive at the
; times of a table the experiment writes into memory, whatever the device is
; doing (docs/experiments.md, "Load sweep").
;
; The table at LG_TABLE: the number of requests, then for each request after
; the first the gap to it from the previous one, in cycles (the first arrives
; LG_TABLE+4's gap after start). Arrivals are timer interrupts: each one first
; loads the next gap into the timer (so only the handler's entry delays the
; schedule), then submits a one-sector read. The kernel idles in `jmp .`
; between interrupts with interrupts on.
;
;   default   port registers: SECTOR, ADDR and COUNT once, then one
;             `out PORT_BLK_CMD` per request (the device queues it: the
;             experiment gives it a FIFO queue); each completion is a DEVICE
;             interrupt acknowledged with `out PORT_BLK_STATUS`.
;   RING=1    the request ring, batched: a request is posted at once but the
;             ring is kicked only when no batch is outstanding; each batch's
;             completion interrupt kicks whatever arrived meanwhile. Kicked
;             with `out PORT_RING_KICK`, or HC_IO_KICK with PV=1.
; When every request has completed: "loadgen: ok" and halt.
;
; Memory: code 0x0000, data 0x2000, stack 0x3000, DMA buffer 0x8000, ring
; 0x9000 (256 slots), the table from 0x10000 (4 + 4 * requests bytes).

.include "../lib/arch.inc"
        .org 0
.include "../nano/nano.inc"

.equ LG_BUF,   0x8000
.equ LG_RING,  0x9000
.equ LG_SLOTS, 256
.equ LG_TABLE, 0x10000
.equ RING_SIZE,     0
.equ RING_PRODUCER, 4
.equ RING_CONSUMER, 8
.equ RING_DESC,     16
.equ DESC_BYTES,    20

.ifdef PV
.equ USE_RING, 1
.else
.ifdef RING
.equ USE_RING, 1
.endif
.endif

; r13 arrivals still to come, r12 the next gap's address, r11 (ring) completions,
; r10 requests in all, r9 (ring) the producer index at the last kick.
_start:
    la sp, NANO_STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
.ifdef USE_RING
    la r2, LG_RING
    stw r0, RING_PRODUCER(r2)
    stw r0, RING_CONSUMER(r2)
    li r3, LG_SLOTS
    stw r3, RING_SIZE(r2)
    out PORT_RING_BASE, r2
    li r9, 0
.else
    out PORT_BLK_SECTOR, r0
    li r2, LG_BUF
    out PORT_BLK_ADDR, r2
    li r2, 1
    out PORT_BLK_COUNT, r2
.endif
    li r12, LG_TABLE
    ldw r10, 0(r12)
    mov r13, r10
    li r11, 0
    addi r12, r12, 4
    ldw r2, 0(r12)                  ; the first arrival
    addi r12, r12, 4
    ARCH_SET_TIMER r2
    ARCH_EI
idle:
    jmp idle

trap_handler:
    mfcr r1, cause
    andi r1, r1, 0xFF
    addi r2, r1, -CAUSE_TIMER
    beqz r2, arrival
    addi r2, r1, -CAUSE_DEVICE
    beqz r2, completion
    b nano_unexpected

; A request arrives: the next arrival's timer first, then submit.
arrival:
    addi r13, r13, -1
    li r2, 0                        ; the last one: stop the timer
    beqz r13, arrival_timer
    ldw r2, 0(r12)
    addi r12, r12, 4
arrival_timer:
    ARCH_SET_TIMER r2
.ifdef USE_RING
    la r6, LG_RING
    ldw r7, RING_PRODUCER(r6)
    andi r1, r7, LG_SLOTS - 1
    muli r1, r1, DESC_BYTES
    add r1, r1, r6
    li r2, 1                        ; read
    stw r2, RING_DESC + 0(r1)
    stw r0, RING_DESC + 4(r1)       ; sector 0
    li r2, LG_BUF
    stw r2, RING_DESC + 8(r1)
    li r2, 1                        ; one sector
    stw r2, RING_DESC + 12(r1)
    stw r0, RING_DESC + 16(r1)
    addi r7, r7, 1
    stw r7, RING_PRODUCER(r6)       ; published
    ldw r3, RING_CONSUMER(r6)
    bne r3, r9, arrival_done        ; a batch is out: this one waits for the next kick
    call kick
.else
    li r2, 1                        ; read, with the registers set at start
    out PORT_BLK_CMD, r2
.endif
arrival_done:
    ARCH_IRET

; A request (port) or a batch (ring) completed.
completion:
.ifdef USE_RING
    la r6, LG_RING
    ldw r11, RING_CONSUMER(r6)
    ldw r7, RING_PRODUCER(r6)
    beq r7, r9, completion_check
    call kick                       ; what arrived during the batch, as one batch
completion_check:
    bne r11, r10, completion_done
.else
    ; Interrupts that fall due together merge, so count nothing: done when
    ; every request has arrived and the device is no longer busy (its queue
    ; is empty).
    in r3, PORT_BLK_STATUS
    out PORT_BLK_STATUS, r0         ; acknowledge
    bnez r13, completion_done
    addi r3, r3, -1                 ; BUSY
    beqz r3, completion_done
.endif
    li r2, 1
    b nano_finish
completion_done:
    ARCH_IRET

.ifdef USE_RING
; Kick everything posted up to producer r7.
kick:
    mov r9, r7
.ifdef PV
    hypercall HC_IO_KICK
.else
    out PORT_RING_KICK, r0
.endif
    ret
.endif

nano_name:      .asciz "loadgen"

        .org NANO_DATA
    ARCH_DATA

; A default load, so the guest runs on its own (tests, `trapeze run`): eight
; requests, some closer together than the device serves them. The experiment
; writes its own table over this one.
        .org LG_TABLE
    .word 8
    .word 5000, 20000, 60000, 1000, 1000, 90000, 40000, 3000
