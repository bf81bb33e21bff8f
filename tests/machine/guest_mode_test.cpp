// Guest mode (machine/guest_mode.cpp): entry and exit through the control block,
// every exit control both ways (set: the event exits; clear: the guest handles it
// on its own state), event injection, interrupt-window exiting, and nested
// paging's two-dimensional walk with its reference count and the guest's A/D bits.
#include <gtest/gtest.h>

#include "isa/ports.h"
#include "isa/vm_control_block.h"
#include "test_machine.h"

namespace trapeze::machine::testing {
namespace {

namespace vmcb = isa::vmcb;
using vmcb::ExitReason;
using isa::Cause;
namespace pte = isa::pte;

constexpr uint32_t kVmcb = 0x9000;        // host-physical control block
constexpr uint32_t kGuestCode = 0x2000;   // guest code (shadow mode: host-physical)
constexpr uint32_t kGuestTvec = 0x2800;   // the guest's trap vector: `hypercall 9`
constexpr uint32_t kHostPc = 0x1000;      // where the owner "is" while the guest runs

class GuestModeTest : public MachineTest {
 public:  // (the parametrized cases' checks use the helpers)
  void SetUp() override {
    MachineTest::SetUp();
    CpuState host = m.state();
    host.pc = kHostPc;
    host.r[5] = 0x55;  // the owner's registers survive the guest
    m.set_state(host);
    ProgramBuilder handler(kGuestTvec);
    handler.op(Op::HYPERCALL, 0, 0, 0, 9);  // "the guest's handler ran": exits
    handler.load(m);
  }

  void field(uint32_t off, uint32_t v) { ASSERT_TRUE(m.poke32(kVmcb + off, v)); }
  uint32_t field(uint32_t off) const { return m.peek32(kVmcb + off).value_or(0xDEADBEEF); }
  const std::string& console() const { return m.console(); }
  uint32_t guest_reg(int r) const { return field(vmcb::GUEST_REGS + 4 * r); }
  uint32_t guest_cr(isa::ControlReg c) const { return field(vmcb::GUEST_CR + 4 * int(c)); }

