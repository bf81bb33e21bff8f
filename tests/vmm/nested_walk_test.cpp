// The two-dimensional walk of nested paging, as the inspection API draws it
// (vmm/inspect.h: walk_nested): every guest-physical address of the guest's walk
// goes through the VMM's table, 8 references for 2x2 levels, and nothing changes.
#include "machine/page_walker.h"
#include "vmm/inspect.h"
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

namespace pte = isa::pte;

// Hand-made tables in one host memory: the VMM's table at host 0x1000 maps guest
// frames 0..7 to host 0x10000 + frame; the guest's L1 at guest 0x3000 -> L2 at
// guest 0x2000, whose entry 16 maps VA 0x10000 to guest frame 0x5000.
struct Tables {
  machine::PhysicalMemory mem{1u << 20};
  machine::MemoryRegion host = machine::MemoryRegion::all(mem);
  static constexpr uint32_t kNested = 0x1000, kHostBase = 0x10000;
  Tables() {
    EXPECT_TRUE(mem.write32(kNested, 0x2000 | pte::P | pte::W | pte::U));  // L1[0] -> L2 at 0x2000
    for (uint32_t f = 0; f < 8; ++f)
      EXPECT_TRUE(mem.write32(0x2000 + 4 * f, (kHostBase + (f << 12)) | pte::P | pte::W | pte::U));
    guest_write(0x3000, 0x2000 | pte::P | pte::W);  // guest L1[0] -> guest L2 at 0x2000
    guest_write(0x2000 + 4 * 16,
                0x5000 | pte::P | pte::U);  // guest L2[16]: VA 0x10000 -> 0x5000, read-only
  }
  void guest_write(uint32_t gpa, uint32_t value) {
    EXPECT_TRUE(mem.write32(kHostBase + gpa, value));
  }
};

TEST(NestedWalk, TwoByTwoLevelsMakeEightReferences) {
  Tables t;
  const NestedWalk w = walk_nested(t.host, 0x3000, Tables::kNested, 0x10123);
  ASSERT_TRUE(w.ok) << w.note;
  EXPECT_EQ(w.count, 3);
  EXPECT_EQ(w.references, 8);
  // Each guest level: its entry's guest-physical address, through the VMM's table.
  EXPECT_STREQ(w.steps[0].what, "guest L1 entry");
  EXPECT_EQ(w.steps[0].gpa, 0x3000u);
  EXPECT_EQ(w.steps[0].nested.levels, 2);
  EXPECT_EQ(w.steps[0].nested.output, Tables::kHostBase + 0x3000);
  EXPECT_TRUE(w.steps[0].read_entry);
  EXPECT_EQ(w.steps[0].entry & pte::FRAME, 0x2000u);
  EXPECT_EQ(w.steps[1].gpa, 0x2000u + 4 * 16);
  EXPECT_EQ(w.steps[1].entry & pte::FRAME, 0x5000u);
  // Then the data.
  EXPECT_STREQ(w.steps[2].what, "data");
  EXPECT_EQ(w.steps[2].gpa, 0x5123u);
  EXPECT_FALSE(w.steps[2].read_entry);
  EXPECT_EQ(w.output, Tables::kHostBase + 0x5123);
  EXPECT_FALSE(w.writable) << "the guest's L2 entry has no W";
  EXPECT_FALSE(w.user) << "the guest's L1 entry has no U";
}

TEST(NestedWalk, StopsWhereEitherDimensionFails) {
  Tables t;
  // The guest's L1 entry 1 is empty: 2 nested references and the entry itself.
  const NestedWalk guest_fault = walk_nested(t.host, 0x3000, Tables::kNested, 0x400000);
  EXPECT_FALSE(guest_fault.ok);
  EXPECT_EQ(guest_fault.count, 1);
  EXPECT_EQ(guest_fault.references, 3);
  EXPECT_NE(guest_fault.note.find("guest L1 entry not present"), std::string::npos)
      << guest_fault.note;

  // The guest maps VA 0x11000 to guest frame 0x9000, which the VMM's table lacks:
  // the walk stops in the nested dimension of the data step (a VM exit).
  t.guest_write(0x2000 + 4 * 17, 0x9000 | pte::P);
  const NestedWalk vm_exit = walk_nested(t.host, 0x3000, Tables::kNested, 0x11000);
  EXPECT_FALSE(vm_exit.ok);
  EXPECT_EQ(vm_exit.count, 3);
  EXPECT_EQ(vm_exit.references, 2 + 1 + 2 + 1 + 2);
  EXPECT_FALSE(vm_exit.steps[2].nested.ok);
  EXPECT_NE(vm_exit.note.find("does not map the data"), std::string::npos) << vm_exit.note;

  // Guest paging off: one dimension only, 2 references.
  const NestedWalk off = walk_nested(t.host, 0, Tables::kNested, 0x4008);
  ASSERT_TRUE(off.ok);
  EXPECT_EQ(off.count, 1);
  EXPECT_EQ(off.references, 2);
  EXPECT_EQ(off.output, Tables::kHostBase + 0x4008);
}

