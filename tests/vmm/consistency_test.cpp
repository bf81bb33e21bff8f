// The VMM's consistency checker (vmm/consistency.h): clean after every slice of
// every guest kernel under every strategy, and it does catch each kind
// of corruption it claims to (a checker that cannot fail proves nothing).
#include "vmm/consistency.h"

#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

using isa::kPageSize;
namespace pte = isa::pte;

// Runs to the end in small slices, checking after each; returns the first problem.
std::string run_checked(Vmm& vmm, uint64_t slice = 200'000, int max_slices = 5'000) {
  ConsistencyChecker checker(vmm);
  if (std::string e = checker.check(vmm); !e.empty()) return "before running: " + e;
  for (int i = 0; i < max_slices && !vmm.finished(); ++i) {
    vmm.run(slice);
    if (std::string e = checker.check(vmm); !e.empty())
      return "after slice " + std::to_string(i) + ": " + e;
  }
  return vmm.finished() ? "" : "did not finish";
}

machine::Machine& host_of(Vmm& vmm) {
  return const_cast<machine::Machine&>(vmm.host());  // a test may corrupt the host
}

TEST(Consistency, EveryGuestUnderEveryStrategyStaysConsistent) {
  const assembler::Program neighbour = assemble_file("tests/vmm/guests/kernel.s");
  int runs = 0;
  for (const std::string& path : guest_sources()) {
    for (StrategyKind s : every_strategy()) {
      SCOPED_TRACE(path + " under " + std::string(strategy_name(s)));
      const assembler::Program p = assemble_file(path, defines_for(s));
      if (::testing::Test::HasFailure()) return;
      GuestConfig g = guest_config(p, s, 1u << 20);
      g.max_instructions = 100'000'000;
      // A neighbour in the same host, and a short quantum: many world switches.
      auto vmm = make_vmm({g, guest_config(neighbour, StrategyKind::TRAP, 128u << 10)}, 7'000);
      ASSERT_TRUE(vmm);
      EXPECT_EQ(run_checked(*vmm), "");
      EXPECT_EQ(vmm->guest(0).state, GuestState::Halted) << vmm->guest(0).reason;
      ++runs;
    }
  }
  EXPECT_GE(runs, 8);
}

// A guest with paging on, so that shadows exist to corrupt.
std::unique_ptr<Vmm> paged_pair() {
  const assembler::Program k = assemble_file("tests/vmm/guests/kernel.s");
  auto vmm = make_vmm({guest_config(k, StrategyKind::TRAP, 128u << 10, "a"),
                       guest_config(k, StrategyKind::TRAP, 128u << 10, "b")});
  if (vmm) vmm->run(150'000);
  return vmm;
}

// The first present L2 entry of guest i's shadows: its host-physical address.
uint32_t a_shadow_leaf(const Vmm& vmm, size_t i) {
  const GuestPlacement& p = *vmm.placement(i);
  for (uint32_t page = 0; page < kShadowPoolPages; ++page) {
    const uint32_t table = p.pool_base + page * kPageSize;
    for (uint32_t e = 0; e < 1024; ++e) {
      const uint32_t v = *vmm.host().peek32(table + 4 * e);
      if ((v & pte::P) && (v & pte::FRAME) >= p.region_base) return table + 4 * e;
    }
  }
  return 0;
}

TEST(Consistency, CleanBeforeCorruption) {
  auto vmm = paged_pair();
  ASSERT_TRUE(vmm);
  EXPECT_EQ(check_consistency(*vmm), "");
  EXPECT_NE(a_shadow_leaf(*vmm, 0), 0u) << "kernel.s should have paging on by now";
}

TEST(Consistency, CatchesAPhysicalMapEntryPointingAtAnotherGuest) {
  auto vmm = paged_pair();
  ASSERT_TRUE(vmm);
  const GuestPlacement& a = *vmm->placement(0);
  const GuestPlacement& b = *vmm->placement(1);
  host_of(*vmm).poke32(a.physmap_base + kPageSize + 4 * 3, b.region_base | pte::P | pte::W);
  EXPECT_NE(check_consistency(*vmm).find("guest 0: physical map: guest page 0x3"),
            std::string::npos)
      << check_consistency(*vmm);
}

TEST(Consistency, CatchesAShadowEntryPointingAtTheVmmArea) {
  auto vmm = paged_pair();
  ASSERT_TRUE(vmm);
  const uint32_t leaf = a_shadow_leaf(*vmm, 0);
  ASSERT_NE(leaf, 0u);
  host_of(*vmm).poke32(leaf, 0 | pte::P | pte::U | pte::A);
  EXPECT_NE(check_consistency(*vmm).find("outside the guest's region"), std::string::npos)
      << check_consistency(*vmm);
}

TEST(Consistency, CatchesAShadowEntryTheGuestNeverGranted) {
  auto vmm = paged_pair();
  ASSERT_TRUE(vmm);
  const uint32_t leaf = a_shadow_leaf(*vmm, 0);
  ASSERT_NE(leaf, 0u);
  // Another frame of its own region: isolated, but not what its table says.
  const uint32_t v = *vmm->host().peek32(leaf);
  const GuestPlacement& p = *vmm->placement(0);
  const uint32_t other = (v & pte::FRAME) == p.region_base ? p.region_base + kPageSize : p.region_base;
  host_of(*vmm).poke32(leaf, other | (v & ~pte::FRAME));
  EXPECT_NE(check_consistency(*vmm).find("the guest's table says"), std::string::npos)
      << check_consistency(*vmm);
}

TEST(Consistency, CatchesALostShadowPoolPage) {
  auto vmm = paged_pair();
  ASSERT_TRUE(vmm);
  const uint32_t leaf = a_shadow_leaf(*vmm, 1);
  ASSERT_NE(leaf, 0u);
  // Unhook the L2 table that holds it from its L1 entry: the page is neither free nor used.
  const GuestPlacement& p = *vmm->placement(1);
  const uint32_t l2 = leaf & pte::FRAME;
  bool unhooked = false;
  for (uint32_t page = 0; page < kShadowPoolPages && !unhooked; ++page)
    for (uint32_t e = 0; e < 1024; ++e) {
      const uint32_t at = p.pool_base + page * kPageSize + 4 * e;
      if ((*vmm->host().peek32(at) & pte::FRAME) == l2 && (*vmm->host().peek32(at) & pte::P)) {
        host_of(*vmm).poke32(at, 0);
        unhooked = true;
        break;
      }
    }
  ASSERT_TRUE(unhooked);
  EXPECT_NE(check_consistency(*vmm).find("guest 1: shadow pool page"), std::string::npos)
      << check_consistency(*vmm);
}

TEST(Consistency, CatchesAWriteToTheVmmPageAndToAStoppedGuest) {
  auto vmm = paged_pair();
  ASSERT_TRUE(vmm);
  ConsistencyChecker checker(*vmm);
  EXPECT_EQ(checker.check(*vmm), "");
  host_of(*vmm).poke32(0x80, 0xBAD);
  EXPECT_EQ(checker.check(*vmm), "the VMM's own page was written");

  auto pair = paged_pair();
  ASSERT_TRUE(pair && run_to_end(*pair));
  ConsistencyChecker after(*pair);
  EXPECT_EQ(after.check(*pair), "");  // both stopped: their memory is frozen from here
  host_of(*pair).poke32(pair->placement(1)->region_base + 0x10, 0xBAD);
  EXPECT_EQ(after.check(*pair), "guest 1: its memory changed after it stopped running");
}

TEST(Consistency, CatchesATlbEntryIntoAnotherRegion) {
  auto vmm = paged_pair();
  ASSERT_TRUE(vmm);
  const uint32_t leaf = a_shadow_leaf(*vmm, 0);
  ASSERT_NE(leaf, 0u);
  // Bend guest 0's shadow entry into guest 1's region, let the hardware cache it,
  // then put the entry back: only the TLB remembers.
  const uint32_t good = *vmm->host().peek32(leaf);
  host_of(*vmm).poke32(leaf, vmm->placement(1)->region_base | pte::P | pte::U | pte::A);
  host_of(*vmm).flush_tlb();
  vmm->run(20'000);
  host_of(*vmm).poke32(leaf, good);
  EXPECT_NE(check_consistency(*vmm).find("outside its region"), std::string::npos)
      << check_consistency(*vmm);
}

}  // namespace
}  // namespace trapeze::vmm::testing
