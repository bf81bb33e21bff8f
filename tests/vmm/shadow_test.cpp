// Shadow page tables: the guest's edits to its page tables reach the shadow (write
// protection catches them), hidden faults stay hidden, the guest's A/D bits come
// out as on bare metal, and the three tables compose as the lecture draws them.
#include "vmm/inspect.h"
#include "vmm/trap_and_emulate.h"
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

namespace pte = isa::pte;

// Kernel identity-mapped (pages 0..7, L2 at 0x2000, L1 at 0x3000); VA 0x10000
// maps frame 0x8000 ("A") and is then remapped to frame 0x9000 ("B").
constexpr const char* kRemap = R"(
        la      r13, handler
        ldtvec  r13
        li      r3, 0x2000 | PTE_P | PTE_W
        li      r4, 0x3000
        stw     r3, 0(r4)
        li      r5, 0
        li      r4, 0x2000
map:    shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        stw     r3, 0(r4)
        addi    r4, r4, 4
        addi    r5, r5, 1
        li      r6, 8
        blt     r5, r6, map
        li      r3, 0x8000 | PTE_P | PTE_W
        stw     r3, 0x2040(r0)          ; L2[16]: VA 0x10000 -> frame A
        li      r1, 0x3000
        ldptr   r1
        tlbflush
        li      r1, 0x10000
        ldw     r5, 0(r1)               ; A's word
        li      r3, 0x9000 | PTE_P | PTE_W
        stw     r3, 0x2040(r0)          ; edit the PTE: VA 0x10000 -> frame B
        invlpg  r1
        ldw     r6, 0(r1)               ; B's word
        stw     r6, 4(r1)               ; a write: D set in the PTE
        stw     r0, 0x2040(r0)          ; unmap it
        invlpg  r1
        ldw     r7, 0(r1)               ; a true page fault
        halt
handler:
        mfcr    r9, cause
        mfcr    r12, badaddr
        halt
        .org 0x8000
        .word   0xAAAA0001
        .org 0x9000
        .word   0xBBBB0002
)";

TEST(ShadowPaging, GuestPageTableEditsReachTheShadow) {
  const assembler::Program p = assemble(kRemap);
  auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 64u << 10),
                       guest_config(p, StrategyKind::TRAP, 64u << 10)});
  ASSERT_TRUE(vmm && run_to_end(*vmm));
  const Guest& native = vmm->guest(0);
  const Guest& trap = vmm->guest(1);
  expect_same_guest_state(native, trap);  // registers, memory — A/D bits included
  const machine::CpuState& s = trap.vcpu.cpu;
  EXPECT_EQ(s.r[5], 0xAAAA0001u);
  EXPECT_EQ(s.r[6], 0xBBBB0002u) << "the shadow still maps the old frame";
  EXPECT_EQ(s.r[9],
            uint32_t(isa::Cause::PAGE_FAULT));  // after the unmap: not present, kernel, read
  EXPECT_EQ(s.r[12], 0x10000u);
  uint32_t pte_after = 0;
  ASSERT_TRUE(vmm->read_guest_physical(1, 0x2040, {reinterpret_cast<uint8_t*>(&pte_after), 4}));
  EXPECT_EQ(pte_after, 0u);
  uint32_t l2_code = 0;  // the code page's PTE: accessed, never written
  ASSERT_TRUE(vmm->read_guest_physical(1, 0x2000, {reinterpret_cast<uint8_t*>(&l2_code), 4}));
  EXPECT_EQ(l2_code & (pte::A | pte::D), pte::A);

  const VmmCounters& v = trap.counters.vmm;
  EXPECT_EQ(v.write_protect_traps,
            2u);  // the remap and the unmap (the first PTE write came before paging)
  EXPECT_GE(v.hidden_faults, 3u);
  EXPECT_EQ(v.reflected_faults, 1u);
  EXPECT_GE(v.shadow_updates, v.hidden_faults);
  bool logged = false;
  for (const Event& e : vmm->events().events())
    if (e.kind == EventKind::WRITE_PROTECT) {
      logged = true;
      EXPECT_EQ(e.b, 0x2040u);
      EXPECT_NE(describe(e).find("wrote the guest's page table"), std::string::npos) << describe(e);
    }
  EXPECT_TRUE(logged);
}

