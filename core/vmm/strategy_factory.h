// The one place a strategy is constructed from its kind: when the VMM builds a
// guest, when it reloads one, and when it switches one to another strategy.
#pragma once

#include <memory>

#include "vmm/guest.h"
#include "vmm/host.h"
#include "vmm/strategy.h"

namespace trapeze::vmm {

// A strategy of kind `kind` for `guest`, taking over the guest as it is now (its
// Guest state complete, its memory in its home region `place` of host memory).
// `tlb` and `cost`: the VMM's, for a bare-metal guest's own machine. (It takes
// them, not the VmmConfig, so that this file and vmm.cpp do not include each other.)
std::unique_ptr<Strategy> make_strategy(StrategyKind kind, Host& host, Guest& guest,
                                        const GuestPlacement& place, const machine::TlbConfig& tlb,
                                        const machine::CostModel& cost);

}  // namespace trapeze::vmm
