// The documented failure of pure trap-and-emulate on this ISA: the three
// sensitive-but-unprivileged instructions (rdpsw, wrpsw, sptr) do not trap, so a
// deprivileged guest kernel sees and changes the real PSW, not its virtual one.
// These tests EXPECT the divergence from bare metal — and that it is visible.
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

struct Pair {
  std::unique_ptr<Vmm> vmm;
  const Guest& native() const { return vmm->guest(0); }
  const Guest& trap() const { return vmm->guest(1); }
};

Pair run_both(const assembler::Program& p) {
  Pair r{make_vmm({guest_config(p, StrategyKind::NATIVE), guest_config(p, StrategyKind::TRAP)})};
  EXPECT_TRUE(r.vmm && run_to_end(*r.vmm));
  return r;
}

std::vector<Event> events_of(const Vmm& vmm, EventKind kind) {
  std::vector<Event> out;
  for (const Event& e : vmm.events().events())
    if (e.kind == kind) out.push_back(e);
  return out;
}

TEST(SensitiveInstructions, ModeCheckSeesUserModeAndLosesTheRaceUnderTrapAndEmulate) {
  const Pair r = run_both(assemble_file("guests/mode-check/mode-check.s"));
  // Bare metal: the kernel knows it is the kernel, and its wrpsw keeps interrupts off.
  EXPECT_NE(r.native().console().find("running in kernel mode"), std::string::npos)
      << r.native().console();
  EXPECT_NE(r.native().console().find("interrupts stayed off"), std::string::npos)
      << r.native().console();
  // Trap-and-emulate: rdpsw reads the real U = 1; wrpsw cannot clear IE, so the
  // virtual timer interrupt lands inside the critical section.
  EXPECT_NE(r.trap().console().find("running in user mode"), std::string::npos)
      << r.trap().console();
  EXPECT_NE(r.trap().console().find("an interrupt arrived with interrupts disabled"),
            std::string::npos)
      << r.trap().console();
  EXPECT_EQ(r.trap().state, GuestState::Halted);
  EXPECT_NE(r.native().state_hash(), r.trap().state_hash());

  // The VMM never saw them, but the simulator did: counted and explained.
  EXPECT_EQ(r.native().counters.vmm.sensitive_unprivileged, 0u);
  EXPECT_GE(r.trap().counters.vmm.sensitive_unprivileged, 3u);  // rdpsw twice, wrpsw once
  EXPECT_EQ(r.trap().counters.machine.holes_in_user, r.trap().counters.vmm.sensitive_unprivileged);
  const std::vector<Event> holes = events_of(*r.vmm, EventKind::SENSITIVE_UNPRIVILEGED);
  ASSERT_GE(holes.size(), 3u);
  EXPECT_EQ(isa::decode(holes[0].word).op, isa::Op::RDPSW);
  const std::string text = describe(holes[0]);
  EXPECT_NE(text.find("rdpsw at 0x"), std::string::npos) << text;
  EXPECT_NE(text.find("ran in user mode without trapping"), std::string::npos) << text;
  EXPECT_NE(text.find("the guest read U=1, its virtual PSW says kernel"), std::string::npos)
      << text;
  EXPECT_NE(text.find("invisible to a trap-and-emulate VMM"), std::string::npos) << text;
  bool wrpsw = false;
  for (const Event& e : holes) wrpsw |= isa::decode(e.word).op == isa::Op::WRPSW;
  EXPECT_TRUE(wrpsw);
}

// A kernel that reports its mode with rdpsw: "kernel" on bare metal, "user" under
// trap-and-emulate; and one that shows its page-table register with sptr.
TEST(SensitiveInstructions, RdpswAndSptrShowTheRealStateNotTheVirtualOne) {
  const assembler::Program p = assemble(R"(
        rdpsw   r1
        andi    r1, r1, PSW_U
        la      r2, kernel
        beqz    r1, print
        la      r2, user
print:  ldb     r3, 0(r2)
        beqz    r3, done
        out     PORT_CONSOLE, r3
        addi    r2, r2, 1
        b       print
done:   sptr    r4              ; paging is off: the guest's PTR is 0
        halt
        .org 0x400
kernel: .asciz "kernel"
user:   .asciz "user"
)");
  const Pair r = run_both(p);
  EXPECT_EQ(r.native().console(), "kernel");
  EXPECT_EQ(r.trap().console(), "user");
  EXPECT_EQ(r.native().vcpu.cpu.r[4], 0u);
  // Under the VMM, sptr revealed the hardware's table: the VMM's physical map, at
  // the start of the guest's VMM area seen through the root window (not where it
  // sits in host memory).
  const GuestPlacement* place = r.vmm->placement(1);
  ASSERT_TRUE(place);
  EXPECT_EQ(r.trap().vcpu.cpu.r[4], kRootWindow);
  EXPECT_NE(r.trap().vcpu.cpu.r[4], place->physmap_base);
  const std::vector<Event> holes = events_of(*r.vmm, EventKind::SENSITIVE_UNPRIVILEGED);
  ASSERT_EQ(holes.size(), 2u);
  EXPECT_NE(describe(holes[1]).find("the VMM's shadow table, not its own root"), std::string::npos);
}

