// Shared by the snapshot tests: sessions from scenario text, and what "the same
// run" means — per guest its state hash, executed count, run state, console and
// counters JSON (vmm/counters_json.h), plus the host's clock and event log.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "session/file_table.h"
#include "session/session.h"
#include "vmm/counters_json.h"

namespace trapeze::session::testing {

inline Session loaded(const std::string& json, const std::string& path = "scenarios/test.json") {
  Session s(disk_reader(TRAPEZE_SOURCE_DIR), [] { return 0.0; });
  std::string error;
  EXPECT_TRUE(s.load(json, path, &error)) << error;
  return s;
}

// Everything that must be equal after a restore, as text (a mismatch prints it).
inline std::string fingerprint(const Session& s) {
  nlohmann::ordered_json j;
  const vmm::Vmm& v = *s.vmm();
  j["host_cycles"] = v.host_cycles();
  j["events"] = v.events().total();
  j["current"] = v.current();
  for (size_t i = 0; i < v.guest_count(); ++i) {
    const vmm::Guest& g = v.guest(i);
    nlohmann::ordered_json o;
    o["strategy"] = vmm::strategy_name(g.strategy_kind());
    o["state"] = vmm::guest_state_name(g.state);
    o["reason"] = g.reason;
    o["pc"] = g.vcpu.cpu.pc;
    o["executed"] = g.executed;
    o["state_hash"] = g.state_hash();
    std::string hex;  // consoles may hold any bytes; JSON text holds UTF-8 only
    for (unsigned char c : g.console()) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
    o["console"] = hex;
    o["counters"] = vmm::counters_json(g.counters);
    j["guests"].push_back(o);
  }
  if (v.events().size()) {
    const vmm::Event& e = v.events().at(v.events().size() - 1);
    j["last_event"] = {e.host_cycle, e.guest_cycle, e.guest, int(e.kind), e.pc, e.a, e.b, e.c};
  }
  return j.dump(1);
}

// Runs every guest `cycles` host cycles (no wall-time limit: deterministic).
inline void run(Session& s, uint64_t cycles) { s.run_cycles(cycles, 1e12); }

}  // namespace trapeze::session::testing
