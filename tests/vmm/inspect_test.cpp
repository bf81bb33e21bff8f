// The inspection API the frontend's panels read through (vmm/inspect.h): the TLB
// that serves a guest, its addresses translated and its memory read, the same
// under every strategy, without naming a strategy class.
#include "vmm/inspect.h"

#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

// Kernel identity-mapped (pages 0..7, L2 at 0x2000, L1 at 0x3000); VA 0x10000 maps
// frame 0x9000 and VA 0x11000 frame 0x8000 (neighbours in virtual memory, not in
// physical). It reads across the boundary, then halts.
constexpr const char* kSwapped = R"(
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
        li      r3, 0x9000 | PTE_P | PTE_W
        stw     r3, 0x2040(r0)          ; L2[16]: VA 0x10000 -> frame 0x9000
        li      r3, 0x8000 | PTE_P | PTE_W
        stw     r3, 0x2044(r0)          ; L2[17]: VA 0x11000 -> frame 0x8000
        li      r1, 0x3000
        ldptr   r1
        tlbflush
        li      r1, 0x10000
        ldw     r5, 0xFFC(r1)           ; the last word of VA page 0x10
        li      r1, 0x11000
        ldw     r6, 0(r1)               ; the first word of VA page 0x11
        halt
        .org 0x8000
        .word   0xAAAA0001
        .org 0x9FFC
        .word   0x44332211
)";

uint32_t host_frame(const Vmm& vmm, size_t guest, uint32_t gpa) {
  return (vmm.placement(guest)->region_base + gpa) >> 12;
}

TEST(Inspect, TranslatesAndReadsGuestVirtualMemoryUnderEveryStrategy) {
  for (const StrategyInfo& info : kStrategies) {
    SCOPED_TRACE(std::string(info.name));
    const assembler::Program p = assemble(kSwapped, defines_for(info.kind));
    auto vmm = make_vmm({guest_config(p, info.kind, 64u << 10)});
    ASSERT_TRUE(vmm && run_to_end(*vmm)) << dump_events(*vmm);
    ASSERT_EQ(vmm->guest(0).vcpu.cpu.r[6], 0xAAAA0001u);

    EXPECT_EQ(guest_physical(*vmm, 0, 0x10FFC), 0x9FFCu);
    EXPECT_EQ(guest_physical(*vmm, 0, 0x11000), 0x8000u);
    EXPECT_EQ(guest_physical(*vmm, 0, 0x1000), 0x1000u) << "identity-mapped kernel page";
    EXPECT_EQ(guest_physical(*vmm, 0, 0x12000), std::nullopt) << "L2[18] not present";

    EXPECT_EQ(read_guest_word(*vmm, 0, 0x10FFC, true), 0x44332211u);
    EXPECT_EQ(read_guest_word(*vmm, 0, 0x9FFC, false), 0x44332211u);
    // Across the page boundary: 33 44 from frame 0x9000's end, 01 00 from frame 0x8000.
    EXPECT_EQ(read_guest_word(*vmm, 0, 0x10FFE, true), 0x00014433u);
    // The same bytes guest-physically run on into frame 0xA000 (zeros).
    EXPECT_EQ(read_guest_word(*vmm, 0, 0x9FFE, false), 0x00004433u);
    EXPECT_EQ(read_guest_word(*vmm, 0, 0x11FFE, true), std::nullopt) << "runs into an unmapped page";
    EXPECT_EQ(read_guest_word(*vmm, 0, (64u << 10) - 2, false), std::nullopt) << "past its memory";
  }
}

TEST(Inspect, TheTlbThatServesEachGuestWithItsOwners) {
  for (const StrategyInfo& info : kStrategies) {
    if (info.kind == StrategyKind::NATIVE) continue;
    SCOPED_TRACE(std::string(info.name));
    const assembler::Program p = assemble(kSwapped, defines_for(info.kind));
    const assembler::Program trap = assemble(kSwapped);
    auto vmm = make_vmm({guest_config(p, StrategyKind::NATIVE, 64u << 10, "bare"),
                         guest_config(trap, StrategyKind::TRAP, 64u << 10, "trap"),
                         guest_config(p, info.kind, 64u << 10, "x")});
    ASSERT_TRUE(vmm && run_to_end(*vmm)) << dump_events(*vmm);

    // Bare metal: its own machine's TLB, every entry its own, VA page 0x10 -> frame 9.
    const TlbContents own = tlb_contents(*vmm, 0);
    EXPECT_TRUE(own.own_machine);
    EXPECT_EQ(own.capacity, vmm->host().tlb_entries().size()) << "the VMM's TLB configuration";
    bool page10 = false;
    for (const TlbRow& r : own.valid) {
      EXPECT_EQ(r.owner, 0);
      EXPECT_TRUE(r.entry.valid);
      if (r.entry.vpn == 0x10) {
        page10 = true;
        EXPECT_EQ(r.entry.pfn, 0x9u);
      }
    }
    EXPECT_TRUE(page10);

    // The virtualized guests: the host's TLB, each entry owned by the guest whose tags it has.
    const TlbContents host = tlb_contents(*vmm, 2);
    EXPECT_FALSE(host.own_machine);
    EXPECT_EQ(tlb_contents(*vmm, 1).valid.size(), host.valid.size()) << "one TLB, shared";
    size_t valid = 0;
    for (const machine::TlbEntry& e : vmm->host().tlb_entries()) valid += e.valid;
    EXPECT_EQ(host.valid.size(), valid);
    bool trap_page = false, x_page = false;
    for (const TlbRow& r : host.valid) {
      EXPECT_EQ(vmm->host().tlb_entries()[r.slot], r.entry);
      ASSERT_TRUE(r.owner == 1 || r.owner == 2) << "tag " << r.entry.tag;
      const GuestPlacement& place = *vmm->placement(size_t(r.owner));
      EXPECT_GE(r.entry.tag, place.tag_base);
      EXPECT_LT(r.entry.tag, place.tag_base + kTagsPerGuest);
      if (r.entry.vpn == 0x11 && r.entry.pfn == host_frame(*vmm, size_t(r.owner), 0x8000))
        (r.owner == 1 ? trap_page : x_page) = true;
    }
    EXPECT_TRUE(trap_page) << "the trap guest's last read, VA 0x11000, in its own frame";
    EXPECT_TRUE(x_page) << "the other guest's, in its own frame";
  }
}

}  // namespace
}  // namespace trapeze::vmm::testing
