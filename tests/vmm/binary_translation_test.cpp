// Binary translation (`bt`): the translation cache on its own (block formation,
// lookup, chains, capacity and eviction, invalidation), and guests under `bt`
// against their bare-metal twins: callouts for the sensitive instructions,
// chaining, a kernel rewriting its own code, adaptive page-table stores, a tiny
// cache. The guests of guests/ are in guests_cosim_test.cpp; every privileged
// instruction in privileged_test.cpp; random programs in random_program_test.cpp.
#include <map>

#include "vmm/binary_translation.h"
#include "vmm/translation_cache.h"
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

using isa::Op;

// ---- the cache on its own ------------------------------------------------------

// Guest code as a map gpa -> word (missing words are 0: ILLEGAL).
struct Code {
  std::map<uint32_t, uint32_t> words;
  void put(uint32_t at, isa::Decoded d) { words[at] = *isa::encode(d); }
  Block block(uint32_t gva, uint32_t gpa, std::vector<uint32_t> adaptive = {}) const {
    return translate_block(
        gva, gpa,
        [this](uint32_t a) {
          auto it = words.find(a);
          return it == words.end() ? 0u : it->second;
        },
        [adaptive](uint32_t a) {
          return std::find(adaptive.begin(), adaptive.end(), a) != adaptive.end();
        });
  }
};

TEST(TranslateBlock, EndsAtABranchInclusive) {
  Code c;
  c.put(0x100, {Op::ADDI, 1, 1, 0, 1});
  c.put(0x104, {Op::STW, 1, 2, 0, 8});
  c.put(0x108, {Op::BNE, 1, 2, 0, -12});  // back to 0x100
  c.put(0x10C, {Op::ADD, 3, 3, 3});
  const Block b = c.block(0x100, 0x100);
  ASSERT_EQ(b.insns.size(), 3u);
  EXPECT_EQ(b.kept, 3u);
  EXPECT_FALSE(b.has_callout());
  EXPECT_EQ(b.insns[2].form, Translated::Jump);
  EXPECT_EQ(b.successor[0], 0x100u);  // taken
  EXPECT_EQ(b.successor[1], 0x10Cu);  // fall-through
}

TEST(TranslateBlock, StopsBeforeAPrivilegedOrSensitiveInstructionWhichBecomesTheCallout) {
  Code d;  // the words are read at the guest-physical address
  d.put(0x5200, {Op::ADD, 1, 2, 3});
  d.put(0x5204, {Op::LDPTR, 1});
  const Block e = d.block(0x200, 0x5200);
  ASSERT_EQ(e.insns.size(), 2u);
  EXPECT_EQ(e.kept, 1u);
  ASSERT_TRUE(e.has_callout());
  EXPECT_EQ(e.callout().form, Translated::Callout);
  EXPECT_EQ(e.callout().pc, 0x204u);  // guest-virtual
  EXPECT_EQ(e.successor[1], 0x208u);
  // Every privileged or sensitive instruction of the ISA table ends a block this way.
  for (const isa::InsnInfo& info : isa::instructions()) {
    if (!info.privileged() && !info.sensitive()) continue;
    Code one;
    one.words[0] = uint32_t(info.opcode) << 24;
    const Block f = one.block(0, 0);
    ASSERT_EQ(f.insns.size(), 1u) << info.mnemonic;
    EXPECT_EQ(f.kept, 0u) << info.mnemonic;
    EXPECT_EQ(f.callout().form,
              translated_inline(info.opcode) ? Translated::Inline : Translated::Callout)
        << info.mnemonic;
  }
  // rdpsw, wrpsw, sptr (the holes) are among them.
  for (const isa::InsnInfo& info : isa::instructions())
    if (info.virtualization_hole()) {
      EXPECT_TRUE(info.sensitive()) << info.mnemonic;
    }
}

