// A guest's cycle accounting (vmm/cycle_accounting.h) drawn as one stacked bar:
// its own instructions, transitions into and out of the VMM, and the VMM's work,
// three colours with a legend, the numbers beside and on hover. The compare view
// and the counters panel share it.
#pragma once

#include <cstdint>
#include <string>

#include "vmm/vmm_counters.h"

namespace trapeze::ui {

// The three colours with their names, on one line.
void draw_accounting_legend();

// One bar: `length` (0..1) of the available width (less `beside_width`, kept for
// `beside`, drawn after the bar) filled, split in proportion to the accounts. On
// hover: each account's cycles, share, and cycles per instruction.
void draw_accounting_bar(const char* id, const vmm::GuestCounters& c, float length,
                         const std::string& beside, float beside_width);

// Cycles per instruction over the guest's whole run (0 before its first instruction).
double cycles_per_instruction(const vmm::GuestCounters& c);

}  // namespace trapeze::ui
