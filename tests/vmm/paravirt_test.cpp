// The para-virtual strategy (core/vmm/paravirt.h): every hypercall of
// core/isa/hypercalls.h on the virtual CPU, MMU_UPDATE batches applied to the
// shadow without write-protect traps (and all-or-nothing when invalid), unknown
// numbers, hypercalls from the guest's user mode, and the U/K-bit guest fixed.
#include "vmm/paravirt.h"

#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

struct PvRun {
  std::unique_ptr<Vmm> vmm;
  const Guest& g() const { return vmm->guest(0); }
  uint32_t r(int i) const { return g().vcpu.cpu.r[i]; }
};

PvRun run_pv(const std::string& source, std::map<std::string, int64_t> defines = {}) {
  PvRun run;
  run.vmm =
      make_vmm({guest_config(assemble(source, std::move(defines)), StrategyKind::PV, 64u << 10)});
  EXPECT_TRUE(run.vmm && run_to_end(*run.vmm)) << (run.vmm ? dump_events(*run.vmm) : "");
  EXPECT_EQ(run.g().state, GuestState::Halted) << run.g().reason << dump_events(*run.vmm);
  return run;
}

TEST(ParaVirtual, ConsolePswTvecYieldUnknownHalt) {
  const PvRun run = run_pv(R"(
        la      r1, msg
        li      r2, 6
        hypercall HC_CONSOLE_WRITE
        mov     r10, r1                 ; bytes written
        hypercall HC_GET_PSW
        mov     r11, r1                 ; kernel mode, interrupts off
        li      r1, PSW_IE
        hypercall HC_SET_PSW
        hypercall HC_GET_PSW
        mov     r12, r1                 ; IE now set, still kernel
        li      r1, 0
        hypercall HC_SET_PSW
        la      r1, handler
        hypercall HC_SET_TVEC
        hypercall HC_YIELD
        li      r1, 7
        hypercall 99                    ; not in the table
        mov     r13, r1
        hypercall HC_HALT
handler: halt
msg:    .ascii  "hello\n"
)");
  EXPECT_EQ(run.g().console(), "hello\n");
  EXPECT_EQ(run.r(10), 6u);
  EXPECT_EQ(run.r(11) & (isa::psw::U | isa::psw::IE), 0u) << "the PV kernel sees kernel mode";
  EXPECT_EQ(run.r(12) & (isa::psw::U | isa::psw::IE), isa::psw::IE);
  EXPECT_EQ(run.r(13), kHcUnknown);
  EXPECT_NE(run.g().vcpu.cpu.tvec, 0u);
  const VmmCounters& c = run.g().counters.vmm;
  EXPECT_EQ(c.hc_console_write, 1u);
  EXPECT_EQ(c.hc_get_psw, 2u);
  EXPECT_EQ(c.hc_set_psw, 2u);
  EXPECT_EQ(c.hc_set_tvec, 1u);
  EXPECT_EQ(c.hc_yield, 1u);
  EXPECT_EQ(c.hc_unknown, 1u);
  EXPECT_EQ(c.hc_halt, 1u);
  EXPECT_EQ(c.hypercalls, 9u);
  EXPECT_EQ(c.emulated, 0u);
  EXPECT_EQ(run.g().counters.machine.port_out, 0u) << "the console write used no port";
  // Each hypercall retires as one kernel instruction (12 others: `la` is two).
  EXPECT_EQ(run.g().counters.machine.instructions_kernel, 9u + 12u);
}

TEST(ParaVirtual, TimerInterruptAndIret) {
  const PvRun run = run_pv(R"(
        la      r1, handler
        hypercall HC_SET_TVEC
        li      r1, 500
        hypercall HC_SET_TIMER
        li      r1, PSW_IE
        hypercall HC_SET_PSW
wait:   beqz    r9, wait
        hypercall HC_GET_PSW
        mov     r11, r1                 ; IE back on after the IRET
        hypercall HC_HALT
handler:
        li      r9, 1
        mfcr    r10, epc
        li      r1, 0
        hypercall HC_SET_TIMER
        li      r1, 0x1234              ; IRET leaves r1 alone
        hypercall HC_IRET
)");
  EXPECT_EQ(run.r(9), 1u);
  EXPECT_EQ(run.r(11) & isa::psw::IE, isa::psw::IE);
  const VmmCounters& c = run.g().counters.vmm;
  EXPECT_EQ(c.virtual_interrupts, 1u);
  EXPECT_EQ(c.hc_iret, 1u);
  EXPECT_EQ(c.hc_set_timer, 2u);
  EXPECT_EQ(run.g().vcpu.cpu.timer_period, 0u);
}

