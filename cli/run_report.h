// What `trapeze run SCENARIO.json` and `trapeze run FILE.snap` print: each guest's
// console, state and counters side by side, or the same as JSON (keys: docs/vmm.md).
#pragma once

#include "scenario/scenario.h"
#include "vmm/vmm.h"

namespace trapeze::cli {

void print_run_json(const scenario::Scenario& s, const vmm::Vmm& v);
void print_run_text(const scenario::Scenario& s, const vmm::Vmm& v);

}  // namespace trapeze::cli
