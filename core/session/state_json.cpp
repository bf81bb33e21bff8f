#include "session/state_json.h"

#include <nlohmann/json.hpp>

#include "text/escape.h"
#include "vmm/counters_json.h"

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
    o["utilization"] = v->utilization(i);
    o["counters"] = vmm::counters_json(g.counters);
    // Where its cycles went (vmm/cycle_accounting.h); total = counters.machine.cycles.
    o["accounting"] = vmm::accounting_json(g.counters.accounting);
    j["guests"].push_back(std::move(o));
  }
  return text::json_text(j);
}

}  // namespace trapeze::session
