// Para-virtualization (Xen, Barham et al., SOSP 2003): the guest kernel is built
// with -D PV=1 (guests/lib/arch.inc), so it asks the VMM with `hypercall N`
// instead of running sensitive instructions. It runs deprivileged exactly as under
// trap-and-emulate (it holds a DeprivilegedRun — shadow paging, reflection,
// emulation of whatever privileged instruction it still runs — with HYPERCALL
// intercepted and implemented on the virtual CPU), so the U/K-bit problem is gone:
// a PV kernel reads its PSW with HC_GET_PSW and sees its own U/K and IE, and its
// page-table register with the privileged `rdptr` (trapped and emulated: what
// `sptr` reads in kernel mode) where a bare kernel may use `sptr`
// (guests/lib/arch.inc, ARCH_GET_PTR).
//
// The ABI (core/isa/hypercalls.h): number in the immediate, arguments r1..r4,
// result in r1. Only CONSOLE_WRITE, GET_PSW, MMU_UPDATE and an unknown number write
// r1; every other register (and r1 for the other calls) is preserved. A hypercall
// from the guest's *user* mode is not one: it is reflected as ILLEGAL (what bare
// hardware does). docs/vmm.md, "Para-virtualization", has the table:
//
//   CONSOLE_WRITE  r1 = va, r2 = length: bytes read through the guest's page tables
//                  (kernel permissions, no A/D bits set); r1 = bytes written
//                  (stops at the first unmapped byte; at most 1 MiB)
//   GET_PSW        r1 = virtual PSW (U, IE, FLAGS)
//   SET_PSW        virtual PSW = r1 & (U | IE | FLAGS)
//   SET_PTR        virtual PTR = r1 & FRAME (0: paging off), TLB flushed
//   MMU_UPDATE     r1 = va of r2 pairs {guest-physical PTE address, value}.
//                  ALL OR NOTHING: the whole batch is read and validated first
//                  (r2 <= kMaxMmuBatch, every pair readable, every address 4-byte
//                  aligned and inside guest memory); an invalid batch changes
//                  nothing and returns kHcInvalid (0xFFFFFFFE). A valid one writes
//                  each value into guest memory and applies it to the shadow (drops
//                  what was built from that word) with no write-protect trap;
//                  r1 = 0. Like a store, it does not flush the TLB: the guest
//                  follows with HC_TLB_FLUSH, as arch.inc's commit does.
//   SET_TVEC       virtual TVEC = r1 & ~3
//   IRET           pc = virtual EPC, PSW = virtual EPSW (a misaligned EPC faults
//                  at the hypercall as MISALIGNED, as `rti` does)
//   SET_TIMER      timer period = r1 (0 stops it)
//   TLB_FLUSH      r1 = va: that page; r1 = 0xFFFFFFFF: everything
//   IO_KICK        the guest's para-virtual ring is kicked (exactly an
//                  `out PORT_RING_KICK` on its virtual devices, minus the port
//                  access: the batch completes on its virtual clock with one
//                  DEVICE interrupt)
//   YIELD          ends this quantum (the guest stays ready)
//   HALT           the guest halts
//   anything else  r1 = kHcUnknown (0xFFFFFFFF), nothing else changes
//
// Time: a hypercall retires as one instruction of its class, INSN_SYSTEM, on the
// guest's virtual clock (it has no bare-hardware equivalent; that is the
// definition), plus whatever the operation does to the devices (IO_KICK). The VMM's
// work costs HYPERCALL (+ MMU_UPDATE_ENTRY per batched entry, + SHADOW_UPDATE per
// shadow entry dropped), charged to the guest, never to its virtual clock.
#pragma once

#include "vmm/deprivileged_strategy.h"

namespace trapeze::vmm {

inline constexpr uint32_t kHcUnknown = 0xFFFFFFFFu;  // r1 after an unknown number
inline constexpr uint32_t kHcInvalid = 0xFFFFFFFEu;  // r1 after an invalid argument
inline constexpr uint32_t kMaxMmuBatch = 1024;       // pairs per HC_MMU_UPDATE

class ParaVirtual final : public DeprivilegedStrategy {
 public:
  ParaVirtual(Host& host, Guest& guest, const GuestPlacement& place)
      : DeprivilegedStrategy(host, guest, place, /*intercept_hypercalls=*/true),
        e_(run_.engine()) {}

  StrategyKind kind() const override { return StrategyKind::PV; }

 private:
  Flow hypercall(DeprivilegedRun& run, const machine::TrapEvent& t) override;
  void mmu_update(uint32_t va, uint32_t count, uint32_t& result);
  // Guest-virtual -> guest-physical through the guest's own tables (no side effects).
  bool guest_physical(uint32_t va, uint32_t& gpa) const;
  bool read_virtual32(uint32_t va, uint32_t& value) const;
  // HC_CONSOLE_WRITE's copy: the bytes written.
  uint32_t console_write(uint32_t va, uint32_t length);

  GuestEngine& e_;
};

}  // namespace trapeze::vmm
