#include "counter_rows.h"

#include <string>
#include <vector>

namespace trapeze::ui {

std::span<const CounterRow> counter_rows() {
  static const std::vector<CounterRow> rows = [] {
    std::vector<CounterRow> r;
    // The accounting right after `cycles`, which it splits; named as in `trapeze
    // run`'s text table.
    static const std::vector<std::string> names = [] {
      std::vector<std::string> n;
      for (const auto& info : vmm::kCycleAccountInfo) n.push_back("accounting." + std::string(info.name));
      return n;
    }();
    for (const auto& info : machine::kCounterInfo) {
      r.push_back({info.name, info.doc, info.field, nullptr});
      if (info.field != &machine::Counters::cycles) continue;
      for (size_t k = 0; k < std::size(vmm::kCycleAccountInfo); ++k)
        r.push_back({names[k].c_str(), vmm::kCycleAccountInfo[k].doc, nullptr, nullptr,
                     vmm::kCycleAccountInfo[k].field});
    }
    for (const auto& info : vmm::kVmmCounterInfo)
      r.push_back({info.name, info.doc, nullptr, info.field});
    return r;
  }();
  return rows;
}

}  // namespace trapeze::ui