// Kernel identity-mapped (pages 0..7: L2 at 0x2000, L1 at 0x3000); VA 0x10000 +
// i * 0x1000 maps frame 0x8000 + i * 0x1000 (i < 4), each holding a marker. The
// batch at 0x4000 remaps each to frame 0xC000 + i * 0x1000.
constexpr const char* kBatch = R"(
        li      r3, 0x2000 | PTE_P | PTE_W
        stw     r3, 0x3000(r0)
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
        stw     r3, 0x2040(r0)
        li      r3, 0x9000 | PTE_P | PTE_W
        stw     r3, 0x2044(r0)
        li      r3, 0xA000 | PTE_P | PTE_W
        stw     r3, 0x2048(r0)
        li      r3, 0xB000 | PTE_P | PTE_W
        stw     r3, 0x204C(r0)
        li      r1, 0x3000
        hypercall HC_SET_PTR
        li      r1, 0x10000
        ldw     r5, 0(r1)               ; every old mapping in the shadow
        ldw     r5, 0x1000(r1)
        ldw     r5, 0x2000(r1)
        ldw     r5, 0x3000(r1)
        li      r1, BATCH
        li      r2, ENTRIES
        hypercall HC_MMU_UPDATE
        mov     r7, r1                 ; 0: applied
.ifdef REREAD
        li      r1, -1
        hypercall HC_TLB_FLUSH
        li      r1, 0x10000
        ldw     r8, 0(r1)
        ldw     r9, 0x1000(r1)
        ldw     r10, 0x2000(r1)
        ldw     r11, 0x3000(r1)
.endif
        hypercall HC_HALT
        .org 0x4000
.equ BATCH, 0x4000
        .word   0x2040, 0xC000 | PTE_P | PTE_W
        .word   0x2044, 0xD000 | PTE_P | PTE_W
        .word   0x2048, 0xE000 | PTE_P | PTE_W
        .word   BAD_PTE, 0xF000 | PTE_P | PTE_W
        .org 0x8000
        .word   0xA0
        .org 0x9000
        .word   0xA1
        .org 0xA000
        .word   0xA2
        .org 0xB000
        .word   0xA3
        .org 0xC000
        .word   0xB0
        .org 0xD000
        .word   0xB1
        .org 0xE000
        .word   0xB2
        .org 0xF000
        .word   0xB3
)";

TEST(ParaVirtual, MmuUpdateBatchReachesTheShadowWithoutWriteProtectTraps) {
  const PvRun run = run_pv(kBatch, {{"REREAD", 1}, {"ENTRIES", 4}, {"BAD_PTE", 0x204C}});
  EXPECT_EQ(run.r(7), 0u);
  EXPECT_EQ(run.r(8), 0xB0u);
  EXPECT_EQ(run.r(9), 0xB1u);
  EXPECT_EQ(run.r(10), 0xB2u);
  EXPECT_EQ(run.r(11), 0xB3u);
  const VmmCounters& c = run.g().counters.vmm;
  EXPECT_EQ(c.hc_mmu_update, 1u);
  EXPECT_EQ(c.mmu_update_entries, 4u);
  EXPECT_EQ(c.write_protect_traps, 0u);
  EXPECT_EQ(c.hc_tlb_flush, 1u);
  EXPECT_EQ(c.hc_set_ptr, 1u);
}

// n entries in one hypercall: exactly n shadow updates (one shadow entry each,
// the kernel view's), no write-protect trap.
TEST(ParaVirtual, NEntriesGiveNShadowUpdates) {
  for (int64_t n : {1, 2, 3, 4}) {
    const PvRun with = run_pv(kBatch, {{"ENTRIES", n}, {"BAD_PTE", 0x204C}});
    const PvRun without = run_pv(kBatch, {{"ENTRIES", 0}, {"BAD_PTE", 0x204C}});
    EXPECT_EQ(with.r(7), 0u);
    EXPECT_EQ(with.g().counters.vmm.shadow_updates - without.g().counters.vmm.shadow_updates,
              uint64_t(n))
        << n;
    EXPECT_EQ(with.g().counters.vmm.write_protect_traps, 0u);
    EXPECT_EQ(with.g().counters.vmm.mmu_update_entries, uint64_t(n));
  }
}