// In the guest's own user mode the same instructions behave as on bare metal
// (a user program reads U = 1 there too): no divergence, though still counted.
TEST(SensitiveInstructions, InGuestUserModeRdpswAgreesWithBareMetal) {
  const assembler::Program p = assemble(R"(
        la      r1, user
        mtcr    epc, r1
        li      r1, PSW_U
        mtcr    epsw, r1
        la      r1, handler
        ldtvec  r1
        rti
user:   rdpsw   r5
        li      r6, 0x0100      ; FLAGS bit 8: writable in user mode
        wrpsw   r6
        rdpsw   r7
        syscall
handler:
        halt
)");
  const Pair r = run_both(p);
  expect_same_guest_state(r.native(), r.trap());
  EXPECT_EQ(r.trap().vcpu.cpu.r[5] & isa::psw::U, isa::psw::U);
  EXPECT_EQ(r.trap().vcpu.cpu.r[7] & isa::psw::FLAGS, 0x100u);
  EXPECT_EQ(r.trap().counters.vmm.sensitive_unprivileged, 3u);
}

// sptr is the red pill, not a window on the neighbours: what a guest reads depends
// on the guest alone, never on how many guests sit before it in host memory or how
// large they are. Paging off, then its kernel and its user program with paging on.
TEST(SensitiveInstructions, SptrShowsTheSameValueWhateverTheNeighbours) {
  const assembler::Program p = assemble(R"(
        li      r1, 0x3000              ; L1 -> the L2 at 0x2000, mapping pages 0..15
        li      r2, 0x2000 | PTE_P | PTE_W | PTE_U
        stw     r2, 0(r1)
        li      r4, 0x2000
        li      r5, 0
map:    shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W | PTE_U
        stw     r3, 0(r4)
        addi    r4, r4, 4
        addi    r5, r5, 1
        li      r6, 16
        blt     r5, r6, map
        sptr    r7                      ; paging off
        la      r1, handler
        ldtvec  r1
        li      r1, 0x3000
        ldptr   r1
        tlbflush
        sptr    r8                      ; its kernel, paging on
        la      r1, user
        mtcr    epc, r1
        li      r1, PSW_U
        mtcr    epsw, r1
        rti
user:   sptr    r9                      ; its user program
        syscall
handler:
        halt
)");
  const assembler::Program idle = assemble("halt");
  struct Seen {
    uint32_t off, kernel, user;
    bool operator==(const Seen&) const = default;
  };
  for (StrategyKind s : every_strategy()) {
    SCOPED_TRACE(std::string(strategy_name(s)));
    std::vector<Seen> seen;
    for (uint32_t before : {0u, 4u << 10, 32u << 20}) {
      std::vector<GuestConfig> guests;
      if (before) guests.push_back(guest_config(idle, StrategyKind::TRAP, before, "before"));
      guests.push_back(guest_config(p, s));
      auto vmm = make_vmm(guests);
      ASSERT_TRUE(vmm && run_to_end(*vmm));
      const Guest& g = vmm->guest(guests.size() - 1);
      ASSERT_EQ(g.state, GuestState::Halted) << g.reason;
      seen.push_back({g.vcpu.cpu.r[7], g.vcpu.cpu.r[8], g.vcpu.cpu.r[9]});
    }
    EXPECT_EQ(seen[1], seen[0]) << "a 4K guest before it changed what sptr reads";
    EXPECT_EQ(seen[2], seen[0]) << "a 32M guest before it changed what sptr reads";
    // Still the red pill where the lecture says so: trap-and-emulate's kernel and
    // user program, and binary translation's untranslated user program, read a
    // table that is not the one the guest loaded.
    const bool hole_in_kernel = s == StrategyKind::TRAP || s == StrategyKind::PV;
    const bool hole_in_user = hole_in_kernel || s == StrategyKind::BT;
    EXPECT_EQ(seen[0].off != 0, hole_in_kernel) << std::hex << seen[0].off;
    EXPECT_EQ(seen[0].kernel != 0x3000, hole_in_kernel) << std::hex << seen[0].kernel;
    EXPECT_EQ(seen[0].user != 0x3000, hole_in_user) << std::hex << seen[0].user;
  }
}

}  // namespace
}  // namespace trapeze::vmm::testing
