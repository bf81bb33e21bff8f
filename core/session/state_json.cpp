#include "session/state_json.h"
#include "text/escape.h"

#include <nlohmann/json.hpp>

namespace trapeze::session {

std::string state_json(const Session& s) {
  nlohmann::ordered_json j;
  const vmm::Vmm* v = s.vmm();
  j["hostCycles"] = v ? v->host_cycles() : 0;
  j["guests"] = nlohmann::ordered_json::array();
  for (size_t i = 0; v && i < s.guest_count(); ++i) {
    const vmm::Guest& g = v->guest(i);
    nlohmann::ordered_json o;
    o["name"] = g.config.name;
    o["strategy"] = vmm::strategy_name(g.strategy_kind());
    const SessionGuest& sg = s.guest(i);
    o["state"] = sg.has_image() ? std::string(vmm::guest_state_name(g.state)) : "no image";
    o["pc"] = g.vcpu.cpu.pc;
    o["running"] = sg.running;
    // Of its last assembly (or of loading it), as "FILE:LINE:COL: message".
    o["errors"] = nlohmann::ordered_json::array();
    for (const GuestDiagnostic& d : sg.errors) o["errors"].push_back(d.format());
    nlohmann::ordered_json c;
    for (const auto& info : machine::kCounterInfo) c[info.name] = g.counters.machine.*info.field;
    for (const auto& info : vmm::kVmmCounterInfo) c[info.name] = g.counters.vmm.*info.field;
    uint64_t traps = 0;
    for (uint64_t n : g.counters.machine.traps) traps += n;
    c["instructions"] = g.counters.machine.instructions();
    c["traps"] = traps;
    c["utilization"] = v->utilization(i);
    o["counters"] = std::move(c);
    // Where its cycles went (vmm/cycle_accounting.h); total = counters.cycles.
    nlohmann::ordered_json a;
    for (const auto& info : vmm::kCycleAccountInfo) a[info.name] = g.counters.accounting.*info.field;
    a["total"] = g.counters.accounting.total();
    o["accounting"] = std::move(a);
    j["guests"].push_back(std::move(o));
  }
  return text::json_text(j);
}

}  // namespace trapeze::session