// A real guest under trap-and-emulate: the two-dimensional walk through the VMM's
// physical map lands where the physical map puts the guest's own walk's result,
// and walking changes nothing.
TEST(NestedWalk, AgreesWithTheThreeTablesOfARunningGuest) {
  const assembler::Program p = assemble(R"(
        li      r3, 0x2000 | PTE_P | PTE_W
        stw     r3, 0x3000(r0)          ; L1[0] -> L2 at 0x2000
        li      r5, 0
        li      r4, 0x2000
map:    shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        stw     r3, 0(r4)               ; identity pages 0..7
        addi    r4, r4, 4
        addi    r5, r5, 1
        li      r6, 8
        blt     r5, r6, map
        li      r3, 0x8000 | PTE_P | PTE_W
        stw     r3, 0x2040(r0)          ; L2[16]: VA 0x10000 -> 0x8000
        li      r1, 0x3000
        ldptr   r1
        li      r1, 0x10000
        ldw     r5, 0(r1)
        halt
        .org 0x8000
        .word   0xAAAA0001
)");
  auto vmm = make_vmm({guest_config(p, StrategyKind::TRAP, 64u << 10),
                       guest_config(p, StrategyKind::NATIVE, 64u << 10)});
  ASSERT_TRUE(vmm && run_to_end(*vmm));
  ASSERT_EQ(vmm->guest(0).vcpu.cpu.r[5], 0xAAAA0001u);
  const GuestPlacement* place = vmm->placement(0);
  ASSERT_TRUE(place);

  const GuestCounters counters = vmm->guest(0).counters;
  uint32_t l2_before = 0, l2_after = 0;
  ASSERT_TRUE(vmm->read_guest_physical(0, 0x2040, {reinterpret_cast<uint8_t*>(&l2_before), 4}));
  const NestedWalk w = walk_nested(*vmm, 0, 0x10004);
  ASSERT_TRUE(w.ok) << w.note;
  EXPECT_EQ(w.references, 8);
  EXPECT_EQ(w.guest_root, 0x3000u);
  EXPECT_EQ(w.nested_root, place->physmap_base);
  EXPECT_EQ(w.steps[1].gpa, 0x2040u);
  EXPECT_EQ(w.steps[2].gpa, 0x8004u);
  const ThreeTables three = walk_tables(*vmm, 0, 0x10004);
  ASSERT_TRUE(three.physmap.ok);
  EXPECT_EQ(w.output, three.physmap.output) << "nested walk = physical map o guest table";
  EXPECT_EQ(w.output, place->region_base + 0x8004);

  ASSERT_TRUE(vmm->read_guest_physical(0, 0x2040, {reinterpret_cast<uint8_t*>(&l2_after), 4}));
  EXPECT_EQ(l2_after, l2_before) << "no A/D bit set by inspection";
  EXPECT_EQ(vmm->guest(0).counters, counters);

  // Under hw-nested the MMU makes this very walk: the same host address, the same
  // number of references as the machine's own walker (page_walker.h).
  auto hw = make_vmm({guest_config(p, StrategyKind::HW_NESTED, 64u << 10)});
  ASSERT_TRUE(hw && run_to_end(*hw));
  ASSERT_EQ(hw->guest(0).vcpu.cpu.r[5], 0xAAAA0001u);
  const NestedWalk hw_walk = walk_nested(*hw, 0, 0x10004);
  ASSERT_TRUE(hw_walk.ok) << hw_walk.note;
  EXPECT_EQ(hw_walk.nested_root, hw->guest(0).strategy->hardware_table());
  const machine::WalkResult mmu =
      machine::walk_nested(hw->host().region(), hw_walk.nested_root, hw_walk.guest_root, 0x10004,
                           machine::Access::Read, false, false);
  ASSERT_TRUE(mmu.ok);
  EXPECT_EQ(hw_walk.output, (mmu.pfn << 12) | 0x004);
  EXPECT_EQ(uint32_t(hw_walk.references), mmu.refs);

  // Bare metal has one dimension only.
  const NestedWalk native = walk_nested(*vmm, 1, 0x10004);
  EXPECT_FALSE(native.exists);
  EXPECT_FALSE(native.ok);
}

}  // namespace
}  // namespace trapeze::vmm::testing
