// The Trapeze instruction set: every instruction, defined once.
//
// Everything else is derived from this table: the opcode enum, the encoder and
// decoder, the assembler and disassembler, the reference page (docs/isa.md), the
// interpreter's dispatch, the Popek–Goldberg classification, its cost, and the
// VMM's policy for it (which exit it takes, how binary translation handles it).
// Add an instruction here and nowhere else (the interpreter then needs its body).
//
// Columns:
//   NAME      enum name (Op::NAME)
//   mnem      assembler mnemonic
//   opc       opcode, bits 31..24 of the instruction word
//   FORMAT    operand format (see Format in isa.h)
//   flags     named class flags, combined with |:
//               PRIV        faults with cause PRIVILEGED in user mode
//               TRAP        always raises an exception (syscall, hypercall, brk)
//               SENS_CTRL   control-sensitive: changes privileged machine state
//               SENS_BEHAV  behaviour-sensitive: its effect depends on the mode or
//                           on privileged state
//               BRANCH      may change the PC other than to the next instruction
//               LOAD/STORE  reads/writes memory
//               UIMM        its immediate is zero-extended (else sign-extended)
//               BT_INLINE   binary translation turns it into a few inline
//                           instructions on the virtual CPU, not a callout
//   exit      the VM-exit class it belongs to in guest mode (ExitClass in isa.h;
//             vm_control_block.h says which exit control asks for each class)
//   cost      its cost class (CostClass in isa.h; machine/cost_model.h prices it)
//   summary   what it does, in one line (used by the reference page)
//
// A privileged or sensitive instruction has ONE semantic body besides its row:
// machine/system_semantics.h, which runs it on bare metal and on a VMM's virtual
// CPU alike (docs/architecture.md, "Add a privileged instruction").
//
// Sensitive but NOT privileged, on purpose (the x86 problem, Robin & Irvine 2000):
//   rdpsw  reads the PSW in any mode          (like PUSHF / SMSW)
//   wrpsw  writes the PSW; in user mode it silently keeps U and IE  (like POPF)
//   sptr   reveals the page-table register    (like SGDT / SIDT)
// Under pure trap-and-emulate a deprivileged guest kernel runs these without a
// trap, so it sees and changes the real PSW instead of its virtual one.

