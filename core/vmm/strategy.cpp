#include "vmm/strategy.h"

namespace trapeze::vmm {

std::optional<StrategyKind> parse_strategy(std::string_view name) {
  for (const StrategyInfo& s : kStrategies)
    if (s.name == name) return s.kind;
  return std::nullopt;
}

std::string strategy_names() {
  std::string out;
  for (const StrategyInfo& s : kStrategies) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

}  // namespace trapeze::vmm
