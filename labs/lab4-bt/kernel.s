; A kernel with one hot loop: 2000 times it mixes the loop counter into a
; checksum by calling a small function, then prints the checksum and halts.
; Paging off, interrupts off: all of it runs in kernel mode, so under binary
; translation all of it runs from the translation cache.
;
; YOUR TASK (step 2 of labs/lab4-bt.md): make the hot loop run along chains
; only, so that the dispatcher is not consulted once per iteration, without
; changing what the kernel prints. Every direct branch of a translated block
; is chained to its successor after its first run (free); every `ret`, `jr`
; and `callr` is an indirect jump, whose target the dispatcher must look up
; in the translation cache each time (BT_LOOKUP, 40 cycles).

.equ ITERATIONS, 2000

        .org 0
_start:
        la      sp, stack_top
        li      r8, 0                   ; i
        li      r9, 1                   ; the checksum
hot_loop:
        mov     r2, r9
        mov     r3, r8
        call    mix                     ; r2 = mix(checksum, i)
        mov     r9, r2
        addi    r8, r8, 1
        li      r4, ITERATIONS
        bne     r8, r4, hot_loop

        la      r2, msg_sum
        call    puts
        mov     r2, r9
        call    put_hex
        li      r3, 10                  ; newline
        out     PORT_CONSOLE, r3
        halt

; mix(r2 = checksum, r3 = i) -> r2 = checksum * 31 + i, rotated left by 3
mix:
        muli    r2, r2, 31
        add     r2, r2, r3
        shli    r4, r2, 3
        shri    r2, r2, 29
        or      r2, r2, r4
        ret

; puts: print the NUL-terminated string at r2 (clobbers r2, r3).
puts:
        ldb     r3, 0(r2)
        beqz    r3, puts_done
        out     PORT_CONSOLE, r3
        addi    r2, r2, 1
        b       puts
puts_done:
        ret

; put_hex: print r2 as 8 hex digits (clobbers r2..r5).
put_hex:
        li      r4, 8
put_hex_digit:
        shri    r3, r2, 28
        shli    r2, r2, 4
        li      r5, 10
        blt     r3, r5, put_hex_decimal
        addi    r3, r3, 'a' - 10 - '0'
put_hex_decimal:
        addi    r3, r3, '0'
        out     PORT_CONSOLE, r3
        addi    r4, r4, -1
        bnez    r4, put_hex_digit
        ret

; ---- data, on its own page (keep written data off code pages) ---------------
        .org 0x1000
msg_sum:        .asciz "checksum: 0x"

        .org 0x2000
        .space 256
stack_top:
