// Paging: the two-level walk, permission faults with their detail bits, A/D bits,
// the TLB (flush, invlpg, ldptr, size, tags) and its counters.
#include "machine/test_machine.h"

namespace trapeze::machine::testing {
namespace {

using isa::Cause;
namespace pte = isa::pte;
namespace fault = isa::fault;

constexpr uint32_t kL1 = 0x40000;
constexpr uint32_t kRW = pte::P | pte::W;
constexpr uint32_t kRWU = pte::P | pte::W | pte::U;

class MachineMmu : public MachineTest {
 protected:
  MachineMmu() : MachineTest(config()) {}
  static MachineConfig config() {
    MachineConfig c;
    c.tlb.entries = 16;
    return c;
  }
  void SetUp() override {
    MachineTest::SetUp();
    // Kernel code, handler and data identity-mapped, kernel-only.
    pt.identity(0, 0x10000, kRW);
  }
  void paging_on() {
    CpuState s = m.state();
    s.ptr = kL1;
    m.set_state(s);
  }
  PageTables pt{m, kL1};
};

TEST_F(MachineMmu, WalkTranslatesAndCountsTwoReferencesPerMiss) {
  pt.map(0x00400000, 0x9000, kRW);  // va 4 MiB -> frame 0x9000
  m.poke32(0x9010, 0xFEEDF00D);
  paging_on();
  exec1({Op::LDW, 3, 1, 0, 0x10}, {{1, 0x00400000}});
  EXPECT_EQ(reg(3), 0xFEEDF00Du);
  const Counters& c = m.counters();
  EXPECT_EQ(c.dtlb_misses, 1u);
  EXPECT_EQ(c.walk_refs, 2 * (c.dtlb_misses + c.itlb_misses));
  EXPECT_EQ(c.walks, c.dtlb_misses + c.itlb_misses);
  EXPECT_GE(c.itlb_misses, 1u);
}

TEST_F(MachineMmu, NotPresentFaultsAtEitherLevel) {
  paging_on();
  // No L1 entry at all for 8 MiB.
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00800000}});
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), 0u);
  EXPECT_EQ(m.state().badaddr(), 0x00800000u);
  EXPECT_EQ(m.state().epc(), insn_pc);
  // L1 present, L2 entry not.
  pt.map(0x00400000, 0x9000, 0);
  exec1({Op::STW, 3, 1, 0, 4}, {{1, 0x00400000}});
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), fault::WRITE);
  EXPECT_EQ(m.state().badaddr(), 0x00400004u);
}

TEST_F(MachineMmu, WriteToReadOnlyPageIsAProtectionFaultInAnyMode) {
  pt.map(0x00400000, 0x9000, pte::P);
  paging_on();
  exec1({Op::STW, 3, 1, 0, 0}, {{1, 0x00400000}, {3, 1}});
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), fault::WRITE | fault::PROTECTION);
  EXPECT_EQ(m.peek32(0x9000), 0u);
  // Reading it is fine.
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00400000}});
  EXPECT_EQ(traps(), 1u);
}

TEST_F(MachineMmu, UserAccessToKernelPageIsAProtectionFault) {
  // User code page and a kernel-only data page.
  pt.identity(kCode, kCode + 0x1000, kRWU);
  pt.map(0x00400000, 0x9000, kRW);
  paging_on();
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00400000}}, /*user_mode=*/true);
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), fault::USER | fault::PROTECTION);
  // U must be set at both levels: a U page under a kernel-only L1 entry is still kernel-only.
  pt.map(0x00400000, 0x9000, kRWU, kRW);
  m.flush_tlb();
  exec1({Op::STW, 3, 1, 0, 0}, {{1, 0x00400000}}, /*user_mode=*/true);
  EXPECT_EQ(cause_detail(), fault::USER | fault::PROTECTION | fault::WRITE);
  // The kernel may access user pages.
  pt.map(0x00400000, 0x9000, kRWU);
  m.flush_tlb();
  const uint32_t before = traps();
  exec1({Op::STW, 3, 1, 0, 0}, {{1, 0x00400000}, {3, 0x55}});
  EXPECT_EQ(traps(), before);
  EXPECT_EQ(m.peek32(0x9000), 0x55u);
}

TEST_F(MachineMmu, FetchFromUnmappedOrKernelPageInUserModeFaultsWithExec) {
  pt.identity(kCode, kCode + 0x1000, kRWU);
  paging_on();
  // User code jumps to a kernel-only page.
  exec1({Op::JR, 1}, {{1, kData}}, /*user_mode=*/true);
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), fault::EXEC | fault::USER | fault::PROTECTION);
  EXPECT_EQ(m.state().epc(), kData);
  EXPECT_EQ(m.state().badaddr(), kData);
}

TEST_F(MachineMmu, WalkerSetsAccessedAndDirtyBits) {
  pt.map(0x00400000, 0x9000, kRW);
  pt.map(0x00401000, 0xA000, kRW);
  paging_on();
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00400000}});
  EXPECT_TRUE(pt.l1e(0x00400000) & pte::A);
  EXPECT_TRUE(pt.l2e(0x00400000) & pte::A);
  EXPECT_FALSE(pt.l2e(0x00400000) & pte::D) << "a read does not dirty";
  EXPECT_FALSE(pt.l2e(0x00401000) & pte::A) << "untouched page";
  // The first write through an entry filled by a read walks again to set D.
  const uint64_t walks = m.counters().walks;
  exec1({Op::STW, 3, 1, 0, 0}, {{1, 0x00400000}});
  EXPECT_TRUE(pt.l2e(0x00400000) & pte::D);
  EXPECT_GT(m.counters().walks, walks);
  EXPECT_GE(m.counters().ad_updates, 3u);
  // A faulting access sets nothing.
  pt.map(0x00402000, 0xB000, pte::P);
  exec1({Op::STW, 3, 1, 0, 0}, {{1, 0x00402000}});
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_FALSE(pt.l2e(0x00402000) & pte::A);
}

TEST_F(MachineMmu, TranslateInspectsWithoutSideEffects) {
  pt.map(0x00400000, 0x9000, kRW);
  paging_on();
  const Counters before = m.counters();
  const Machine::Translation t = m.translate(0x00400123, Access::Write, false);
  EXPECT_TRUE(t.ok);
  EXPECT_EQ(t.pa, 0x9123u);
  EXPECT_FALSE(pt.l2e(0x00400000) & pte::A);
  EXPECT_EQ(m.counters(), before);
  const Machine::Translation u = m.translate(0x00400123, Access::Read, true);
  EXPECT_FALSE(u.ok);
  EXPECT_EQ(u.fault, fault::PROTECTION);
  EXPECT_FALSE(m.translate(0x00800000, Access::Read, false).ok);
}

// A loop that reads one word from each of `pages` consecutive pages, `rounds` times.
ProgramBuilder page_reader(uint32_t base, int pages, int rounds) {
  ProgramBuilder p(kCode);
  p.li(5, uint32_t(rounds));
  p.label("round").li(1, base).li(2, uint32_t(pages));
  p.label("page").op(Op::LDW, 3, 1, 0, 0).li(4, isa::kPageSize).op(Op::ADD, 1, 1, 4);
  p.op(Op::ADDI, 2, 2, 0, -1).br(Op::BNE, 2, 0, "page");
  p.op(Op::ADDI, 5, 5, 0, -1).br(Op::BNE, 5, 0, "round");
  p.op(Op::HALT);
  return p;
}

TEST_F(MachineMmu, TlbHitsAfterTheFirstTouch) {
  for (int i = 0; i < 8; ++i) pt.map(0x00400000 + i * isa::kPageSize, 0x10000 + i * isa::kPageSize, kRW);
  paging_on();
  run(page_reader(0x00400000, 8, 10));
  EXPECT_EQ(m.counters().dtlb_misses, 8u);
  EXPECT_EQ(m.counters().dtlb_hits, 72u);
}

TEST_F(MachineMmu, TlbFlushAndInvlpgForceWalks) {
  pt.map(0x00400000, 0x9000, kRW);
  paging_on();
  ProgramBuilder p(kCode);
  p.li(1, 0x00400000);
  p.op(Op::LDW, 3, 1, 0, 0).op(Op::LDW, 3, 1, 0, 0);  // miss, hit
  p.op(Op::INVLPG, 1).op(Op::LDW, 3, 1, 0, 0);        // miss
  p.op(Op::LDW, 3, 1, 0, 0);                          // hit
  p.op(Op::TLBFLUSH).op(Op::LDW, 3, 1, 0, 0);         // miss
  p.op(Op::HALT);
  run(p);
  EXPECT_EQ(m.counters().dtlb_misses, 3u);
  EXPECT_EQ(m.counters().dtlb_hits, 2u);
  EXPECT_EQ(m.counters().tlb_invlpgs, 1u);
  EXPECT_EQ(m.counters().tlb_flushes, 1u);
}

TEST_F(MachineMmu, StaleTranslationSurvivesAPageTableEditUntilInvlpg) {
  pt.map(0x00400000, 0x9000, kRW);
  m.poke32(0x9000, 111);
  m.poke32(0xA000, 222);
  pt.identity(kL1, kL1 + 0x4000, kRW);  // the tables themselves, for the kernel to edit
  paging_on();
  ProgramBuilder p(kCode);
  p.li(1, 0x00400000).op(Op::LDW, 3, 1, 0, 0);
  p.li(6, pt.l2e_addr(0x00400000)).li(7, 0xA000 | kRW).op(Op::STW, 7, 6, 0, 0);  // remap
  p.op(Op::LDW, 4, 1, 0, 0);                    // still the old frame (TLB)
  p.op(Op::INVLPG, 1).op(Op::LDW, 5, 1, 0, 0);  // the new one
  p.op(Op::HALT);
  run(p);
  EXPECT_EQ(reg(3), 111u);
  EXPECT_EQ(reg(4), 111u);
  EXPECT_EQ(reg(5), 222u);
}

TEST_F(MachineMmu, LdptrDoesNotFlushTheTlb) {
  // A second address space mapping the same va elsewhere; its kernel part is identical.
  PageTables other(m, 0x60000);
  other.identity(0, 0x10000, kRW);
  other.map(0x00400000, 0xA000, kRW);
  pt.map(0x00400000, 0x9000, kRW);
  m.poke32(0x9000, 111);
  m.poke32(0xA000, 222);
  paging_on();
  ProgramBuilder p(kCode);
  p.li(1, 0x00400000).op(Op::LDW, 3, 1, 0, 0);
  p.li(2, 0x60000).op(Op::LDPTR, 2).op(Op::LDW, 4, 1, 0, 0);  // stale entry: old frame
  p.op(Op::TLBFLUSH).op(Op::LDW, 5, 1, 0, 0);
  p.op(Op::HALT);
  run(p);
  EXPECT_EQ(reg(3), 111u);
  EXPECT_EQ(reg(4), 111u) << "ldptr kept the TLB (documented)";
  EXPECT_EQ(reg(5), 222u);
}

TEST_F(MachineMmu, PermissionFaultOnATlbHitDropsTheEntry) {
  pt.map(0x00400000, 0x9000, pte::P);
  paging_on();
  ProgramBuilder p(kCode);
  p.li(1, 0x00400000).op(Op::LDW, 3, 1, 0, 0);  // fills the TLB with a read-only entry
  p.op(Op::STW, 3, 1, 0, 0);                    // faults on the cached entry
  run(p);
  EXPECT_EQ(cause_detail(), fault::WRITE | fault::PROTECTION);
  // Make the page writable without invlpg: the retry walks again and succeeds.
  m.poke32(pt.l2e_addr(0x00400000), 0x9000 | kRW);
  ProgramBuilder q(kCode);
  q.li(1, 0x00400000).li(3, 5).op(Op::STW, 3, 1, 0, 0).op(Op::HALT);
  const uint64_t traps_before = traps();
  run(q);
  EXPECT_EQ(traps(), traps_before);
  EXPECT_EQ(m.peek32(0x9000), 5u);
}

