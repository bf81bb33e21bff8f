; Lab 1's kernel: adds 1 + 2 + ... + 100 and prints the sum. It runs on its own
; (no timer, no trap vector, no user mode): just enough to see what traps.
        .org 0
_start:
    li r2, 0                    ; the sum
    li r3, 100                  ; the next number to add
add_loop:
    di                          ; interrupts off while the sum is updated
    add r2, r2, r3
    ei                          ; and on again
    addi r3, r3, -1
    bnez r3, add_loop

    la r4, label                ; print "sum="
print_label:
    ldb r5, 0(r4)
    beqz r5, to_decimal
    out PORT_CONSOLE, r5
    addi r4, r4, 1
    b print_label

to_decimal:                     ; the digits of r2, last first, before "\n"
    la r4, line_end
    li r6, 10
next_digit:
    remu r5, r2, r6
    addi r5, r5, 48             ; '0'
    addi r4, r4, -1
    stb r5, 0(r4)
    divu r2, r2, r6
    bnez r2, next_digit
print_digits:
    ldb r5, 0(r4)
    beqz r5, done
    out PORT_CONSOLE, r5
    addi r4, r4, 1
    b print_digits
done:
    halt

label:      .asciz "sum="
digits:     .space 12
line_end:   .byte 10, 0
