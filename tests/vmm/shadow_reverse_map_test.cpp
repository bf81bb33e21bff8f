// The shadow tables' reverse maps (shadow_page_table.h) under the shapes that made
// shadow maintenance cost in proportion to tables times slots (issue 17, finding 5):
// address-space churn, large MMU batches, and an idle loop under binary
// translation. After every slice the consistency checker rebuilds the reverse maps
// from the shadows and compares (ShadowPageTables::check), and checks every
// present shadow entry against the guest's own tables; at the end each strategy
// must agree with bare metal.
#include "vmm/consistency.h"
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

// Runs `path` (with `defines`) on bare metal and under every strategy
// (pv: the PV=1 build, compared by its console), checking consistency after each
// slice; every strategy must end as bare metal does.
void run_shape(const std::string& path, std::map<std::string, int64_t> defines,
               const std::string& expected_prefix) {
  const assembler::Program bare = assemble_file(path, defines);
  defines["PV"] = 1;
  const assembler::Program pv = assemble_file(path, defines);
  if (::testing::Test::HasFailure()) return;
  std::vector<GuestConfig> configs;
  for (StrategyKind k : every_strategy())
    configs.push_back(guest_config(k == StrategyKind::PV ? pv : bare, k, 1u << 20));
  auto vmm = make_vmm(configs);
  ASSERT_TRUE(vmm);
  ConsistencyChecker checker(*vmm);
  int slices = 0;
  for (; slices < 20000 && !vmm->finished(); ++slices) {
    vmm->run(200'000);
    const std::string e = checker.check(*vmm);
    ASSERT_EQ(e, "") << "after slice " << slices << "\n" << dump_events(*vmm);
  }
  ASSERT_TRUE(vmm->finished());
  const Guest& native = vmm->guest(0);
  ASSERT_EQ(native.strategy_kind(), StrategyKind::NATIVE);
  EXPECT_EQ(native.state, GuestState::Halted) << native.reason;
  EXPECT_EQ(native.console().rfind(expected_prefix, 0), 0u) << native.console();
  for (size_t i = 1; i < vmm->guest_count(); ++i) {
    const Guest& g = vmm->guest(i);
    SCOPED_TRACE(std::string(strategy_name(g.strategy_kind())));
    if (g.strategy_kind() == StrategyKind::PV) {
      EXPECT_EQ(g.console(), native.console());
      EXPECT_EQ(g.state, GuestState::Halted) << g.reason;
    } else {
      expect_same_guest_state(native, g);
    }
  }
}

TEST(ShadowReverseMaps, AddressSpaceChurnMatchesBareMetalAndARebuild) {
  // 8 spaces over 16 shared second-level tables: every switch evicts a cached
  // shadow and builds one, and the tables become page tables again and again.
  run_shape("bench/guests/as-churn.s", {{"ROUNDS", 12}}, "as-churn: ");
}

TEST(ShadowReverseMaps, LargeMmuBatchesMatchBareMetalAndARebuild) {
  // 1024-entry rewrites of a table every one of 7 cached spaces has built from.
  run_shape("bench/guests/mmu-batch.s", {{"ROUNDS", 4}}, "mmu-batch: ");
}

TEST(ShadowReverseMaps, IdleLoopUnderBinaryTranslationMatchesBareMetal) {
  // bt runs a `jmp .` chained to itself in one host run: same clock, same counts.
  run_shape("bench/guests/idle.s", {{"TICKS", 40}}, "idle: 00000028");
}

// A store into a table three cached spaces built shadow entries from drops
// exactly those three entries (one per space), found through the reverse map.
TEST(ShadowReverseMaps, APageTableStoreDropsExactlyTheEntriesBuiltFromIt) {
  const assembler::Program p = assemble(R"(
        ; identity L2 at 0x2000 (pages 0..0x1f), shared table T at 0x3000 mapping
        ; virtual 0x400000 -> frame 0x8000; three L1s at 0x10000, 0x11000, 0x12000
        li      r5, 0
        li      r4, 0x2000
map:    shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        stw     r3, 0(r4)
        addi    r4, r4, 4
        addi    r5, r5, 1
        li      r6, 0x20
        blt     r5, r6, map
        li      r3, 0x8000 | PTE_P | PTE_W
        stw     r3, 0x3000(r0)
        li      r7, 0x10000
        li      r9, 0x13000
spaces: li      r3, 0x2000 | PTE_P | PTE_W
        stw     r3, 0(r7)
        li      r3, 0x3000 | PTE_P | PTE_W
        stw     r3, 4(r7)
        ldptr   r7
        tlbflush
        li      r8, 0x400000
        ldw     r10, 0(r8)              ; the shadow entry for 0x400000, in this space
        li      r3, 0x1000
        add     r7, r7, r3
        blt     r7, r9, spaces
        li      r3, 0x9000 | PTE_P | PTE_W
store:  stw     r3, 0x3000(r0)          ; T[0]: one entry dropped in each space
        tlbflush
        ldw     r10, 0(r8)
        halt
)");
  ASSERT_FALSE(::testing::Test::HasFailure());
  // (trap and bt log the store as WRITE_PROTECT; hw logs it as a VM exit.)
  for (StrategyKind k : {StrategyKind::TRAP, StrategyKind::BT}) {
    SCOPED_TRACE(std::string(strategy_name(k)));
    auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 1u << 20), guest_config(p, k, 1u << 20)});
    ASSERT_TRUE(vmm);
    ASSERT_TRUE(run_to_end(*vmm));
    EXPECT_EQ(check_consistency(*vmm), "");
    expect_same_guest_state(vmm->guest(0), vmm->guest(1));
    const uint32_t store = p.symbol("store").value_or(0);
    int seen = 0;
    for (size_t i = 0; i < vmm->events().size(); ++i) {
      const Event& e = vmm->events().at(i);
      if (e.kind != EventKind::WRITE_PROTECT || e.pc != store) continue;
      ++seen;
      EXPECT_EQ(e.c, 3u) << "shadow entries dropped by the store";
    }
    EXPECT_EQ(seen, 1) << dump_events(*vmm);
  }
}

}  // namespace
}  // namespace trapeze::vmm::testing
