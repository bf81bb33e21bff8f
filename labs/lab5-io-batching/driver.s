; A block driver (guests/io-driver/io-driver.s), with only its port interface.
;
; It reads sectors 0..15 as 4 requests and checks every byte against the disk's
; documented initial content, writes sectors 100..103 as 2 requests, reads them
; back as 1 request and compares. Port interface: per request 4 `out`s (sector,
; address, count, command), then the DEVICE interrupt, whose handler reads the
; status with `in` and acknowledges it with an `out`. Under a VMM each of those
; port accesses traps and is emulated, and each request costs an interrupt.
;
; YOUR TASK (step 1 of labs/lab5-io-batching.md): give the para-virtual build
; (the strategy `pv` assembles this file with PV defined) the request ring of
; docs/machine.md ("The request ring") in place of the port registers:
;   - ring_init: zero the ring's header, set its size, write its address to
;     PORT_RING_BASE (one `out`, once: the hypercall ABI has no call for it);
;   - disk_request: post the request as the next descriptor and advance the
;     producer index - no port access, nothing happens yet;
;   - disk_wait: kick once for everything posted (`hypercall HC_IO_KICK`),
;     wait for the batch's one DEVICE interrupt, then check that the consumer
;     index has reached the producer and every descriptor's status is BLK_DONE
;     (count_error otherwise);
;   - device_interrupt: note that the batch is complete (no acknowledgement).
; Keep the port interface for bare metal (PV not defined): the same file must
; print the same on both. The constants of the ring are below; disk_request and
; disk_wait are called with the same registers in both interfaces.

.include "../../guests/lib/arch.inc"

; Physical memory (paging off)
.equ DATA,        0x2000
.equ STACK_TOP,   0x4000
.equ BUF_READ,    0x10000           ; 16 sectors = 8 KiB
.equ BUF_WRITE,   0x12000           ; 4 sectors
.equ BUF_CHECK,   0x13000           ; 4 sectors
.equ RING_ADDR,   0x14000
.equ RING_SLOTS,  8
; The ring's layout (docs/machine.md)
.equ RING_SIZE,     0
.equ RING_PRODUCER, 4
.equ RING_CONSUMER, 8
.equ RING_DESC,     16
.equ DESC_OP,       0
.equ DESC_SECTOR,   4
.equ DESC_ADDR,     8
.equ DESC_COUNT,    12
.equ DESC_STATUS,   16
.equ DESC_SIZE,     20
.equ BLK_READ,      1
.equ BLK_WRITE,     2
.equ BLK_DONE,      2

        .org 0
_start:
    la sp, STACK_TOP
    la r2, trap_handler
    ARCH_SET_TVEC r2
; (the ring interface will need its ring_init here)
    ARCH_EI                         ; completions arrive as interrupts

    ; ---- 1. read sectors 0..15, 4 requests of 4 ----------------------------
    li r8, 0
step1_post:
    li r2, BLK_READ
    shli r3, r8, 2                  ; sector 4i
    shli r4, r8, 11                 ; 4 sectors = 2 KiB further each time
    la r5, BUF_READ
    add r4, r4, r5
    li r5, 4
    call disk_request
    addi r8, r8, 1
    li r3, 4
    bne r8, r3, step1_post
    call disk_wait
    call check_initial_content
    la r2, msg_step1
    call report

    ; ---- 2. write sectors 100..103, 2 requests of 2 -------------------------
    call fill_write_buffer
    li r2, BLK_WRITE
    li r3, 100
    la r4, BUF_WRITE
    li r5, 2
    call disk_request
    li r2, BLK_WRITE
    li r3, 102
    la r4, BUF_WRITE + 2 * SECTOR_SIZE
    li r5, 2
    call disk_request
    call disk_wait
    ; ---- 3. read them back, 1 request --------------------------------------
    li r2, BLK_READ
    li r3, 100
    la r4, BUF_CHECK
    li r5, 4
    call disk_request
    call disk_wait
    call check_written
    la r2, msg_step23
    call report

    ARCH_DI
    ARCH_HALT

; Print "io-driver: <r2>: data ok" (or the number of bad bytes / failed requests).
report:
    push lr
    push r2
    la r2, msg_prefix
    call kput_str
    pop r2
    call kput_str
    la r2, msg_colon
    call kput_str
    la r2, errors
    ldw r2, 0(r2)
    bnez r2, report_bad
    la r2, msg_ok
    call kput_str
    pop lr
    ret
report_bad:
    call kput_dec
    la r2, msg_bad
    call kput_str
    la r2, errors
    stw r0, 0(r2)
    pop lr
    ret

; ---- the data checks ---------------------------------------------------------

; Count the bytes of BUF_READ (sectors 0..15) that differ from the disk's
; initial content.
check_initial_content:
    push lr
    la r2, BUF_READ
    li r3, 0                        ; sector
check_sector:
    li r4, 0                        ; byte in the sector
