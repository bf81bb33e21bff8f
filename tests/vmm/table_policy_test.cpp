// The ISA table, row by row: every privileged or sensitive instruction runs in a
// guest kernel (paging on) under every strategy and is compared with bare metal.
//   trap, bt, hw, hw-nested   the unmodified kernel: its whole guest-visible state,
//                             clocks and counts equal bare metal's — except trap on
//                             the sensitive-but-unprivileged rows, the documented
//                             hole, which the VMM must count instead
//   pv                        the -D PV=1 kernel (guests/lib/arch.inc: a sensitive
//                             instruction becomes its PV form): no hole left in its
//                             code, and what it prints of its registers, PSW, PTR
//                             and control registers equals bare metal's
// A row without a case here fails: a new privileged instruction is added with
// one (its table row, its body in machine/system_semantics.h, and a line below).
#include <map>

#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

using isa::Op;

// Each case runs at 0x1000 with r1 = 0x1234, r2 = 0x00005600, r3 = 3 and the
// trap vector at `trap`. Sensitive rows use their arch.inc macro (the
// instruction itself in the bare build).
const std::map<Op, std::string>& cases() {
  static const std::map<Op, std::string> c = {
      {Op::RDPSW, "ARCH_GET_PSW r1"},
      {Op::WRPSW, "mov r1, r2\n ARCH_SET_PSW r1"},  // FLAGS = 0x56, kernel mode, IE off
      {Op::SPTR, "ARCH_GET_PTR r1"},
      {Op::LDPTR, "ldptr r0\n li r4, 0x10000\n ldptr r4"},  // paging off, then on again
      {Op::RDPTR, "rdptr r1"},
      {Op::TLBFLUSH, "tlbflush"},
      {Op::INVLPG, "li r4, 0x1000\n invlpg r4"},
      {Op::LDTVEC, "la r4, trap2\n ldtvec r4\n brk"},
      {Op::RTI, "la r4, after\n mtcr epc, r4\n mtcr epsw, r2\n rti\n li r1, 0xDEAD\nafter: nop"},
      {Op::EI, "ei"},
      {Op::DI, "ei\n di"},
      {Op::IN, "in r1, PORT_BLK_STATUS"},
      {Op::OUT, "li r4, 'A'\n out PORT_CONSOLE, r4"},
      {Op::LDTIMER, "li r4, 700\n ldtimer r4\n ei\n li r4, 400\nspin: addi r4, r4, -1\n bnez r4, spin"},
      {Op::HALT, "halt"},
      {Op::MFCR, "mtcr scratch1, r1\n mfcr r3, scratch1"},
      {Op::MTCR, "mtcr scratch0, r2"},
      {Op::VMRUN, "vmrun r3"},  // misaligned: ILLEGAL on bare metal, as in any guest
  };
  return c;
}

// The kernel: identity paging, the case, then (DUMP) its registers, PSW, PTR and
// control registers printed in hex, then halt. The case and the handlers sit at
// fixed addresses, so both builds print the same addresses.
std::string kernel(const std::string& body) {
  return R"(
        .include "guests/lib/arch.inc"
        li      sp, 0xF000
        la      r1, trap
        ARCH_SET_TVEC r1
        li      r2, 0x10000
        li      r3, 0x11000
        li      r4, 0x20000
        call    paging_identity
        ARCH_PTE_COMMIT
        li      r2, 0x10000
        ARCH_SET_PTR r2
        li      r1, 0x1234
        li      r2, 0x5600
        li      r3, 3
        li      r4, 0
        jmp     case
        .include "guests/lib/paging.inc"
        ARCH_SUBROUTINES

        .org 0x1000
case:
)" + body + R"(
        jmp     done
trap2:  li      r4, 0x7777
trap:   nop
done:
.ifdef DUMP
        push    r4
        push    r3
        push    r2
        mov     r5, r1
        call    hex
        pop     r5
        call    hex
        pop     r5
        call    hex
        pop     r5
        call    hex
        ARCH_GET_PSW r5
        call    hex
        ARCH_GET_PTR r5
        call    hex
        mfcr    r5, epc
        call    hex
        mfcr    r5, epsw
        call    hex
        mfcr    r5, cause
        call    hex
        mfcr    r5, badaddr
        call    hex
        mfcr    r5, scratch0
        call    hex
        mfcr    r5, scratch1
        call    hex
.endif
        halt

; r5 in eight hex digits and a space. Clobbers r5..r8.
hex:    li      r6, 8
hex1:   shri    r7, r5, 28
        la      r8, digits
        add     r8, r8, r7
        ldb     r7, 0(r8)
        out     PORT_CONSOLE, r7
        shli    r5, r5, 4
        addi    r6, r6, -1
        bnez    r6, hex1
        li      r7, ' '
        out     PORT_CONSOLE, r7
        ret

        .org 0x3000
digits: .asciz "0123456789abcdef"
        .align 4
        ARCH_DATA
)";
}