TEST(ShadowPaging, TheThreeTablesComposeSideBySide) {
  // Stop the remap kernel just after its first read through VA 0x10000 (running it
  // a host cycle at a time), then walk the three tables.
  const assembler::Program p = assemble(kRemap);
  auto vmm = make_vmm({guest_config(p, StrategyKind::TRAP, 64u << 10)});
  ASSERT_TRUE(vmm);
  while (vmm->guest(0).ready() && vmm->guest(0).vcpu.cpu.r[5] != 0xAAAA0001u) vmm->run(1);
  ASSERT_EQ(vmm->guest(0).vcpu.cpu.r[5], 0xAAAA0001u);
  const GuestPlacement* place = vmm->placement(0);
  ASSERT_TRUE(place);

  const ThreeTables t = walk_tables(*vmm, 0, 0x10004);
  ASSERT_TRUE(t.guest.ok) << t.guest.note;
  EXPECT_EQ(t.guest.output, 0x8004u);  // guest-virtual -> guest-physical
  EXPECT_EQ(t.guest.root, 0x3000u);
  EXPECT_EQ(t.guest.levels, 2);
  EXPECT_EQ(t.guest.steps[1].index, 16u);
  ASSERT_TRUE(t.physmap.ok) << t.physmap.note;
  EXPECT_EQ(t.physmap.output, place->region_base + 0x8004);  // guest-physical -> host-physical
  ASSERT_TRUE(t.shadow.ok) << t.shadow.note;
  EXPECT_EQ(t.shadow.output, t.physmap.output) << "shadow = physical map o guest table";
  EXPECT_TRUE(t.shadow.user) << "the guest kernel runs in user mode: every shadow page is U";
  EXPECT_FALSE(t.shadow.writable) << "read so far, D clear: mapped read-only until the first write";
  EXPECT_NE(t.shadow.root, place->physmap_base);

  // A page the guest maps but has not touched: in its table, not yet in the shadow.
  const ThreeTables u = walk_tables(*vmm, 0, 0x7000);
  EXPECT_TRUE(u.guest.ok);
  EXPECT_FALSE(u.shadow.ok);
  EXPECT_NE(u.shadow.note.find("hidden page fault"), std::string::npos) << u.shadow.note;
  // The guest's own page table page is mapped read-only in the shadow.
  const ThreeTables pt = walk_tables(*vmm, 0, 0x2000);
  EXPECT_TRUE(pt.guest.writable);
  if (pt.shadow.ok) {
    EXPECT_FALSE(pt.shadow.writable);
  }
  // Inspection changes nothing.
  EXPECT_EQ(walk_tables(*vmm, 0, 0x10004).shadow.output, t.shadow.output);
}

