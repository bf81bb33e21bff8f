// The Trapeze ISA: types derived from the instruction table (isa_table.h), the
// instruction word layout, and the architectural constants (PSW, trap causes,
// control registers, page-table entries). Pure data: no behaviour lives here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "isa/isa_table.h"

namespace trapeze::isa {

// ---------------------------------------------------------------------------------
// Opcodes: one enumerator per table row.
enum class Op : uint8_t {
#define TRAPEZE_OP_ENUM(NAME, mnem, opc, fmt, flags, exit, cost, summary) NAME = (opc),
  TRAPEZE_INSTRUCTIONS(TRAPEZE_OP_ENUM)
#undef TRAPEZE_OP_ENUM
};

// ---------------------------------------------------------------------------------
// Instruction word layout (32 bits, little-endian in memory):
//
//   31      24 23   20 19   16 15   12 11                    0
//  |  opcode  |   A   |   B   |   C   |        unused         |   R3
//  |  opcode  |   A   |   B   |          imm16                |   RI RRI LOAD STORE BR PIN POUT IMM
//  |  opcode  |                  off24                        |   J
//
// Which register each field names depends on the format:
enum class Format : uint8_t {
  NONE,   // op                      A,B,C unused
  R3,     // op rd, rs1, rs2         A=rd  B=rs1 C=rs2
  RI,     // op rd, imm              A=rd  imm16
  RRI,    // op rd, rs1, imm         A=rd  B=rs1 imm16
  LOAD,   // op rd, imm(rs1)         A=rd  B=rs1 imm16 (signed byte offset)
  STORE,  // op rs2, imm(rs1)        A=rs2 (value) B=rs1 (base) imm16 (signed)
  RS,     // op rs                   A=rs
  RD,     // op rd                   A=rd
  BR,     // op rs1, rs2, target     A=rs1 B=rs2 imm16 = signed word offset from pc+4
  J,      // op target               off24 = signed word offset from pc+4
  IMM,    // op imm                  imm16 (unsigned)
  PIN,    // op rd, port             A=rd  imm16 = port (unsigned)
  POUT,   // op port, rs             A=rs  imm16 = port (unsigned)
  CRR,    // op rd, cr               A=rd  B=cr
  CRW,    // op cr, rs               A=rs  B=cr
};

// Class flags of the table's `flags` column.
enum Flag : uint16_t {
  PRIV = 1u << 0,        // faults with PRIVILEGED in user mode
  TRAP = 1u << 1,        // always raises an exception
  SENS_CTRL = 1u << 2,   // control-sensitive
  SENS_BEHAV = 1u << 3,  // behaviour-sensitive
  BRANCH = 1u << 4,      // may leave the sequential path (ends a basic block)
  LOAD = 1u << 5,        // reads memory
  STORE = 1u << 6,       // writes memory
  UIMM = 1u << 7,        // immediate zero-extended (logical ops, ports, hypercall numbers, lui)
  BT_INLINE = 1u << 8,   // binary translation: inline code on the virtual CPU, not a callout
};

// The table's `exit` column: the class of VM exit an instruction takes in guest
// mode when the VMM asks for it (vm_control_block.h: exit_rule() maps each class
// to its exit control and exit reason).
enum class ExitClass : uint8_t {
  NONE,       // never exits: runs on the guest's own state
  PRIV,       // ldtvec, rti, mfcr, mtcr: EXIT_ON_PRIV
  PSW,        // ei, di, wrpsw changing U or IE: EXIT_ON_PSW
  IO,         // in, out, ldtimer: EXIT_ON_IO
  PTR,        // page-table register and TLB operations: EXIT_ON_PTR
  HALT,       // always exits (from kernel mode)
  HYPERCALL,  // always exits
  VMRUN,      // always exits (from kernel mode): no nested virtualization
};

// The table's `cost` column: which row of the cost model (machine/cost_model.h)
// prices one execution.
enum class CostClass : uint8_t { ALU, MUL, DIV, MEM, BRANCH, SYSTEM, PORT_IO, RTI, TLB_FLUSH };

struct InsnInfo {
  Op op;
  std::string_view mnemonic;
  uint8_t opcode;
  Format format;
  uint16_t flags;
  ExitClass exit;
  CostClass cost;
  std::string_view summary;