check_byte:
    li r5, 4
    bgeu r4, r5, check_pattern
    shli r5, r4, 3                  ; bytes 0..3: the sector number, little-endian
    shr r5, r3, r5
    b check_compare
check_pattern:
    add r5, r3, r4                  ; byte k >= 4: (s + k) mod 256
check_compare:
    andi r5, r5, 0xFF
    ldb r6, 0(r2)
    beq r5, r6, check_next
    call count_error
check_next:
    addi r2, r2, 1
    addi r4, r4, 1
    li r5, SECTOR_SIZE
    bne r4, r5, check_byte
    addi r3, r3, 1
    li r5, 16
    bne r3, r5, check_sector
    pop lr
    ret

; BUF_WRITE word i = i * 0x01000193 + 0x7a11 (4 sectors).
fill_write_buffer:
    la r2, BUF_WRITE
    li r3, 0
    la r5, 0x01000193
fill_loop:
    mul r4, r3, r5
    addi r4, r4, 0x7a11
    stw r4, 0(r2)
    addi r2, r2, 4
    addi r3, r3, 1
    li r4, 4 * SECTOR_SIZE / 4
    bne r3, r4, fill_loop
    ret

; Count the words of BUF_CHECK that differ from BUF_WRITE.
check_written:
    push lr
    la r2, BUF_WRITE
    la r3, BUF_CHECK
    li r4, 4 * SECTOR_SIZE / 4
check_written_loop:
    ldw r5, 0(r2)
    ldw r6, 0(r3)
    beq r5, r6, check_written_next
    call count_error
check_written_next:
    addi r2, r2, 4
    addi r3, r3, 4
    addi r4, r4, -1
    bnez r4, check_written_loop
    pop lr
    ret

; errors += 1 (clobbers r1 only)
count_error:
    push r2
    la r1, errors
    ldw r2, 0(r1)
    addi r2, r2, 1
    stw r2, 0(r1)
    pop r2
    ret

; ---- the port interface ------------------------------------------------------

; Start a request (r2 = op, r3 = sector, r4 = physical buffer, r5 = sectors)
; and wait for its interrupt: the device takes one request at a time.
disk_request:
    push lr
    out PORT_BLK_SECTOR, r3
    out PORT_BLK_ADDR, r4
    out PORT_BLK_COUNT, r5
    la r3, blk_status
    stw r0, 0(r3)                   ; before the command: the interrupt may come at once
    out PORT_BLK_CMD, r2
    call blk_wait
    pop lr
    ret

; Wait until the interrupt handler has stored the request's status.
blk_wait:
    la r3, blk_status
blk_wait_loop:
    ldw r2, 0(r3)
    beqz r2, blk_wait_loop
    li r3, BLK_DONE
    beq r2, r3, blk_wait_done
    push lr
    call count_error
    pop lr
blk_wait_done:
    ret

; Nothing is left in flight after disk_request.
disk_wait:
    ret

; DEVICE interrupt: read the status, acknowledge (which withdraws the
; interrupt), and hand the status to blk_wait.
device_interrupt:
    in r2, PORT_BLK_STATUS
    out PORT_BLK_STATUS, r0
    la r3, blk_status
    stw r2, 0(r3)
    b trap_return
; ---- the ring interface: yours -----------------------------------------------
; Put the port interface above between `.ifndef PV` and `.else`, write
; ring_init, disk_request, disk_wait and device_interrupt here, then `.endif`;
; and call ring_init from _start under `.ifdef PV` (where the comment says).
; Registers: disk_request and disk_wait may clobber r1..r7, and disk_wait also
; r8 (disk_request must keep it: the caller's loop counter); device_interrupt
; may use r1..r3 (trap_handler saved them) and ends with `b trap_return`.


; ---- traps -------------------------------------------------------------------
trap_handler:
    push r1
    push r2
    push r3
    mfcr r2, cause
    andi r2, r2, 0xFF
    li r3, CAUSE_DEVICE
    beq r2, r3, device_interrupt
    la r2, msg_unexpected
    call kput_str
    ARCH_HALT
trap_return:
    pop r3
    pop r2
    pop r1
    ARCH_IRET

.include "../../guests/lib/kernel/print.inc"
        ARCH_SUBROUTINES

msg_prefix:     .asciz "io-driver: "
msg_step1:      .asciz "read sectors 0-15 in 4 requests"
msg_step23:     .asciz "wrote sectors 100-103 in 2 requests, read them back in 1"
msg_colon:      .asciz ": "
msg_ok:         .asciz "data ok\n"
msg_bad:        .asciz " ERRORS (bad bytes or failed requests)\n"
msg_unexpected: .asciz "io-driver: unexpected trap\n"
.if . > DATA
    .error "code overflows into the data page"
.endif

        .org DATA
errors:         .word 0
blk_status:     .word 0             ; port interface: status from the interrupt
batch_done:     .word 0             ; ring interface: set by the interrupt
    PRINT_DATA
    ARCH_DATA
