#include "vmm/strategy.h"

namespace trapeze::vmm {

std::optional<StrategyKind> parse_strategy(std::string_view name) {
  for (const StrategyInfo& s : kStrategies)
    if (s.name == name) return s.kind;
  return std::nullopt;
}

namespace {
std::string join(bool implemented_only) {
  std::string out;
  for (const StrategyInfo& s : kStrategies) {
    if (implemented_only && !s.implemented) continue;
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}
}  // namespace

std::string strategy_names() { return join(false); }
std::string implemented_strategy_names() { return join(true); }

}  // namespace trapeze::vmm