// The ops of the instructions in [from, to) of the program's image.
std::vector<Op> ops_in(const assembler::Program& p, uint32_t from, uint32_t to) {
  std::vector<Op> out;
  for (const isa::Segment& s : p.segments)
    for (uint32_t i = 0; i + 4 <= s.bytes.size(); i += 4) {
      const uint32_t at = s.base + i;
      if (at < from || at >= to) continue;
      const uint32_t w = uint32_t(s.bytes[i]) | uint32_t(s.bytes[i + 1]) << 8 |
                         uint32_t(s.bytes[i + 2]) << 16 | uint32_t(s.bytes[i + 3]) << 24;
      out.push_back(isa::decode(w).op);
    }
  return out;
}

bool contains(const std::vector<Op>& ops, Op op) {
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

// Runs `p` alone under `s` to the end.
std::unique_ptr<Vmm> run_alone(const assembler::Program& p, StrategyKind s) {
  auto vmm = make_vmm({guest_config(p, s)});
  EXPECT_TRUE(vmm && run_to_end(*vmm)) << strategy_name(s);
  return vmm;
}

bool is_hole(const isa::InsnInfo& i) { return i.sensitive() && !i.privileged(); }

TEST(TablePolicy, EveryPrivilegedOrSensitiveRowRunsUnderEveryStrategyAsOnBareMetal) {
  int rows = 0;
  for (const isa::InsnInfo& row : isa::instructions()) {
    if (!row.privileged() && !row.sensitive()) continue;
    ++rows;
    SCOPED_TRACE(std::string(row.mnemonic));
    const auto it = cases().find(row.op);
    if (it == cases().end()) {
      ADD_FAILURE() << "no case for this privileged or sensitive row: add one to this test";
      continue;
    }
    const assembler::Program bare = assemble(kernel(it->second));
    ASSERT_TRUE(contains(ops_in(bare, 0x1000, 0x1800), row.op)) << "its case does not run it";
    const auto native = run_alone(bare, StrategyKind::NATIVE);
    ASSERT_TRUE(native);
    EXPECT_NE(native->guest(0).state, GuestState::Ready);

    for (StrategyKind s : every_strategy()) {
      if (s == StrategyKind::NATIVE || s == StrategyKind::PV) continue;
      SCOPED_TRACE(std::string(strategy_name(s)));
      const auto vmm = run_alone(bare, s);
      if (!vmm) continue;
      const Guest& g = vmm->guest(0);
      if (s == StrategyKind::TRAP && is_hole(row)) {
        // Pure trap-and-emulate cannot see it: the simulator counts it.
        EXPECT_GE(g.counters.vmm.sensitive_unprivileged, 1u);
        continue;
      }
      expect_same_guest_state(native->guest(0), g);
      EXPECT_EQ(g.counters.vmm.sensitive_unprivileged, 0u);
    }

    // Para-virtual: its PV build against the bare build, by what each prints.
    const assembler::Program pv = assemble(kernel(it->second), {{"PV", 1}, {"DUMP", 1}});
    for (Op op : ops_in(pv, 0, 0x3000))
      EXPECT_FALSE(is_hole(isa::info(op))) << "the PV build still runs " << isa::info(op).mnemonic;
    const auto reference = run_alone(assemble(kernel(it->second), {{"DUMP", 1}}), StrategyKind::NATIVE);
    const auto para = run_alone(pv, StrategyKind::PV);
    if (!reference || !para) continue;
    const Guest& r = reference->guest(0);
    const Guest& p = para->guest(0);
    EXPECT_EQ(r.state, p.state) << r.reason << " / " << p.reason;
    EXPECT_EQ(r.console(), p.console());
    if (row.op != Op::HALT) {
      EXPECT_FALSE(r.console().empty());
    }
    EXPECT_EQ(p.counters.vmm.sensitive_unprivileged, 0u);
  }
  EXPECT_GE(rows, 18);  // the walk saw the table's system rows
}

}  // namespace
}  // namespace trapeze::vmm::testing