  // Loads `p` as guest code, fills the block (kernel mode, IE off, trap vector at
  // kGuestTvec) and enters with `controls`.
  void enter(const ProgramBuilder& p, uint32_t controls, uint32_t psw = 0) {
    p.load(m);
    field(vmcb::EXIT_CONTROLS, controls);
    field(vmcb::GUEST_PC, p.origin());
    field(vmcb::GUEST_PSW, psw);
    field(vmcb::GUEST_TVEC, kGuestTvec);
    ASSERT_TRUE(m.vm_enter(kVmcb));
  }
  RunResult enter_and_run(const ProgramBuilder& p, uint32_t controls, uint32_t psw = 0) {
    enter(p, controls, psw);
    return m.run(10'000);
  }
  // The run ended with an exit of `reason`, back in the owner's state.
  void expect_exit(const RunResult& r, ExitReason reason) {
    ASSERT_EQ(r.reason, StopReason::VmExit) << stop_reason_name(r.reason);
    EXPECT_EQ(r.exit.reason, reason) << vmcb::exit_reason_name(r.exit.reason);
    EXPECT_EQ(field(vmcb::EXIT_REASON), uint32_t(reason));
    EXPECT_FALSE(m.in_guest_mode());
    EXPECT_EQ(m.state().pc, kHostPc);
    EXPECT_EQ(m.state().r[5], 0x55u);
  }
};

TEST_F(GuestModeTest, AnIoExitWritesTheGuestStateBackAndRestoresTheOwner) {
  ProgramBuilder p(kGuestCode);
  p.li(1, 'A');
  p.li(14, 0x7000);
  p.label("out");
  p.op(Op::OUT, 1, 0, 0, uint16_t(isa::Port::CONSOLE));
  p.op(Op::HALT);
  const RunResult r = enter_and_run(p, vmcb::EXIT_ON_IO, isa::psw::FLAGS & 0x300);
  expect_exit(r, ExitReason::IO);
  // Precise: the out has not run; GUEST_PC is its pc, the qualification its word.
  EXPECT_EQ(m.console(), "");
  EXPECT_EQ(r.exit.pc, p.addr("out"));
  EXPECT_EQ(field(vmcb::GUEST_PC), p.addr("out"));
  const uint32_t word = isa::encode({Op::OUT, 1, 0, 0, int32_t(isa::Port::CONSOLE)}).value();
  EXPECT_EQ(r.exit.qual, word);
  EXPECT_EQ(field(vmcb::EXIT_QUAL), word);
  EXPECT_EQ(field(vmcb::EXIT_INSN), word);
  EXPECT_EQ(guest_reg(1), uint32_t('A'));
  EXPECT_EQ(guest_reg(14), 0x7000u);
  EXPECT_EQ(field(vmcb::GUEST_PSW), isa::psw::FLAGS & 0x300);
  EXPECT_EQ(m.counters().vm_entries, 1u);
  EXPECT_EQ(m.counters().vm_exits, 1u);
  EXPECT_EQ(m.counters().vm_exits_by_reason[size_t(ExitReason::IO)], 1u);
  // Exits and entries cost cycles but are not architectural.
  EXPECT_GE(m.counters().cycles - m.counters().arch_cycles,
            uint64_t(m.cost_model()[CostEvent::VM_EXIT] + m.cost_model()[CostEvent::VM_ENTRY]));

  // Re-entering past it: without EXIT_ON_IO the guest owns the devices.
  field(vmcb::GUEST_PC, p.addr("out"));
  field(vmcb::EXIT_CONTROLS, 0);
  ASSERT_TRUE(m.vm_enter(kVmcb));
  expect_exit(m.run(100), ExitReason::HALT);
  EXPECT_EQ(m.console(), "A");
}

TEST_F(GuestModeTest, VmEnterRefusesABadBlockOrANestedEntry) {
  EXPECT_FALSE(m.vm_enter(kVmcb + 2));
  EXPECT_FALSE(m.vm_enter(m.memory_size() - 16));
  ProgramBuilder p(kGuestCode);
  p.op(Op::HALT);
  enter(p, 0);
  EXPECT_TRUE(m.in_guest_mode());
  EXPECT_FALSE(m.vm_enter(kVmcb));
}

// One row per exit control: a guest snippet, the exit it causes with the control
// set, and what the guest sees with it clear.
struct ControlCase {
  const char* name;
  uint32_t control;
  ExitReason reason;
  void (*code)(ProgramBuilder&);
  uint32_t psw;  // the guest's PSW on entry
  void (*without)(GuestModeTest&, const RunResult&);
};

class ExitControls : public GuestModeTest, public ::testing::WithParamInterface<ControlCase> {};

TEST_P(ExitControls, ExitsWhenSetAndRunsOnTheGuestsStateWhenClear) {
  const ControlCase& c = GetParam();
  ProgramBuilder p(kGuestCode);
  c.code(p);
  p.op(Op::HYPERCALL, 0, 0, 0, 1);  // "done": always exits
  expect_exit(enter_and_run(p, c.control, c.psw), c.reason);

  // The same code with the control clear.
  const RunResult r = enter_and_run(p, 0, c.psw);
  expect_exit(r, ExitReason::HYPERCALL);
  c.without(*this, r);
}

const ControlCase kControlCases[] = {
    {"priv_mfcr", vmcb::EXIT_ON_PRIV, ExitReason::PRIV_INSN,
     [](ProgramBuilder& p) {
       p.li(2, 0x1234);
       p.op(Op::MTCR, 2, int(isa::ControlReg::SCRATCH0));
       p.op(Op::MFCR, 3, int(isa::ControlReg::SCRATCH0));
     },
     0,
     [](GuestModeTest& t, const RunResult& r) {
       EXPECT_EQ(r.exit.qual, 1u);
       EXPECT_EQ(t.field(vmcb::GUEST_REGS + 4 * 3), 0x1234u);
     }},
    {"psw_ei", vmcb::EXIT_ON_PSW, ExitReason::PSW_WRITE, [](ProgramBuilder& p) { p.op(Op::EI); }, 0,
     [](GuestModeTest& t, const RunResult&) {
       EXPECT_EQ(t.field(vmcb::GUEST_PSW) & isa::psw::IE, isa::psw::IE);
     }},
    {"psw_wrpsw_clears_ie", vmcb::EXIT_ON_PSW, ExitReason::PSW_WRITE,
     [](ProgramBuilder& p) {
       p.li(2, 0x100);  // IE off, a FLAGS bit on
       p.op(Op::WRPSW, 2);
     },
     isa::psw::IE,
     [](GuestModeTest& t, const RunResult&) { EXPECT_EQ(t.field(vmcb::GUEST_PSW), 0x100u); }},
    {"ptr_sptr", vmcb::EXIT_ON_PTR, ExitReason::PTR_OP, [](ProgramBuilder& p) { p.op(Op::SPTR, 3); },
     0,
     [](GuestModeTest& t, const RunResult&) {
       EXPECT_EQ(t.field(vmcb::GUEST_REGS + 4 * 3), 0u);  // the guest's own PTR: paging off
     }},
    {"io_out", vmcb::EXIT_ON_IO, ExitReason::IO,
     [](ProgramBuilder& p) {
       p.li(2, 'x');
       p.op(Op::OUT, 2, 0, 0, uint16_t(isa::Port::CONSOLE));
     },
     0, [](GuestModeTest& t, const RunResult&) { EXPECT_EQ(t.console(), "x"); }},
    {"syscall", vmcb::EXIT_ON_SYSCALL, ExitReason::SYSCALL, [](ProgramBuilder& p) { p.op(Op::SYSCALL); },
     0,
     [](GuestModeTest& t, const RunResult& r) {
       EXPECT_EQ(r.exit.qual, 9u);  // its handler's hypercall
       EXPECT_EQ(t.guest_cr(isa::ControlReg::CAUSE), uint32_t(Cause::SYSCALL));
       EXPECT_EQ(t.guest_cr(isa::ControlReg::EPC), kGuestCode + 4);
     }},
    {"exception_divzero", vmcb::EXIT_ON_EXCEPTION, ExitReason::EXCEPTION,
     [](ProgramBuilder& p) { p.op(Op::DIV, 1, 2, 0); }, 0,
     [](GuestModeTest& t, const RunResult& r) {
       EXPECT_EQ(r.exit.qual, 9u);
       EXPECT_EQ(t.guest_cr(isa::ControlReg::CAUSE), uint32_t(Cause::DIVZERO));
     }},
    {"exception_user_halt", vmcb::EXIT_ON_EXCEPTION, ExitReason::EXCEPTION,
     [](ProgramBuilder& p) {  // to the guest's user mode, then a privileged halt
       p.li(2, isa::psw::U);
       p.op(Op::WRPSW, 2);
       p.op(Op::HALT);
     },
     0,
     [](GuestModeTest& t, const RunResult& r) {
       EXPECT_EQ(r.exit.qual, 9u);
       EXPECT_EQ(t.guest_cr(isa::ControlReg::CAUSE) & 0xFF, uint32_t(Cause::PRIVILEGED));
       EXPECT_EQ(t.guest_cr(isa::ControlReg::EPSW) & isa::psw::U, isa::psw::U);
     }},
    {"timer", vmcb::EXIT_ON_TIMER, ExitReason::TIMER,
     [](ProgramBuilder& p) {  // the guest's own timer (direct assignment), then wait
       p.li(2, 30);
       p.op(Op::LDTIMER, 2);
       p.op(Op::EI);
       p.label("spin");
       p.br(Op::BEQ, 0, 0, "spin");
     },
     0,
     [](GuestModeTest& t, const RunResult& r) {
       EXPECT_EQ(r.exit.qual, 9u);
       EXPECT_EQ(t.guest_cr(isa::ControlReg::CAUSE), uint32_t(Cause::TIMER));
     }},
};

INSTANTIATE_TEST_SUITE_P(GuestMode, ExitControls, ::testing::ValuesIn(kControlCases),
                         [](const ::testing::TestParamInfo<ControlCase>& i) { return i.param.name; });

TEST_F(GuestModeTest, SensitiveInstructionsSeeTheGuestsOwnState) {
  ProgramBuilder p(kGuestCode);
  p.op(Op::RDPSW, 1);  // kernel mode, its FLAGS
  p.op(Op::SPTR, 2);
  p.op(Op::HYPERCALL, 0, 0, 0, 1);
  const RunResult r = enter_and_run(p, vmcb::EXIT_ON_IO, 0x4200);
  expect_exit(r, ExitReason::HYPERCALL);
  EXPECT_EQ(guest_reg(1), 0x4200u) << "U = 0: the guest kernel runs in kernel mode";
  EXPECT_EQ(guest_reg(2), 0u);
  EXPECT_EQ(m.counters().holes_in_user, 0u);
}

TEST_F(GuestModeTest, HaltHypercallAndVmrunAlwaysExit) {
  for (Op op : {Op::HALT, Op::HYPERCALL, Op::VMRUN}) {
    ProgramBuilder p(kGuestCode);
    p.li(1, kVmcb);
    p.op(op, 1, 0, 0, op == Op::HYPERCALL ? 7 : 0);
    const RunResult r = enter_and_run(p, 0);
    expect_exit(r, op == Op::HALT        ? ExitReason::HALT
                   : op == Op::HYPERCALL ? ExitReason::HYPERCALL
                                         : ExitReason::VMRUN);
    if (op == Op::HYPERCALL) {
      EXPECT_EQ(r.exit.qual, 7u);
    }
    EXPECT_FALSE(m.halted());
  }
}

TEST_F(GuestModeTest, AnInjectedEventIsDeliveredBeforeTheFirstInstruction) {
  ProgramBuilder p(kGuestCode);
  p.op(Op::HALT);
  field(vmcb::EVENT_INJECT, vmcb::EVENT_VALID | uint32_t(Cause::PAGE_FAULT) | isa::fault::WRITE);
  field(vmcb::EVENT_BADADDR, 0x00403000);
  const RunResult r = enter_and_run(p, 0, isa::psw::IE);
  expect_exit(r, ExitReason::HYPERCALL);
  EXPECT_EQ(r.exit.qual, 9u);
  EXPECT_EQ(guest_cr(isa::ControlReg::EPC), kGuestCode);
  EXPECT_EQ(guest_cr(isa::ControlReg::CAUSE), uint32_t(Cause::PAGE_FAULT) | isa::fault::WRITE);
  EXPECT_EQ(guest_cr(isa::ControlReg::BADADDR), 0x00403000u);
  EXPECT_EQ(guest_cr(isa::ControlReg::EPSW), isa::psw::IE);
  EXPECT_EQ(field(vmcb::GUEST_PSW) & isa::psw::IE, 0u);
  EXPECT_EQ(field(vmcb::EVENT_INJECT), 0u) << "consumed on entry";
  EXPECT_EQ(m.counters().vm_injections, 1u);
}

TEST_F(GuestModeTest, InterruptWindowExitsRightAfterTheGuestEnablesInterrupts) {
  ProgramBuilder p(kGuestCode);
  p.op(Op::ADDI, 1, 0, 0, 1);
  p.op(Op::EI);
  p.label("after");
  p.op(Op::ADDI, 1, 1, 0, 1);
  p.op(Op::HALT);
  const RunResult r = enter_and_run(p, vmcb::EXIT_ON_INTR_WINDOW);
  expect_exit(r, ExitReason::INTR_WINDOW);
  EXPECT_EQ(r.exit.pc, p.addr("after"));
  EXPECT_EQ(guest_reg(1), 1u);
}

TEST_F(GuestModeTest, AnOwnerForcedExitWritesTheBlockBack) {
  ProgramBuilder p(kGuestCode);
  p.label("spin");
  p.op(Op::ADDI, 1, 1, 0, 1);
  p.br(Op::BEQ, 0, 0, "spin");
  enter(p, 0);
  EXPECT_EQ(m.run(100).reason, StopReason::Budget);
  EXPECT_TRUE(m.in_guest_mode()) << "a budget stop stays in guest mode";
  EXPECT_EQ(m.state().r[1], 50u) << "state() is the guest's";
  m.vm_exit(ExitReason::TIMER);
  EXPECT_FALSE(m.in_guest_mode());
  EXPECT_EQ(field(vmcb::EXIT_REASON), uint32_t(ExitReason::TIMER));
  EXPECT_EQ(guest_reg(1), 50u);
  EXPECT_EQ(m.state().pc, kHostPc);
}

// ---- shadow mode: the hardware PTR is whatever the VMM put there -----------------

TEST_F(GuestModeTest, ShadowModePageFaultsExitWithTheAddressAndTheAccess) {
  PageTables t(m, 0x20000);
  t.identity(0, 0x10000, pte::P | pte::W | pte::A | pte::D);  // kernel-only pages
  ProgramBuilder p(kGuestCode);
  p.li(2, 0x00500000);
  p.label("store");
  p.op(Op::STW, 1, 2, 0, 8);
  p.op(Op::HYPERCALL, 0, 0, 0, 1);
  field(vmcb::GUEST_PTR, t.root());
  field(vmcb::ASID, 5);
  RunResult r = enter_and_run(p, vmcb::EXIT_ON_PAGE_FAULT);
  expect_exit(r, ExitReason::PAGE_FAULT);
  EXPECT_EQ(r.exit.pc, p.addr("store"));
  EXPECT_EQ(r.exit.qual, 0x00500008u);
  EXPECT_EQ(r.exit.info, isa::fault::WRITE);
  EXPECT_EQ(field(vmcb::EXIT_INFO), isa::fault::WRITE);
  // Without the control the guest takes it.
  r = enter_and_run(p, 0);
  expect_exit(r, ExitReason::HYPERCALL);
  EXPECT_EQ(r.exit.qual, 9u);
  EXPECT_EQ(guest_cr(isa::ControlReg::BADADDR), 0x00500008u);
  // The guest's TLB entries carry its ASID, and a guest tlbflush drops only those.
  bool tagged = false;
  for (const TlbEntry& e : m.tlb_entries()) tagged |= e.valid && e.tag == 5;
  EXPECT_TRUE(tagged);
}

// ---- nested paging ------------------------------------------------------------------

// Guest-physical 0..64 KiB lives at host-physical kGuestBase; the nested table
// (host-physical) maps just that. The guest's own table is in guest-physical memory.
constexpr uint32_t kGuestBase = 0x40000;
constexpr uint32_t kNested = 0x30000;   // L1; its L2 at 0x31000
constexpr uint32_t kGuestL1 = 0x4000;   // guest-physical
constexpr uint32_t kGuestL2 = 0x5000;
constexpr uint32_t kProbe = 0x00400000; // guest-virtual -> guest-physical 0x8000

class NestedPagingTest : public GuestModeTest {
 public:
  void SetUp() override {
    GuestModeTest::SetUp();
    m.poke32(kNested, (kNested + 0x1000) | pte::P | pte::W | pte::U);
    for (uint32_t n = 0; n < 16; ++n)
      m.poke32(kNested + 0x1000 + 4 * n, (kGuestBase + n * 0x1000) | pte::P | pte::W | pte::U);
    // The guest's table: its low 16 KiB identity-mapped (code), the probe page at
    // 0x8000 (A and D clear), and a page past its memory.
    guest32(kGuestL1 + 4 * isa::l1_index(0), kGuestL2 | pte::P | pte::W);
    for (uint32_t a = 0; a < 0x4000; a += 0x1000)
      guest32(kGuestL2 + 4 * isa::l2_index(a), a | pte::P | pte::W);
    guest32(kGuestL1 + 4 * isa::l1_index(kProbe), 0x6000 | pte::P | pte::W);
    guest32(0x6000 + 4 * isa::l2_index(kProbe), 0x8000 | pte::P | pte::W);
    guest32(0x6000 + 4 * isa::l2_index(kProbe + 0x1000), 0x20000 | pte::P | pte::W);
    field(vmcb::FLAGS, vmcb::FLAG_NESTED);
    field(vmcb::NESTED_ROOT, kNested);
    field(vmcb::GUEST_PTR, kGuestL1);
    field(vmcb::ASID, 7);
  }
  void guest32(uint32_t gpa, uint32_t v) { ASSERT_TRUE(m.poke32(kGuestBase + gpa, v)); }
  uint32_t guest32(uint32_t gpa) const { return m.peek32(kGuestBase + gpa).value_or(0); }
  // Guest code at guest-physical kGuestCode (host kGuestBase + kGuestCode).
  ProgramBuilder code() const { return ProgramBuilder(kGuestCode); }
  RunResult run_guest(const ProgramBuilder& p) {
    load_guest_code(p);
    field(vmcb::EXIT_CONTROLS, 0);
    field(vmcb::GUEST_PC, p.origin());
    field(vmcb::GUEST_PSW, 0);
    field(vmcb::GUEST_TVEC, kGuestTvec);
    EXPECT_TRUE(m.vm_enter(kVmcb));
    return m.run(10'000);
  }
  void load_guest_code(const ProgramBuilder& p) {
    std::vector<uint8_t> b = p.bytes();
    EXPECT_TRUE(m.poke(kGuestBase + p.origin(), b));
    ProgramBuilder h(kGuestTvec);
    h.op(Op::HYPERCALL, 0, 0, 0, 9);
    EXPECT_TRUE(m.poke(kGuestBase + kGuestTvec, h.bytes()));
  }
};

TEST_F(NestedPagingTest, AColdMissWalksEightReferencesAndSetsTheGuestsAdBits) {
  ProgramBuilder p = code();
  p.li(2, kProbe);
  p.li(3, 0xCAFE);
  p.op(Op::STW, 3, 2, 0, 4);
  p.op(Op::HYPERCALL, 0, 0, 0, 1);
  const Counters before = m.counters();
  const RunResult r = run_guest(p);
  expect_exit(r, ExitReason::HYPERCALL);
  EXPECT_EQ(r.exit.qual, 1u);
  const Counters d = m.counters() - before;
  // Two cold misses (the code page, the probe page): (2+1)*(2+1)-1 = 8 references each.
  EXPECT_EQ(d.nested_walks, 2u);
  EXPECT_EQ(d.walks, 2u);
  EXPECT_EQ(d.walk_refs, 16u);
  EXPECT_EQ(d.nested_walk_refs, 16u);
  // The store went through both dimensions, and the hardware set the guest's A/D.
  EXPECT_EQ(guest32(0x8004), 0xCAFEu);
  EXPECT_EQ(guest32(0x6000 + 4 * isa::l2_index(kProbe)) & (pte::A | pte::D), pte::A | pte::D);
  EXPECT_EQ(guest32(kGuestL1 + 4 * isa::l1_index(kProbe)) & pte::A, pte::A);
  EXPECT_EQ(guest32(kGuestL2 + 4 * isa::l2_index(kGuestCode)) & (pte::A | pte::D), pte::A);
}

TEST_F(NestedPagingTest, TheSameColdMissNativelyWalksTwoReferences) {
  // The guest's table and code used as the host's own (host-physical = guest-physical).
  Machine native;
  for (uint32_t a = 0; a < 0x10000; a += 4) native.poke32(a, guest32(a));
  ProgramBuilder p = code();
  p.li(2, kProbe);
  p.li(3, 0xCAFE);
  p.op(Op::STW, 3, 2, 0, 4);
  p.op(Op::HALT);
  p.load(native);
  CpuState s = native.state();
  s.pc = kGuestCode;
  s.ptr = kGuestL1;
  native.set_state(s);
  ASSERT_EQ(native.run(100).reason, StopReason::Halted);
  EXPECT_EQ(native.counters().walks, 2u);
  EXPECT_EQ(native.counters().walk_refs, 4u);
  EXPECT_EQ(native.counters().nested_walks, 0u);
}

TEST_F(NestedPagingTest, GuestPageFaultsGoStraightToTheGuest) {
  ProgramBuilder p = code();
  p.li(2, 0x00800000);  // not mapped by the guest
  p.op(Op::LDW, 1, 2, 0, 0);
  const RunResult r = run_guest(p);
  expect_exit(r, ExitReason::HYPERCALL);
  EXPECT_EQ(r.exit.qual, 9u) << "its handler ran: no exit for its own fault";
  EXPECT_EQ(guest_cr(isa::ControlReg::CAUSE), uint32_t(Cause::PAGE_FAULT));
  EXPECT_EQ(guest_cr(isa::ControlReg::BADADDR), 0x00800000u);
}

TEST_F(NestedPagingTest, AGuestPhysicalAddressTheNestedTableLacksExits) {
  ProgramBuilder p = code();
  p.li(2, kProbe + 0x1000);  // the guest maps it to guest-physical 0x20000: not in the nested table
  p.label("load");
  p.op(Op::LDW, 1, 2, 0, 0x10);
  const RunResult r = run_guest(p);
  expect_exit(r, ExitReason::NESTED_FAULT);
  EXPECT_EQ(r.exit.pc, p.addr("load"));
  EXPECT_EQ(r.exit.qual, 0x20010u);
  EXPECT_EQ(r.exit.addr, kProbe + 0x1010);
  EXPECT_EQ(field(vmcb::EXIT_ADDR), kProbe + 0x1010);
  EXPECT_EQ(r.exit.info & isa::fault::WRITE, 0u);
}

TEST_F(NestedPagingTest, AGuestTlbFlushDropsOnlyItsOwnTag) {
  // A host entry (tag 0) and the guest's (tag 7) side by side.
  PageTables host(m, 0x60000);
  host.identity(0, 0x10000, pte::P | pte::W);
  ProgramBuilder p = code();
  p.op(Op::TLBFLUSH);
  p.op(Op::HYPERCALL, 0, 0, 0, 1);
  CpuState s = m.state();
  s.ptr = host.root();
  m.set_state(s);
  EXPECT_TRUE(m.translate(kHostPc, Access::Read, false).ok);
  ProgramBuilder warm(kHostPc);  // fill a host entry
  warm.op(Op::LDW, 1, 0, 0, 0x100);
  warm.op(Op::HALT);
  warm.load(m);
  m.run(10);
  m.clear_halted();
  s = m.state();
  s.pc = kHostPc;
  m.set_state(s);
  expect_exit(run_guest(p), ExitReason::HYPERCALL);
  bool host_entry = false, guest_entry = false;
  for (const TlbEntry& e : m.tlb_entries()) {
    host_entry |= e.valid && e.tag == 0;
    guest_entry |= e.valid && e.tag == 7;
  }
  EXPECT_TRUE(host_entry);
  EXPECT_TRUE(guest_entry) << "the code page again, after the flush";
  EXPECT_EQ(m.counters().tlb_flushes, 1u);
}

}  // namespace
}  // namespace trapeze::machine::testing