TEST(TranslateBlock, IndirectCallsTrapsPageEndsAndLengthLimit) {
  Code c;
  c.put(0x0, {Op::RET});
  EXPECT_EQ(c.block(0, 0).insns[0].form, Translated::Indirect);
  EXPECT_EQ(c.block(0, 0).successor[0], kNoPc);
  c.put(0x10, {Op::CALL, 0, 0, 0, 0x40});
  const Block call = c.block(0x10, 0x10);
  EXPECT_EQ(call.insns[0].form, Translated::Call);
  EXPECT_EQ(call.successor[0], 0x54u);
  c.put(0x20, {Op::SYSCALL});
  EXPECT_EQ(c.block(0x20, 0x20).insns[0].form, Translated::Trap);
  // A page end: the block stops at the last word of its page.
  Code page;
  for (uint32_t a = 0xFF8; a < 0x1010; a += 4) page.put(a, {Op::ADD, 1, 1, 1});
  const Block tail = page.block(0xFF8, 0xFF8);
  EXPECT_EQ(tail.insns.size(), 2u);
  EXPECT_EQ(tail.successor[1], 0x1000u);
  // The length limit.
  Code straight;
  for (uint32_t a = 0; a < 4 * 100; a += 4) straight.put(a, {Op::ADD, 1, 1, 1});
  EXPECT_EQ(straight.block(0, 0).insns.size(), kMaxBlockLength);
  // An adaptive store is a callout.
  Code st;
  st.put(0x0, {Op::ADD, 1, 1, 1});
  st.put(0x4, {Op::STW, 1, 2, 0, 0});
  const Block s = st.block(0, 0, {0x4});
  EXPECT_EQ(s.kept, 1u);
  EXPECT_EQ(s.callout().form, Translated::StoreCallout);
}

TEST(TranslationCacheUnit, LookupIsByGuestPhysicalAndVirtualAddress) {
  std::vector<std::pair<uint32_t, bool>> pages;
  TranslationCache tc(1000, [&](uint32_t f, bool on) { pages.push_back({f, on}); });
  Code c;
  c.put(0x3000, {Op::RET});
  uint32_t evicted = 0;
  const uint32_t slot = tc.insert(c.block(0x400000, 0x3000), evicted);
  EXPECT_EQ(tc.find(0x3000, 0x400000), slot);
  EXPECT_EQ(tc.find(0x3000, 0x3000), ~0u);      // another virtual address
  EXPECT_EQ(tc.find(0x4000, 0x400000), ~0u);    // the same one mapped elsewhere
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0], std::make_pair(3u, true));  // the page is now protected
  EXPECT_EQ(tc.invalidate_page(3), 1u);
  EXPECT_EQ(tc.find(0x3000, 0x400000), ~0u);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[1], std::make_pair(3u, false));
  EXPECT_EQ(tc.used(), 0u);
}

TEST(TranslationCacheUnit, ChainsDieWithTheirTargetAndTheOldestBlocksAreEvictedFirst) {
  TranslationCache tc(kMinTcCapacity, nullptr);
  Code c;
  for (uint32_t a = 0; a < 0x100; a += 4) c.put(a, {Op::ADD, 1, 1, 1});
  for (uint32_t a = 0x3C; a < 0x100; a += 0x40) c.put(a, {Op::JMP, 0, 0, 0, 0});  // 16-word blocks
  uint32_t evicted = 0;
  const uint32_t a = tc.insert(c.block(0x00, 0x00), evicted);
  const uint32_t b = tc.insert(c.block(0x40, 0x40), evicted);
  EXPECT_EQ(evicted, 0u);
  EXPECT_EQ(tc.used(), 32u);
  tc.at(a).link[0] = tc.link_to(b);
  EXPECT_TRUE(tc.alive(tc.at(a).link[0]));
  const std::vector<TranslationCache::BlockInfo> before = tc.blocks();
  ASSERT_EQ(before.size(), 2u);
  EXPECT_TRUE(before[0].chained[0]);
  // A third block does not fit: the oldest (a) goes.
  const uint32_t c3 = tc.insert(c.block(0x80, 0x80), evicted);
  EXPECT_EQ(evicted, 1u);
  EXPECT_EQ(tc.find(0x00, 0x00), ~0u);
  EXPECT_NE(tc.find(0x40, 0x40), ~0u);
  EXPECT_LE(tc.used(), tc.capacity());
  // Dropping b kills any chain into it, even one held elsewhere.
  const BlockLink into_b = tc.link_to(tc.find(0x40, 0x40));
  tc.remove(into_b.slot);
  EXPECT_FALSE(tc.alive(into_b));
  EXPECT_NE(tc.find(0x80, 0x80), ~0u);
  (void)c3;
}