  constexpr bool privileged() const { return flags & PRIV; }
  constexpr bool sensitive() const { return flags & (SENS_CTRL | SENS_BEHAV); }
  // Popek–Goldberg: a trap-and-emulate VMM sees only what traps in user mode.
  constexpr bool traps_in_user_mode() const { return flags & (PRIV | TRAP); }
  constexpr bool ends_block() const { return flags & (BRANCH | TRAP | PRIV); }
  // The instructions that make a machine not classically virtualizable.
  constexpr bool virtualization_hole() const { return sensitive() && !traps_in_user_mode(); }
  constexpr bool imm_unsigned() const { return flags & UIMM; }
  constexpr bool bt_inline() const { return flags & BT_INLINE; }
};

inline constexpr InsnInfo kInstructions[] = {
#define TRAPEZE_OP_INFO(NAME, mnem, opc, fmt, flg, exit, cost, summ)                   \
  InsnInfo{Op::NAME, mnem, opc, Format::fmt, static_cast<uint16_t>(flg), ExitClass::exit, \
           CostClass::cost, summ},
    TRAPEZE_INSTRUCTIONS(TRAPEZE_OP_INFO)
#undef TRAPEZE_OP_INFO
};
inline constexpr size_t kInstructionCount = std::size(kInstructions);

// Opcode byte -> table row, or nullptr for an unassigned opcode.
const InsnInfo* info(uint8_t opcode);
inline const InsnInfo& info(Op op) { return *info(static_cast<uint8_t>(op)); }
const InsnInfo* find_mnemonic(std::string_view mnemonic);
inline std::span<const InsnInfo> instructions() { return kInstructions; }

// Immediates that are zero-extended (the table's UIMM flag); all others are
// sign-extended.
inline bool imm_is_unsigned(Op op) { return info(op).imm_unsigned(); }

// ---------------------------------------------------------------------------------
// Decoded form: what the interpreter caches so each word is decoded once.
// `imm` is ready to use: sign/zero-extended, and for BR and J already a byte
// offset relative to the address of the next instruction.
struct Decoded {
  Op op = Op::ILLEGAL;
  uint8_t a = 0, b = 0, c = 0;
  int32_t imm = 0;
};

// Decoding never fails: unassigned opcodes decode to Op::ILLEGAL.
Decoded decode(uint32_t word);
// Encoding checks operand ranges; nullopt when a field does not fit.
// For BR and J, `imm` is the byte offset from the next instruction (a multiple of 4).
std::optional<uint32_t> encode(const Decoded& d);

// ---------------------------------------------------------------------------------
// Registers: r0 always reads 0 and ignores writes; r14 is sp, r15 is lr.
inline constexpr int kNumRegs = 16;
inline constexpr int kRegSp = 14;
inline constexpr int kRegLr = 15;
std::string_view reg_name(int r);              // canonical: r0..r13, sp, lr
std::optional<int> parse_reg(std::string_view);  // also accepts r14, r15, zero

// ---------------------------------------------------------------------------------
// Processor status word.
namespace psw {
inline constexpr uint32_t U = 1u << 0;          // 1 = user mode, 0 = kernel mode
inline constexpr uint32_t IE = 1u << 1;         // interrupts enabled
inline constexpr uint32_t FLAGS = 0xFFu << 8;   // free for software, writable in any mode
inline constexpr uint32_t PRIVILEGED_BITS = U | IE;
inline constexpr uint32_t WRITABLE = U | IE | FLAGS;
}  // namespace psw

// ---------------------------------------------------------------------------------
// Trap causes, as the CAUSE control register reports them (bits 7..0).
// HYPERCALL is seen only by a VMM; bare hardware reports ILLEGAL for `hypercall`.
#define TRAPEZE_CAUSES(X)                                       \
  X(NONE, 0, "none")                                            \
  X(ILLEGAL, 1, "illegal instruction")                          \
  X(PRIVILEGED, 2, "privileged instruction in user mode")       \
  X(PAGE_FAULT, 3, "page fault")                                \
  X(MISALIGNED, 4, "misaligned word access")                    \
  X(DIVZERO, 5, "divide by zero")                               \
  X(SYSCALL, 6, "system call")                                  \
  X(HYPERCALL, 7, "hypercall")                                  \
  X(BREAKPOINT, 8, "breakpoint")                                \
  X(TIMER, 16, "timer interrupt")                               \
  X(DEVICE, 17, "device interrupt")

enum class Cause : uint8_t {
#define TRAPEZE_CAUSE_ENUM(NAME, code, text) NAME = (code),
  TRAPEZE_CAUSES(TRAPEZE_CAUSE_ENUM)
#undef TRAPEZE_CAUSE_ENUM
};
std::string_view cause_name(Cause c);   // "PAGE_FAULT"
std::string_view cause_text(Cause c);   // "page fault"
constexpr bool is_interrupt(Cause c) { return static_cast<uint8_t>(c) >= 16; }

// Page-fault detail bits in CAUSE, above the cause code.
namespace fault {
inline constexpr uint32_t WRITE = 1u << 8;       // the access was a write
inline constexpr uint32_t EXEC = 1u << 9;        // the access was an instruction fetch
inline constexpr uint32_t PROTECTION = 1u << 10; // page present, permission denied
inline constexpr uint32_t USER = 1u << 11;       // the access was made in user mode
}  // namespace fault

// Trap entry, in hardware:
//   EPC = pc of the faulting instruction (faults, brk), or of the next one
//         (syscall, hypercall, interrupts);  EPSW = PSW;  CAUSE = cause | detail;
//   BADADDR = faulting virtual address (page fault, misaligned);
//   PSW.U = 0; PSW.IE = 0; pc = trap vector.
// `rti` restores pc = EPC and PSW = EPSW.

// ---------------------------------------------------------------------------------
// Control registers for mfcr / mtcr (the B field).
#define TRAPEZE_CONTROL_REGS(X) \
  X(EPC, 0, "epc")              \
  X(EPSW, 1, "epsw")            \
  X(CAUSE, 2, "cause")          \
  X(BADADDR, 3, "badaddr")      \
  X(SCRATCH0, 4, "scratch0")    \
  X(SCRATCH1, 5, "scratch1")

enum class ControlReg : uint8_t {
#define TRAPEZE_CR_ENUM(NAME, num, text) NAME = (num),
  TRAPEZE_CONTROL_REGS(TRAPEZE_CR_ENUM)
#undef TRAPEZE_CR_ENUM
};
inline constexpr int kNumControlRegs = 6;  // an mfcr/mtcr of any other number is ILLEGAL
std::string_view cr_name(int cr);
std::optional<int> parse_cr(std::string_view);

// ---------------------------------------------------------------------------------
// Paging: two levels, 4 KiB pages.  Virtual address = [31:22] L1 index,
// [21:12] L2 index, [11:0] offset.  The page-table register holds the physical
// address of the 4 KiB-aligned L1 table; 0 means paging is off (the reset state).
// An entry at either level: [31:12] frame, and the bits below.  The effective
// W and U permissions are the AND of both levels.  The walker sets A in both
// levels and D in the L2 entry on a write.
namespace pte {
inline constexpr uint32_t P = 1u << 0;  // present
inline constexpr uint32_t W = 1u << 1;  // writable
inline constexpr uint32_t U = 1u << 2;  // user-accessible
inline constexpr uint32_t A = 1u << 3;  // accessed
inline constexpr uint32_t D = 1u << 4;  // dirty
inline constexpr uint32_t FRAME = 0xFFFFF000u;
}  // namespace pte
inline constexpr uint32_t kPageSize = 4096;
inline constexpr uint32_t kPageShift = 12;
constexpr uint32_t l1_index(uint32_t va) { return va >> 22; }
constexpr uint32_t l2_index(uint32_t va) { return (va >> 12) & 0x3FF; }

}  // namespace trapeze::isa
