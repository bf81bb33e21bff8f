// A guest's counters by the names labs use: `trapeze run --json`'s per-guest
// "counters" flattened with dots ("vmm.emulated", "machine.traps.PRIV_INSN") and
// its "accounting" as "accounting.PART". One source: vmm/counters_json.h.
#pragma once

#include <map>
#include <string>

#include "vmm/vmm_counters.h"

namespace trapeze::lab {

std::map<std::string, double> counter_values(const vmm::GuestCounters& c);

}  // namespace trapeze::lab
