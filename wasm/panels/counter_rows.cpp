#include "counter_rows.h"

#include <vector>

namespace trapeze::ui {

std::span<const CounterRow> counter_rows() {
  static const std::vector<CounterRow> rows = [] {
    std::vector<CounterRow> r;
    for (const auto& info : machine::kCounterInfo)
      r.push_back({info.name, info.doc, info.field, nullptr});
    for (const auto& info : vmm::kVmmCounterInfo)
      r.push_back({info.name, info.doc, nullptr, info.field});
    return r;
  }();
  return rows;
}

}  // namespace trapeze::ui