// clang-format off
#define TRAPEZE_INSTRUCTIONS(X) \
  /* invalid: an all-zero word, so running into cleared memory faults at once */ \
  X(ILLEGAL,   "illegal",   0x00, NONE,  TRAP,                              NONE,      SYSTEM,    "invalid instruction: always raises ILLEGAL") \
  /* ALU, register forms */ \
  X(ADD,       "add",       0x01, R3,    0,                                 NONE,      ALU,       "rd = rs1 + rs2") \
  X(SUB,       "sub",       0x02, R3,    0,                                 NONE,      ALU,       "rd = rs1 - rs2") \
  X(AND,       "and",       0x03, R3,    0,                                 NONE,      ALU,       "rd = rs1 & rs2") \
  X(OR,        "or",        0x04, R3,    0,                                 NONE,      ALU,       "rd = rs1 | rs2") \
  X(XOR,       "xor",       0x05, R3,    0,                                 NONE,      ALU,       "rd = rs1 ^ rs2") \
  X(SHL,       "shl",       0x06, R3,    0,                                 NONE,      ALU,       "rd = rs1 << (rs2 & 31)") \
  X(SHR,       "shr",       0x07, R3,    0,                                 NONE,      ALU,       "rd = rs1 >> (rs2 & 31), logical") \
  X(SAR,       "sar",       0x08, R3,    0,                                 NONE,      ALU,       "rd = rs1 >> (rs2 & 31), arithmetic") \
  X(MUL,       "mul",       0x09, R3,    0,                                 NONE,      MUL,       "rd = low 32 bits of rs1 * rs2") \
  X(DIV,       "div",       0x0A, R3,    0,                                 NONE,      DIV,       "rd = rs1 / rs2, signed; DIVZERO if rs2 = 0") \
  X(DIVU,      "divu",      0x0B, R3,    0,                                 NONE,      DIV,       "rd = rs1 / rs2, unsigned; DIVZERO if rs2 = 0") \
  X(REM,       "rem",       0x0C, R3,    0,                                 NONE,      DIV,       "rd = rs1 % rs2, signed; DIVZERO if rs2 = 0") \
  X(REMU,      "remu",      0x0D, R3,    0,                                 NONE,      DIV,       "rd = rs1 % rs2, unsigned; DIVZERO if rs2 = 0") \
  X(SLT,       "slt",       0x0E, R3,    0,                                 NONE,      ALU,       "rd = (rs1 < rs2) ? 1 : 0, signed") \
  X(SLTU,      "sltu",      0x0F, R3,    0,                                 NONE,      ALU,       "rd = (rs1 < rs2) ? 1 : 0, unsigned") \
  /* ALU, immediate forms */ \
  X(LUI,       "lui",       0x10, RI,    UIMM,                              NONE,      ALU,       "rd = imm << 16") \
  X(ADDI,      "addi",      0x11, RRI,   0,                                 NONE,      ALU,       "rd = rs1 + sext(imm)") \
  X(ANDI,      "andi",      0x13, RRI,   UIMM,                              NONE,      ALU,       "rd = rs1 & zext(imm)") \
  X(ORI,       "ori",       0x14, RRI,   UIMM,                              NONE,      ALU,       "rd = rs1 | zext(imm)") \
  X(XORI,      "xori",      0x15, RRI,   UIMM,                              NONE,      ALU,       "rd = rs1 ^ zext(imm)") \
  X(SHLI,      "shli",      0x16, RRI,   UIMM,                              NONE,      ALU,       "rd = rs1 << (imm & 31)") \
  X(SHRI,      "shri",      0x17, RRI,   UIMM,                              NONE,      ALU,       "rd = rs1 >> (imm & 31), logical") \
  X(SARI,      "sari",      0x18, RRI,   UIMM,                              NONE,      ALU,       "rd = rs1 >> (imm & 31), arithmetic") \
  X(MULI,      "muli",      0x19, RRI,   0,                                 NONE,      MUL,       "rd = low 32 bits of rs1 * sext(imm)") \
  X(SLTI,      "slti",      0x1E, RRI,   0,                                 NONE,      ALU,       "rd = (rs1 < sext(imm)) ? 1 : 0, signed") \
  X(SLTIU,     "sltiu",     0x1F, RRI,   0,                                 NONE,      ALU,       "rd = (rs1 < sext(imm)) ? 1 : 0, unsigned") \
  /* memory; word accesses must be 4-byte aligned (MISALIGNED otherwise) */ \
  X(LDW,       "ldw",       0x20, LOAD,  LOAD,                              NONE,      MEM,       "rd = mem32[rs1 + sext(imm)]") \
  X(LDB,       "ldb",       0x21, LOAD,  LOAD,                              NONE,      MEM,       "rd = zext(mem8[rs1 + sext(imm)])") \
  X(STW,       "stw",       0x22, STORE, STORE,                             NONE,      MEM,       "mem32[rs1 + sext(imm)] = rs2") \
  X(STB,       "stb",       0x23, STORE, STORE,                             NONE,      MEM,       "mem8[rs1 + sext(imm)] = rs2 & 0xff") \
  X(PUSH,      "push",      0x24, RS,    STORE,                             NONE,      MEM,       "sp = sp - 4; mem32[sp] = rs") \
  X(POP,       "pop",       0x25, RD,    LOAD,                              NONE,      MEM,       "rd = mem32[sp]; sp = sp + 4") \
  /* branches: target = address of the next instruction + 4 * sext(off16) */ \
  X(BEQ,       "beq",       0x30, BR,    BRANCH,                            NONE,      BRANCH,    "if rs1 == rs2: pc = target") \
  X(BNE,       "bne",       0x31, BR,    BRANCH,                            NONE,      BRANCH,    "if rs1 != rs2: pc = target") \
  X(BLT,       "blt",       0x32, BR,    BRANCH,                            NONE,      BRANCH,    "if rs1 < rs2 (signed): pc = target") \
  X(BGE,       "bge",       0x33, BR,    BRANCH,                            NONE,      BRANCH,    "if rs1 >= rs2 (signed): pc = target") \
  X(BLTU,      "bltu",      0x34, BR,    BRANCH,                            NONE,      BRANCH,    "if rs1 < rs2 (unsigned): pc = target") \
  X(BGEU,      "bgeu",      0x35, BR,    BRANCH,                            NONE,      BRANCH,    "if rs1 >= rs2 (unsigned): pc = target") \
  /* jumps: target = address of the next instruction + 4 * sext(off24) */ \
  X(JMP,       "jmp",       0x38, J,     BRANCH,                            NONE,      BRANCH,    "pc = target") \
  X(CALL,      "call",      0x39, J,     BRANCH,                            NONE,      BRANCH,    "lr = pc + 4; pc = target") \
  X(JR,        "jr",        0x3A, RS,    BRANCH,                            NONE,      BRANCH,    "pc = rs") \
  X(CALLR,     "callr",     0x3B, RS,    BRANCH,                            NONE,      BRANCH,    "lr = pc + 4; pc = rs") \
  X(RET,       "ret",       0x3C, NONE,  BRANCH,                            NONE,      BRANCH,    "pc = lr") \
  /* deliberate traps */ \
  X(SYSCALL,   "syscall",   0x40, NONE,  TRAP | BRANCH,                     NONE,      SYSTEM,    "raise SYSCALL; EPC = pc + 4 (number and arguments in registers, by the kernel's convention)") \
  X(HYPERCALL, "hypercall", 0x41, IMM,   TRAP | BRANCH | UIMM,              HYPERCALL, SYSTEM,    "call the VMM with number imm (arguments in r1..r4); on bare hardware: raise ILLEGAL") \
  X(BRK,       "brk",       0x42, NONE,  TRAP | BRANCH,                     NONE,      SYSTEM,    "raise BREAKPOINT; EPC = pc") \
  /* sensitive but unprivileged: the three deliberate virtualization holes */ \
  X(RDPSW,     "rdpsw",     0x48, RD,    SENS_BEHAV | BT_INLINE,            NONE,      SYSTEM,    "rd = PSW, in any mode (a deprivileged kernel sees U = 1)") \
  X(WRPSW,     "wrpsw",     0x49, RS,    SENS_CTRL | SENS_BEHAV,            PSW,       SYSTEM,    "PSW = rs; in user mode U and IE are silently left unchanged") \
  X(SPTR,      "sptr",      0x4A, RD,    SENS_BEHAV | BT_INLINE,            PTR,       SYSTEM,    "rd = page-table register, in any mode (reveals privileged state)") \
  /* privileged: fault with PRIVILEGED in user mode */ \
  X(LDPTR,     "ldptr",     0x50, RS,    PRIV | SENS_CTRL,                  PTR,       SYSTEM,    "page-table register = rs; 0 turns paging off (does not flush the TLB)") \
  X(RDPTR,     "rdptr",     0x51, RD,    PRIV | SENS_BEHAV | BT_INLINE,     PTR,       SYSTEM,    "rd = page-table register") \
  X(TLBFLUSH,  "tlbflush",  0x52, NONE,  PRIV | SENS_CTRL,                  PTR,       TLB_FLUSH, "invalidate every TLB entry") \
  X(INVLPG,    "invlpg",    0x53, RS,    PRIV | SENS_CTRL,                  PTR,       TLB_FLUSH, "invalidate the TLB entry for the page holding virtual address rs") \
  X(LDTVEC,    "ldtvec",    0x54, RS,    PRIV | SENS_CTRL | BT_INLINE,      PRIV,      SYSTEM,    "trap vector = rs") \
  X(RTI,       "rti",       0x55, NONE,  PRIV | SENS_CTRL | BRANCH,         PRIV,      RTI,       "return from trap: pc = EPC; PSW = EPSW") \
  X(EI,        "ei",        0x56, NONE,  PRIV | SENS_CTRL | BT_INLINE,      PSW,       SYSTEM,    "enable interrupts: PSW.IE = 1") \
  X(DI,        "di",        0x57, NONE,  PRIV | SENS_CTRL | BT_INLINE,      PSW,       SYSTEM,    "disable interrupts: PSW.IE = 0") \
  X(IN,        "in",        0x58, PIN,   PRIV | SENS_CTRL | UIMM,           IO,        PORT_IO,   "rd = I/O port imm") \
  X(OUT,       "out",       0x59, POUT,  PRIV | SENS_CTRL | UIMM,           IO,        PORT_IO,   "I/O port imm = rs") \
  X(LDTIMER,   "ldtimer",   0x5A, RS,    PRIV | SENS_CTRL,                  IO,        SYSTEM,    "timer period = rs cycles (periodic; 0 stops the timer)") \
  X(HALT,      "halt",      0x5B, NONE,  PRIV | SENS_CTRL | BRANCH,         HALT,      SYSTEM,    "stop the processor") \
  X(MFCR,      "mfcr",      0x5C, CRR,   PRIV | SENS_BEHAV | BT_INLINE,     PRIV,      SYSTEM,    "rd = control register cr (epc, epsw, cause, badaddr, scratch0, scratch1)") \
  X(MTCR,      "mtcr",      0x5D, CRW,   PRIV | SENS_CTRL | BT_INLINE,      PRIV,      SYSTEM,    "control register cr = rs") \
  /* hardware-virtualization extension */ \
  X(VMRUN,     "vmrun",     0x60, RS,    PRIV | SENS_CTRL | BRANCH,         VMRUN,     SYSTEM,    "VM entry: run the guest described by the control block at physical address rs until a VM exit")
// clang-format on
