// Trap-and-emulate (the lecture's first VMM): the guest — its kernel and its user
// programs alike — runs on the host CPU in real user mode, and the VMM intercepts
// every trap. The strategy is a DeprivilegedRun (deprivileged_run.h, with the
// table of what the VMM does with each trap) and nothing else.
//
// The three sensitive-but-unprivileged instructions (rdpsw, wrpsw, sptr) do not trap
// and act on the real PSW and PTR: the guest kernel reads U = 1, its wrpsw cannot
// clear IE, its sptr sees the shadow root — as its place in the guest's own VMM
// area, seen through the host's root window (kRootWindow + its offset from the
// guest's physical map), so it shows that the table is the VMM's, never where the
// guest or its neighbours sit in host memory. That is the documented failure of pure
// trap-and-emulate on this ISA (Popek & Goldberg 1974); the simulator counts those
// executions and the event log explains each one, though the VMM itself never sees them.
//
// Time: the guest's virtual clock advances by the host's architectural cycles while
// it runs, by the native cost of each emulated instruction, and by TRAP_ENTRY for
// each reflected trap — never by VMM overhead — and its timer and devices run on it,
// so interrupts land on the same instructions as on bare metal.
#pragma once

#include "vmm/deprivileged_strategy.h"

namespace trapeze::vmm {

class TrapAndEmulate final : public DeprivilegedStrategy {
 public:
  TrapAndEmulate(Host& host, Guest& guest, const GuestPlacement& place)
      : DeprivilegedStrategy(host, guest, place, /*intercept_hypercalls=*/false) {}
  StrategyKind kind() const override { return StrategyKind::TRAP; }
};

}  // namespace trapeze::vmm
