// The one place a strategy is constructed from its kind: when the VMM builds a
// guest, when it reloads one, and when it switches one to another strategy.
#pragma once

#include <memory>

#include "vmm/guest.h"
#include "vmm/host.h"
#include "vmm/strategy.h"

namespace trapeze::vmm {

struct VmmSettings;

// A strategy of kind `kind` for `guest`, taking over the guest as it is now (its
// Guest state complete, its memory in its home region `place` of host memory).
// nullptr if `kind` is not implemented.
std::unique_ptr<Strategy> make_strategy(StrategyKind kind, Host& host, Guest& guest,
                                        const GuestPlacement& place, const VmmSettings& config);

}  // namespace trapeze::vmm
