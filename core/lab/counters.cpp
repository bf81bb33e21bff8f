#include "lab/counters.h"

#include "lab/lab.h"
#include "vmm/counters_json.h"

namespace trapeze::lab {

namespace {

// Every number in `j`, keyed by its dotted path below `prefix`.
template <typename F>
void flatten(const nlohmann::ordered_json& j, const std::string& prefix, F&& add) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string key = prefix + it.key();
    if (it->is_object()) flatten(*it, key + ".", add);
    else if (it->is_number()) add(key, it->get<double>());
  }
}

template <typename F>
void each_counter(const vmm::GuestCounters& c, F&& add) {
  flatten(vmm::counters_json(c), "", add);
  flatten(vmm::accounting_json(c.accounting), "accounting.", add);
}

}  // namespace

std::map<std::string, double> counter_values(const vmm::GuestCounters& c) {
  std::map<std::string, double> r;
  each_counter(c, [&](const std::string& k, double v) { r[k] = v; });
  return r;
}

const std::vector<std::string>& counter_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> r;
    each_counter(vmm::GuestCounters{}, [&](const std::string& k, double) { r.push_back(k); });
    return r;
  }();
  return names;
}

}  // namespace trapeze::lab