// ---- guests under bt against bare metal --------------------------------------------

struct Pair {
  std::unique_ptr<Vmm> vmm;
  const Guest& native() const { return vmm->guest(0); }
  const Guest& bt() const { return vmm->guest(1); }
};

Pair run_pair(const assembler::Program& p, uint32_t tc_capacity = kDefaultTcCapacity,
              uint64_t quantum = 50'000) {
  GuestConfig bt = guest_config(p, StrategyKind::BT, 256u << 10);
  bt.tc_capacity = tc_capacity;
  Pair r{make_vmm({guest_config(p, StrategyKind::NATIVE, 256u << 10), bt}, quantum)};
  EXPECT_TRUE(r.vmm && run_to_end(*r.vmm));
  if (r.vmm) expect_same_guest_state(r.native(), r.bt());
  return r;
}

// The kernel reads and writes its PSW and reads its page-table register: under
// trap-and-emulate it would see the real ones (sensitive_test.cpp); the callouts
// give it the virtual ones, as on bare metal.
TEST(BinaryTranslation, SensitiveInstructionsAreCalloutsAndSeeTheVirtualCpu) {
  const Pair r = run_pair(assemble(R"(
        li      r1, 0x3000              ; an identity table for the first 4 MiB
        li      r2, 0x4000 | PTE_P | PTE_W
        stw     r2, 0(r1)
        li      r3, 0
        li      r4, 0x4000
fill:   shli    r2, r3, 12
        ori     r2, r2, PTE_P | PTE_W
        stw     r2, 0(r4)
        addi    r4, r4, 4
        addi    r3, r3, 1
        li      r5, 32
        blt     r3, r5, fill
        ldptr   r1
        rdpsw   r6                      ; kernel mode, interrupts off: 0
        li      r2, PSW_IE | 0x500
        wrpsw   r2                      ; interrupts on, flags 5
        rdpsw   r7
        sptr    r8                      ; the guest's own root: 0x3000
        di
        rdpsw   r9
        halt
)"));
  const Guest& bt = r.bt();
  EXPECT_EQ(bt.vcpu.cpu.r[6], 0u);
  EXPECT_EQ(bt.vcpu.cpu.r[7], isa::psw::IE | 0x500u);
  EXPECT_EQ(bt.vcpu.cpu.r[8], 0x3000u);
  EXPECT_EQ(bt.vcpu.cpu.r[9], 0x500u);
  const VmmCounters& c = bt.counters.vmm;
  for (Op op : {Op::RDPSW, Op::WRPSW, Op::SPTR, Op::LDPTR, Op::DI, Op::HALT})
    EXPECT_GE(c.bt_callouts_by_op[uint8_t(op)], 1u) << isa::info(op).mnemonic;
  EXPECT_EQ(c.bt_callouts_by_op[uint8_t(Op::RDPSW)], 3u);
  EXPECT_EQ(c.emulated, 0u);
  EXPECT_EQ(c.sensitive_unprivileged, 0u);
  EXPECT_EQ(bt.counters.machine.holes_in_user, 0u);
  EXPECT_EQ(c.bt_inline, 5u);  // rdpsw x3, sptr, di
  EXPECT_EQ(c.bt_callouts, 8u);
}

// A loop: the first pass translates, later passes follow the chains.
TEST(BinaryTranslation, LoopsFollowChainsAndReturnsPayALookup) {
  const Pair r = run_pair(assemble(R"(
        li      r1, 100
loop:   call    leaf
        addi    r1, r1, -1
        bnez    r1, loop
        halt
leaf:   addi    r2, r2, 3
        ret
)"));
  const Guest& bt = r.bt();
  EXPECT_EQ(bt.vcpu.cpu.r[2], 300u);
  const VmmCounters& c = bt.counters.vmm;
  EXPECT_EQ(c.bt_misses, c.bt_blocks_translated);
  // Blocks: [li, call] [leaf: addi, ret] [addi, bnez] [halt], [call] from the loop.
  EXPECT_LE(c.bt_blocks_translated, 6u);
  EXPECT_GE(c.bt_hits, 99u);      // each ret looks its return address up
  EXPECT_GE(c.bt_chained, 190u);  // each call and each back edge is chained
  // The cache shows each block's original and translated code side by side.
  const TranslationCache* tc = bt.strategy->translation_cache();
  ASSERT_NE(tc, nullptr);
  bool saw_ret = false, saw_call = false;
  for (const TranslationCache::BlockInfo& b : tc->blocks()) {
    const auto rows = tc->rows(b.id);
    ASSERT_EQ(rows.size(), b.length);
    for (const auto& row : rows) {
      EXPECT_FALSE(row.original.empty());
      if (row.original == "ret") {
        saw_ret = true;
        EXPECT_EQ(row.translated, "dispatch(lr)  ; lookup");
      }
      if (row.original.rfind("call", 0) == 0) {
        saw_call = true;
        EXPECT_NE(row.translated.find("lr = 0x"), std::string::npos) << row.translated;
      }
    }
  }
  EXPECT_TRUE(saw_ret && saw_call);
  EXPECT_TRUE(tc->rows(0).empty());
}

// The fast path (chains and lookups followed inside one host run, lookups charged
// there) against the specification (every block ending in step()/enter()/
// run_block()): the same counters, states, consoles, host time and event log,
// however the quantum, the per-call budget and a guest's cycle limit fall on
// lookups, chains and the instructions between. Odd, short quanta put their ends
// everywhere.
struct Outcome {
  std::vector<GuestCounters> counters;
  std::vector<uint64_t> hashes;
  std::vector<GuestState> states;
  std::vector<std::string> consoles;
  uint64_t host_cycles = 0;
  std::vector<Event> events;
  bool operator==(const Outcome&) const = default;
};

struct Mix {
  uint64_t quantum = 50'000;
  uint64_t budget = 10'000'000;  // host cycles per Vmm::run call
  uint64_t bt_cycle_limit = kNoLimit;
  bool chain_in_run = true;
};

// `bt` twice under binary translation, beside a trap-and-emulate worker.
Outcome run_bt_mix(const assembler::Program& bt, const Mix& m) {
  GuestConfig first = guest_config(bt, StrategyKind::BT, 1u << 20, "bt");
  first.max_cycles = m.bt_cycle_limit;
  std::vector<GuestConfig> guests = {first,
                                     guest_config(worker(0, 3000), StrategyKind::TRAP, 64u << 10, "trap"),
                                     guest_config(bt, StrategyKind::BT, 1u << 20, "bt2")};
  for (GuestConfig& g : guests) g.max_instructions = 2'000'000;
  auto vmm = make_vmm(guests, m.quantum);
  for (size_t i = 0; i < vmm->guest_count(); ++i)
    if (auto* s = dynamic_cast<BinaryTranslation*>(vmm->guest(i).strategy.get()))
      s->set_chain_in_run(m.chain_in_run);
  EXPECT_TRUE(run_to_end(*vmm, m.budget, 100'000));
  Outcome o;
  for (size_t i = 0; i < vmm->guest_count(); ++i) {
    o.counters.push_back(vmm->guest(i).counters);
    o.hashes.push_back(vmm->guest(i).state_hash());
    o.states.push_back(vmm->guest(i).state);
    o.consoles.push_back(vmm->guest(i).console());
  }
  o.host_cycles = vmm->host_cycles();
  o.events = vmm->events().events();
  return o;
}

// Two returns a pass, a timer interrupt now and then.
assembler::Program call_ret_kernel() {
  return assemble(R"(
        la      sp, 0x8000
        la      r13, tick
        ldtvec  r13
        li      r1, 1700
        ldtimer r1
        ei
        li      r1, 3000
loop:   call    leaf
        addi    r1, r1, -1
        bnez    r1, loop
        di
        halt
leaf:   addi    r2, r2, 3
        push    lr
        call    deeper
        pop     lr
        ret
deeper: addi    r3, r3, 1
        ret
tick:   addi    r4, r4, 1
        rti
)");
}

TEST(BinaryTranslation, ChainsAndLookupsInsideARunMatchTheSlowPathExactly) {
  const assembler::Program k = call_ret_kernel();
  for (uint64_t quantum : {997u, 1'501u, 50'000u}) {
    SCOPED_TRACE(quantum);
    Mix m;
    m.quantum = quantum;
    const Outcome fast = run_bt_mix(k, m);
    const VmmCounters& c = fast.counters[0].vmm;
    EXPECT_GE(c.bt_hits, 6'000u);  // two returns a pass
    EXPECT_EQ(fast.states[0], GuestState::Halted);
    m.chain_in_run = false;
    EXPECT_EQ(fast, run_bt_mix(k, m));
    // Sliced into other per-call budgets: the same run (the event log aside,
    // which records the calls' ends).
    m.chain_in_run = true;
    for (uint64_t budget : {313u, 4'099u}) {
      m.budget = budget;
      const Outcome sliced = run_bt_mix(k, m);
      EXPECT_EQ(fast.counters, sliced.counters) << budget;
      EXPECT_EQ(fast.hashes, sliced.hashes) << budget;
      EXPECT_EQ(fast.host_cycles, sliced.host_cycles) << budget;
    }
  }
  // A cycle limit that stops the guest in the middle of its loop.
  Mix m;
  m.quantum = 1'501;
  m.bt_cycle_limit = 60'001;
  const Outcome limited = run_bt_mix(k, m);
  EXPECT_EQ(limited.states[0], GuestState::Stopped);
  m.chain_in_run = false;
  EXPECT_EQ(limited, run_bt_mix(k, m));
}

// The same on every guest kernel of guests/, with a short quantum.
TEST(BinaryTranslation, EveryGuestRunsTheSameWithChainsInsideARunOrNot) {
  for (const std::string& path : guest_sources()) {
    SCOPED_TRACE(path);
    const assembler::Program p = assemble_file(path);
    if (::testing::Test::HasFailure()) return;
    Mix m;
    m.quantum = 2'003;
    const Outcome fast = run_bt_mix(p, m);
    EXPECT_GT(fast.counters[0].vmm.bt_blocks_translated, 0u);
    m.chain_in_run = false;
    const Outcome slow = run_bt_mix(p, m);
    EXPECT_EQ(fast.counters, slow.counters);
    EXPECT_EQ(fast.hashes, slow.hashes);
    EXPECT_EQ(fast.consoles, slow.consoles);
    EXPECT_EQ(fast.host_cycles, slow.host_cycles);
    EXPECT_EQ(fast.events, slow.events);
  }
}

// A kernel that rewrites its own code must run the new code: with paging off and
// with paging on, and a store that rewrites the very block it is in.
std::string self_modifying(bool paging) {
  std::string s = R"(
        la      sp, 0x8000
)";
  if (paging)
    s += R"(
        li      r1, 0x3000              ; identity-map the first 32 pages
        li      r2, 0x4000 | PTE_P | PTE_W
        stw     r2, 0(r1)
        li      r3, 0
        li      r4, 0x4000
fill:   shli    r2, r3, 12
        ori     r2, r2, PTE_P | PTE_W
        stw     r2, 0(r4)
        addi    r4, r4, 4
        addi    r3, r3, 1
        li      r5, 32
        blt     r3, r5, fill
        ldptr   r1
)";
  s += R"(
        call    say                     ; prints 'A'
        la      r3, patch
        la      r4, new_insn
        ldw     r5, 0(r4)
        stw     r5, 0(r3)               ; now `li r1, 'B'`
        call    say                     ; prints 'B'
        la      r3, next
        la      r4, new_next
        ldw     r5, 0(r4)
        stw     r5, 0(r3)               ; rewrites the next instruction, in this block
next:   li      r6, 1                   ; replaced by `li r6, 2` before it runs
        out     PORT_CONSOLE, r6
        halt
say:
patch:  li      r1, 'A'
        out     PORT_CONSOLE, r1
        ret
new_insn:  li   r1, 'B'
new_next:  li   r6, 2
)";
  return s;
}

TEST(BinaryTranslation, AKernelRewritingItsOwnCodeRunsTheNewCode) {
  for (bool paging : {false, true}) {
    SCOPED_TRACE(paging ? "paging on" : "paging off");
    const Pair r = run_pair(assemble(self_modifying(paging)));
    EXPECT_EQ(r.native().console(), std::string("AB") + char(2));
    const VmmCounters& c = r.bt().counters.vmm;
    EXPECT_EQ(c.bt_invalidations, 2u);
    EXPECT_GE(c.bt_blocks_invalidated, 2u);
    EXPECT_EQ(c.write_protect_traps, 2u);
  }
}

// A store to a page table in translated code traps once; its block is then
// re-translated with the store as a callout, which does it without a trap.
TEST(BinaryTranslation, PageTableStoresBecomeCalloutsAfterTheirFirstTrap) {
  const Pair r = run_pair(assemble(R"(
        li      r1, 0x3000
        li      r2, 0x4000 | PTE_P | PTE_W
        stw     r2, 0(r1)
        li      r3, 0
        li      r4, 0x4000
fill:   shli    r2, r3, 12
        ori     r2, r2, PTE_P | PTE_W
        stw     r2, 0(r4)
        addi    r4, r4, 4
        addi    r3, r3, 1
        li      r5, 32
        blt     r3, r5, fill
        ldptr   r1
        li      r7, 0x10000             ; the probe page (0x10000), remapped each pass
        li      r8, 0x4000 + 4 * 16     ; its entry
        li      r9, 50
loop:   ldw     r10, 0(r7)              ; use it: the shadow is built from the table
        li      r2, 0x11000 | PTE_P | PTE_W
        andi    r11, r9, 1
        beqz    r11, keep
        li      r2, 0x10000 | PTE_P | PTE_W
keep:   stw     r2, 0(r8)
        invlpg  r7
        addi    r9, r9, -1
        bnez    r9, loop
        halt
)"));
  const VmmCounters& c = r.bt().counters.vmm;
  EXPECT_EQ(c.write_protect_traps, 1u);
  EXPECT_EQ(c.bt_adaptive_stores, 49u);
  EXPECT_EQ(c.bt_callouts_by_op[uint8_t(Op::STW)], 49u);
}

// A cache too small for the kernel's code: blocks are evicted and re-translated,
// and the guest still ends as on bare metal.
TEST(BinaryTranslation, ATinyCacheEvictsAndStillRunsCorrectly) {
  const assembler::Program p = assemble_file("tests/vmm/guests/kernel.s");
  const Pair small = run_pair(p, kMinTcCapacity, 7'000);
  const Pair big = run_pair(p);
  const VmmCounters& s = small.bt().counters.vmm;
  EXPECT_GT(s.bt_evictions, 0u);
  EXPECT_EQ(big.bt().counters.vmm.bt_evictions, 0u);
  EXPECT_GT(s.bt_blocks_translated, big.bt().counters.vmm.bt_blocks_translated);
  const TranslationCache* tc = small.bt().strategy->translation_cache();
  ASSERT_NE(tc, nullptr);
  EXPECT_LE(tc->used(), kMinTcCapacity);
  EXPECT_EQ(tc->capacity(), kMinTcCapacity);
}

// The event log explains translation, invalidation and callouts.
TEST(BinaryTranslation, EventsExplainTranslationsInvalidationsAndCallouts) {
  const Pair r = run_pair(assemble(self_modifying(false)));
  std::map<EventKind, int> kinds;
  for (const Event& e : r.vmm->events().events())
    if (e.guest == 1) ++kinds[e.kind];
  EXPECT_GT(kinds[EventKind::TRANSLATE], 0);
  EXPECT_EQ(kinds[EventKind::INVALIDATE], 2);
  EXPECT_GT(kinds[EventKind::CALLOUT], 0);
  EXPECT_EQ(kinds[EventKind::EMULATE], 0);
  for (const Event& e : r.vmm->events().events()) {
    if (e.kind == EventKind::INVALIDATE) {
      EXPECT_NE(describe(e).find("wrote to its own translated code"), std::string::npos)
          << describe(e);
    }
    if (e.kind == EventKind::CALLOUT && isa::decode(e.word).op == Op::OUT) {
      EXPECT_NE(describe(e).find("no trap"), std::string::npos) << describe(e);
    }
  }
}

}  // namespace
}  // namespace trapeze::vmm::testing
