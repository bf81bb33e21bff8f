// Running the guest kernels of guests/ in tests: assemble a guest (with -D
// defines), load it the way `trapeze run` does, run it on the bare machine, or
// run its para-virtual build under the VMM's para-virtual strategy (`pv`).
#pragma once

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "asm/assembler.h"
#include "isa/hypercalls.h"
#include "isa/ports.h"
#include "machine/machine.h"
#include "vmm/vmm.h"

namespace trapeze::guests_test {

using Defines = std::map<std::string, int64_t>;

inline std::string source_dir() { return TRAPEZE_SOURCE_DIR; }

inline std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Assembles guests/<rel_path> as `trapeze run` does: .include paths are relative
// to the including file.
inline assembler::Result assemble_guest(const std::string& rel_path, const Defines& defines = {}) {
  const std::string path = source_dir() + "/guests/" + rel_path;
  assembler::Options options;
  options.file_name = "guests/" + rel_path;
  options.defines = defines;
  // Included names arrive relative to the including file ("guests/lib/...").
  options.include = [](const std::string& p) {
    return read_text(!p.empty() && p[0] == '/' ? p : source_dir() + "/" + p);
  };
  const auto text = read_text(path);
  if (!text) {
    assembler::Result r;
    r.errors.push_back({options.file_name, 0, 0, "cannot read " + path});
    return r;
  }
  return assembler::assemble(*text, options);
}

inline std::string format_errors(const assembler::Result& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.format() + "\n";
  return s;
}

// Pokes every segment and sets pc to the entry, as `trapeze run` does.
inline bool load(machine::Machine& m, const assembler::Program& p) {
  for (const auto& s : p.segments)
    if (!m.poke(s.base, s.bytes)) return false;
  m.set_pc(p.entry);
  return true;
}

struct RunOutcome {
  bool halted = false;
  std::string console;
  uint64_t state_hash = 0;
  machine::Counters counters;
  std::map<isa::Hypercall, uint64_t> hypercalls;  // PV runs: how many of each
  vmm::VmmCounters vmm;                           // PV runs: the VMM's counters
  std::string failure;                            // why it did not halt, if it did not
};

// Runs on the bare machine until halt or `max_instructions`.
inline RunOutcome run_bare(const assembler::Program& p, uint64_t max_instructions) {
  machine::Machine m;
  RunOutcome o;
  if (!load(m, p)) {
    o.failure = "the program does not fit in memory";
    return o;
  }
  const machine::RunResult r = m.run(max_instructions);
  o.halted = r.reason == machine::StopReason::Halted;
  o.console = m.console();
  o.state_hash = m.state_hash();
  o.counters = m.counters();
  return o;
}

// Runs a build under a VMM strategy (`pv` for the para-virtual build: core/vmm/
// paravirt.h; `bt`: binary_translation.h): one guest with the bare machine's memory
// and disk sizes, until it halts or reaches `max_instructions`.
inline RunOutcome run_virtualized(const assembler::Program& p, uint64_t max_instructions,
                                  vmm::StrategyKind strategy) {
  RunOutcome o;
  vmm::GuestConfig g;
  g.name = std::string(vmm::strategy_name(strategy));
  g.strategy = strategy;
  g.memory_bytes = machine::MachineConfig{}.memory_bytes;
  g.disk_sectors = machine::MachineConfig{}.disk_sectors;
  g.image = p.segments;
  g.entry = p.entry;
  g.max_instructions = max_instructions;
  vmm::VmmConfig c;
  c.guests.push_back(std::move(g));
  std::string error;
  const auto v = vmm::Vmm::create(c, &error);
  if (!v) {
    o.failure = error;
    return o;
  }
  for (int i = 0; i < 100'000 && !v->finished(); ++i) v->run(10'000'000);
  const vmm::Guest& guest = v->guest(0);
  o.halted = guest.state == vmm::GuestState::Halted;
  if (!o.halted) o.failure = guest.reason.empty() ? "did not finish" : guest.reason;
  o.console = guest.console();
  o.state_hash = guest.state_hash();
  o.counters = guest.counters.machine;
  o.vmm = guest.counters.vmm;
  for (const isa::HypercallInfo& h : isa::kHypercalls)
    if (const uint64_t n = o.vmm.*vmm::hypercall_counter(h.number))
      o.hypercalls[isa::Hypercall(h.number)] = n;
  return o;
}

inline RunOutcome run_paravirt(const assembler::Program& p, uint64_t max_instructions) {
  return run_virtualized(p, max_instructions, vmm::StrategyKind::PV);
}

}  // namespace trapeze::guests_test
