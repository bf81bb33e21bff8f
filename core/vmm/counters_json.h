// Counters and cycle accounting as JSON, keyed by the counters' own names: THE one
// counters shape. `trapeze run SCENARIO.json --json` prints it per guest and for
// the totals, `trapeze run FILE.s --json` for the bare machine (its VMM half all
// zero, as for a native guest), the session's state_json() (the JavaScript API's
// state()) per guest, and a lab's checks name its fields ("vmm.emulated",
// "machine.traps.PRIV_INSN", "accounting.vmm"). Documented in docs/vmm.md and
// docs/js-api.md.
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