// A guest whose tables need more shadow pages than its pool has, and more address
// spaces than the VMM caches: shadows are dropped and rebuilt, results unchanged.
TEST(ShadowPaging, PoolExhaustionAndAddressSpaceEvictionKeepResultsExact) {
  const assembler::Program p = assemble(R"(
        ; 10 address spaces (L1 tables at 0x10000 + k*0x1000), all sharing the L2
        ; table at 0x2000 (kernel identity pages 0..7) in L1 slot 0; and each mapping
        ; the same L2 (0x4000: frame 0x8000 at index 0) in L1 slots 1..100.
        la      r13, handler
        ldtvec  r13
        li      r5, 0
        li      r4, 0x2000
map:    shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        stw     r3, 0(r4)
        addi    r4, r4, 4
        addi    r5, r5, 1
        li      r6, 8
        blt     r5, r6, map
        li      r3, 0x8000 | PTE_P | PTE_W
        stw     r3, 0x4000(r0)
        li      r7, 0                   ; space k
spaces: shli    r8, r7, 12
        li      r9, 0x10000
        add     r8, r8, r9              ; its L1
        li      r3, 0x2000 | PTE_P | PTE_W
        stw     r3, 0(r8)
        li      r10, 1
slots:  shli    r11, r10, 2
        add     r11, r11, r8
        li      r3, 0x4000 | PTE_P | PTE_W
        stw     r3, 0(r11)
        addi    r10, r10, 1
        li      r12, 101
        blt     r10, r12, slots
        addi    r7, r7, 1
        li      r12, 10
        blt     r7, r12, spaces
        ; three rounds over all spaces; in each, read slot 1..100 (VA n << 22)
        li      r1, 0                   ; checksum
        li      r2, 0                   ; round
round:  li      r7, 0
space:  shli    r8, r7, 12
        li      r9, 0x10000
        add     r8, r8, r9
        ldptr   r8
        tlbflush
        li      r10, 1
touch:  shli    r11, r10, 22
        ldw     r12, 0(r11)
        add     r1, r1, r12
        stw     r1, 0(r11)
        addi    r10, r10, 1
        li      r12, 101
        blt     r10, r12, touch
        addi    r7, r7, 1
        li      r12, 10
        blt     r7, r12, space
        addi    r2, r2, 1
        li      r12, 3
        blt     r2, r12, round
        halt
handler:
        halt
        .org 0x8000
        .word 5
)");
  auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 128u << 10),
                       guest_config(p, StrategyKind::TRAP, 128u << 10)});
  ASSERT_TRUE(vmm && run_to_end(*vmm, 10'000'000));
  expect_same_guest_state(vmm->guest(0), vmm->guest(1));
  const VmmCounters& v = vmm->guest(1).counters.vmm;
  EXPECT_GE(v.shadow_resets, 1u) << "the pool never ran out";
  EXPECT_GT(v.shadow_tables, size_t(kShadowSpaces)) << "no address space was evicted";
  EXPECT_EQ(vmm->guest(1).state, GuestState::Halted);
}

// Guest-visible time does not depend on TLB hits and misses: the same guest gives
// the same results, interrupts included, with a 1-entry TLB and a 1024-entry one.
TEST(ShadowPaging, GuestVisibleResultsDoNotDependOnTheTlb) {
  // Twice a tick's handling (trap entry, control-register accesses, a console `out`,
  // rti), so ticks are frequent but never crowd out the kernel.
  const machine::CostModel costs;
  using machine::CostEvent;
  const int period = int(2 * (costs[CostEvent::TRAP_ENTRY] + costs[CostEvent::PORT_IO] +
                              costs[CostEvent::RTI] + 4 * costs[CostEvent::INSN_SYSTEM]));
  const assembler::Program p = assemble_file("tests/vmm/guests/kernel.s", {{"TIMER_PERIOD", period}});
  uint64_t hash = 0;
  std::string console;
  for (uint32_t entries : {1u, 8u, 1024u}) {
    VmmConfig c;
    c.tlb.entries = entries;
    c.guests = {guest_config(p, StrategyKind::NATIVE), guest_config(p, StrategyKind::TRAP)};
    std::string error;
    auto vmm = Vmm::create(c, &error);
    ASSERT_TRUE(vmm) << error;
    ASSERT_TRUE(run_to_end(*vmm));
    expect_same_guest_state(vmm->guest(0), vmm->guest(1));
    if (hash == 0) hash = vmm->guest(0).state_hash(), console = vmm->guest(0).console();
    EXPECT_EQ(vmm->guest(0).state_hash(), hash) << entries << " TLB entries";
    EXPECT_EQ(vmm->guest(1).console(), console);
  }
}

}  // namespace
}  // namespace trapeze::vmm::testing