// An invalid batch changes nothing (all or nothing) and returns kHcInvalid.
TEST(ParaVirtual, InvalidMmuUpdateBatchChangesNothing) {
  for (int64_t bad : {0x204E, 0x10000, 0x7FFFFFFC}) {  // misaligned, past memory, far away
    const PvRun run = run_pv(kBatch, {{"REREAD", 1}, {"ENTRIES", 4}, {"BAD_PTE", bad}});
    EXPECT_EQ(run.r(7), kHcInvalid) << bad;
    EXPECT_EQ(run.r(8), 0xA0u) << "the valid entries before the bad one were not applied";
    EXPECT_EQ(run.r(9), 0xA1u);
    EXPECT_EQ(run.r(10), 0xA2u);
    EXPECT_EQ(run.r(11), 0xA3u);
    EXPECT_EQ(run.g().counters.vmm.hc_errors, 1u);
    EXPECT_EQ(run.g().counters.vmm.mmu_update_entries, 0u);
  }
  const PvRun huge = run_pv(kBatch, {{"ENTRIES", kMaxMmuBatch + 1}, {"BAD_PTE", 0x204C}});
  EXPECT_EQ(huge.r(7), kHcInvalid);
}

TEST(ParaVirtual, TlbFlushOfOnePage) {
  const PvRun one = run_pv(R"(
        li      r1, 0x10000
        hypercall HC_TLB_FLUSH
        li      r1, -1
        hypercall HC_TLB_FLUSH
        hypercall HC_HALT
)");
  EXPECT_EQ(one.g().counters.vmm.hc_tlb_flush, 2u);
  EXPECT_EQ(one.g().counters.machine.tlb_invlpgs, 1u);
  EXPECT_EQ(one.g().counters.machine.tlb_flushes, 1u);
}

// From the guest's user mode a hypercall is not one: ILLEGAL, as on bare hardware.
TEST(ParaVirtual, HypercallFromGuestUserModeIsIllegal) {
  const PvRun run = run_pv(R"(
        la      r1, handler
        hypercall HC_SET_TVEC
        li      r1, PSW_U
        hypercall HC_SET_PSW            ; now in its user mode
        hypercall HC_GET_PSW
        li      r8, 1                   ; not reached
handler:
        mfcr    r9, cause
        hypercall HC_HALT
)");
  EXPECT_EQ(run.r(9) & 0xFF, uint32_t(isa::Cause::ILLEGAL));
  EXPECT_EQ(run.r(8), 0u);
  EXPECT_EQ(run.g().counters.vmm.hc_get_psw, 0u);
  EXPECT_EQ(run.g().counters.vmm.reflected_by_cause[size_t(isa::Cause::ILLEGAL)], 1u);
}

TEST(ParaVirtual, IoKickDrivesTheGuestsRing) {
  auto vmm = make_vmm({guest_config(assemble_file("guests/io-driver/io-driver.s", {{"PV", 1}}),
                                    StrategyKind::PV, 1u << 20)});
  ASSERT_TRUE(vmm && run_to_end(*vmm, 10'000'000));
  const Guest& g = vmm->guest(0);
  EXPECT_EQ(g.state, GuestState::Halted) << g.reason;
  EXPECT_EQ(g.counters.vmm.hc_io_kick, 3u);
  EXPECT_EQ(g.counters.machine.ring_batches, 3u);
  EXPECT_EQ(g.counters.machine.ring_requests, 7u);
}

// The U/K-bit problem, fixed: mode-check's PV build asks for its PSW.
TEST(ParaVirtual, ModeCheckSeesKernelModeAndKeepsInterruptsOff) {
  auto vmm = make_vmm({guest_config(assemble_file("guests/mode-check/mode-check.s", {{"PV", 1}}),
                                    StrategyKind::PV, 64u << 10)});
  ASSERT_TRUE(vmm && run_to_end(*vmm));
  const Guest& g = vmm->guest(0);
  EXPECT_EQ(g.state, GuestState::Halted) << g.reason;
  EXPECT_NE(g.console().find("running in kernel mode"), std::string::npos) << g.console();
  EXPECT_NE(g.console().find("interrupts stayed off"), std::string::npos) << g.console();
  EXPECT_EQ(g.counters.vmm.sensitive_unprivileged, 0u);
  EXPECT_GT(g.counters.vmm.hc_get_psw, 0u);
}

}  // namespace
}  // namespace trapeze::vmm::testing