TEST(MachineTlbSize, MoreEntriesThanPagesTouchedMeansNoCapacityMisses) {
  for (uint32_t entries : {4u, 8u, 16u, 64u}) {
    MachineConfig c;
    c.tlb.entries = entries;
    Machine m(c);
    PageTables pt(m, kL1);
    pt.identity(0, 0x10000, kRW);
    for (int i = 0; i < 12; ++i) pt.map(0x00400000 + i * isa::kPageSize, 0x10000 + i * isa::kPageSize, kRW);
    ProgramBuilder p = page_reader(0x00400000, 12, 10);
    p.load(m);
    CpuState s;
    s.ptr = kL1;
    s.pc = kCode;
    m.set_state(s);
    ASSERT_EQ(m.run(100000).reason, StopReason::Halted);
    // 12 data pages + 1 code page in a FIFO TLB: with 16+ entries only compulsory
    // misses; with fewer, the cyclic sweep misses on every data access.
    if (entries >= 16) EXPECT_EQ(m.counters().dtlb_misses, 12u) << entries;
    else EXPECT_EQ(m.counters().dtlb_misses, 120u) << entries;
  }
}

TEST(MachineTlbSize, SetAssociativeTlbHasConflictMisses) {
  MachineConfig c;
  c.tlb = {16, 1};  // direct-mapped, 16 sets
  Machine m(c);
  PageTables pt(m, kL1);
  pt.identity(0, 0x10000, kRW);
  // Two pages 16 pages apart share a set.
  pt.map(0x00400000, 0x10000, kRW);
  pt.map(0x00410000, 0x11000, kRW);
  ProgramBuilder p(kCode);
  p.li(1, 0x00400000).li(2, 0x00410000).li(5, 10);
  p.label("l").op(Op::LDW, 3, 1, 0, 0).op(Op::LDW, 3, 2, 0, 0);
  p.op(Op::ADDI, 5, 5, 0, -1).br(Op::BNE, 5, 0, "l").op(Op::HALT);
  p.load(m);
  CpuState s;
  s.ptr = kL1;
  s.pc = kCode;
  m.set_state(s);
  ASSERT_EQ(m.run(100000).reason, StopReason::Halted);
  EXPECT_EQ(m.counters().dtlb_misses, 20u);
  EXPECT_EQ(m.tlb_entries().size(), 16u);
}

TEST_F(MachineMmu, AddressSpaceTagsKeepEntriesApart) {
  pt.map(0x00400000, 0x9000, kRW);
  m.poke32(0x9000, 111);
  m.poke32(0xA000, 222);
  paging_on();
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00400000}});
  EXPECT_EQ(reg(3), 111u);
  // Tag 1: another address space with its own tables; the tag-0 entries stay.
  PageTables other(m, 0x60000);
  other.identity(0, 0x10000, kRW);
  other.map(0x00400000, 0xA000, kRW);
  m.set_address_space(1);
  CpuState s = m.state();
  s.ptr = 0x60000;
  m.set_state(s);
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00400000}});
  EXPECT_EQ(reg(3), 222u);
  // Back to tag 0 and its tables: hits, no walk for the data page.
  m.set_address_space(0);
  s = m.state();
  s.ptr = kL1;
  m.set_state(s);
  const uint64_t misses = m.counters().dtlb_misses;
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00400000}});
  EXPECT_EQ(reg(3), 111u);
  EXPECT_EQ(m.counters().dtlb_misses, misses);
  int tagged[2] = {0, 0};
  for (const TlbEntry& e : m.tlb_entries())
    if (e.valid && e.vpn == 0x400) ++tagged[e.tag];
  EXPECT_EQ(tagged[0], 1);
  EXPECT_EQ(tagged[1], 1);
  m.flush_tlb_tag(1);
  for (const TlbEntry& e : m.tlb_entries()) EXPECT_FALSE(e.valid && e.tag == 1);
}

TEST_F(MachineMmu, PageTableEntryPointingOutsideMemoryIsNotPresent) {
  pt.map(0x00400000, 0x7FF00000, kRW);
  paging_on();
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00400000}});
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), 0u);
}

}  // namespace
}  // namespace trapeze::machine::testing
