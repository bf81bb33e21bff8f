// A guest's counters and cycle accounting as JSON, keyed by the counters' own
// names: what `trapeze run SCENARIO.json --json` prints per guest, and the names
// a lab's checks use ("vmm.emulated", "machine.traps.PRIV_INSN", "accounting.vmm").
#pragma once

#include <nlohmann/json.hpp>

#include "vmm/cycle_accounting.h"
#include "vmm/vmm_counters.h"

namespace trapeze::vmm {

// {"machine": {...scalars, "traps": {...}, "vm_exits_by_reason": {...}},
//  "vmm": {...scalars, "emulated_by_op": {...}, "bt_callouts_by_op": {...},
//          "reflected_by_cause": {...}}}
nlohmann::ordered_json counters_json(const GuestCounters& c);
// Where its cycles went: guest, transitions, vmm and their total.
nlohmann::ordered_json accounting_json(const CycleAccounting& a);

}  // namespace trapeze::vmm
