// Every counter of a guest as one list of rows (name, meaning, value), derived
// from the machine's and the VMM's counter tables and the cycle accounting, for
// the counters table and the compare view.
#pragma once

#include <cstdint>
#include <span>

#include "vmm/vmm_counters.h"

namespace trapeze::ui {

struct CounterRow {
  const char* name;
  const char* doc;
  uint64_t machine::Counters::*machine_field;
  uint64_t vmm::VmmCounters::*vmm_field;
  uint64_t vmm::CycleAccounting::*account_field = nullptr;  // accounting.guest, ...
  uint64_t value(const vmm::GuestCounters& c) const {
    if (account_field) return c.accounting.*account_field;
    return machine_field ? c.machine.*machine_field : c.vmm.*vmm_field;
  }
};

std::span<const CounterRow> counter_rows();

}  // namespace trapeze::ui
