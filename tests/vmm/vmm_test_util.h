// Helpers for the VMM's tests: assemble guests, build a Vmm, run it to the end,
// and compare a virtualized guest with its bare-metal twin.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "asm/assembler.h"
#include "vmm/event_log.h"
#include "vmm/vmm.h"

namespace trapeze::vmm::testing {

inline std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Assembles `source`; includes are looked up in `dir` (relative to the repository).
inline assembler::Program assemble(const std::string& source,
                                   std::map<std::string, int64_t> defines = {},
                                   const std::string& dir = "tests/vmm/guests",
                                   const std::string& name = "test.s") {
  assembler::Options o;
  o.file_name = name;
  o.defines = std::move(defines);
  // Next to the source, or (a path the assembler already joined to the including
  // file's folder) relative to the repository.
  const std::string root = std::string(TRAPEZE_SOURCE_DIR) + "/";
  const std::string base = root + dir + "/";
  o.include = [root, base](const std::string& path) {
    if (auto text = read_file(base + path)) return text;
    return read_file(root + path);
  };
  const assembler::Result r = assembler::assemble(source, o);
  for (const auto& e : r.errors) ADD_FAILURE() << e.format();
  return r.program;
}

// Assembles a file of the repository (e.g. "tests/vmm/guests/kernel.s").
inline assembler::Program assemble_file(const std::string& path,
                                        std::map<std::string, int64_t> defines = {}) {
  const auto text = read_file(std::string(TRAPEZE_SOURCE_DIR) + "/" + path);
  EXPECT_TRUE(text.has_value()) << "cannot read " << path;
  const std::string dir = path.substr(0, path.find_last_of('/'));
  return assemble(text.value_or(""), std::move(defines), dir, path);
}

// Every guest kernel of guests/ (its .s files outside lib/), relative to the repository.
inline std::vector<std::string> guest_sources() {
  std::vector<std::string> out;
  const std::filesystem::path root = std::filesystem::path(TRAPEZE_SOURCE_DIR) / "guests";
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::filesystem::path& p = it->path();
    if (p.extension() != ".s" || p.parent_path().filename() == "lib") continue;
    out.push_back(std::filesystem::relative(p, TRAPEZE_SOURCE_DIR).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "g3": a prefix and a number. (Appending, because GCC 12's -Wrestrict misfires on
// "literal" + std::to_string(i) at -O3.)
inline std::string numbered(const char* prefix, int i) {
  std::string s = prefix;
  s += std::to_string(i);
  return s;
}

inline GuestConfig guest_config(const assembler::Program& p, StrategyKind s,
                                uint32_t memory = 256u << 10, std::string name = "") {
  GuestConfig g;
  g.name = name.empty() ? std::string(strategy_name(s)) : name;
  g.strategy = s;
  g.memory_bytes = memory;
  g.image = p.segments;
  g.entry = p.entry;
  return g;
}

inline std::unique_ptr<Vmm> make_vmm(std::vector<GuestConfig> guests, uint64_t quantum = 50'000,
                                     machine::CostModel cost = {}) {
  VmmConfig c;
  c.quantum = quantum;
  c.cost = cost;
  c.guests = std::move(guests);
  std::string error;
  auto vmm = Vmm::create(c, &error);
  EXPECT_TRUE(vmm) << error;
  return vmm;
}

// Runs until every guest is done, in calls of `budget` host cycles; false if
// `max_calls` was not enough.
inline bool run_to_end(Vmm& vmm, uint64_t budget = 1'000'000, int max_calls = 1000) {
  for (int i = 0; i < max_calls && !vmm.finished(); ++i) vmm.run(budget);
  return vmm.finished();
}

inline std::string dump_events(const Vmm& vmm, size_t last = 40) {
  std::string out;
  const EventLog& log = vmm.events();
  for (size_t i = log.size() > last ? log.size() - last : 0; i < log.size(); ++i)
    out += "  [" + std::to_string(log.at(i).guest) + "] " + describe(log.at(i)) + "\n";
  return out;
}

// A well-behaved guest: a timer, a greeting, a loop, then its id, then halt.
inline assembler::Program worker(int id, int loops = 20'000) {
  return assemble(R"(
        la      r13, tick
        ldtvec  r13
        li      r1, 7000
        ldtimer r1
        ei
        la      r2, msg
print:  ldb     r3, 0(r2)
        beqz    r3, work
        out     PORT_CONSOLE, r3
        addi    r2, r2, 1
        b       print
work:   li      r5, 0
        li      r6, LOOPS
loop:   addi    r5, r5, 1
        mul     r7, r5, r5
        blt     r5, r6, loop
        li      r3, '0' + ID
        out     PORT_CONSOLE, r3
        halt
tick:   la      r8, ticks
        ldw     r9, 0(r8)
        addi    r9, r9, 1
        stw     r9, 0(r8)
        rti
        .org 0x1000
ticks:  .word 0
msg:    .asciz "guest "
)",
                  {{"ID", id}, {"LOOPS", loops}});
}

// Every strategy of the strategy table (new ones join by adding their row).
inline std::vector<StrategyKind> every_strategy() {
  std::vector<StrategyKind> out;
  for (const StrategyInfo& s : kStrategies) out.push_back(s.kind);
  return out;
}

// The defines a guest's source is built with under strategy s (pv implies PV=1).
inline std::map<std::string, int64_t> defines_for(StrategyKind s) {
  if (s == StrategyKind::PV) return {{"PV", 1}};
  return {};
}

// Guest-visible equality: console, state (and so registers, PSW, memory).
inline void expect_same_guest_state(const Guest& a, const Guest& b) {
  EXPECT_EQ(a.console(), b.console());
  EXPECT_EQ(a.state, b.state) << a.reason << " / " << b.reason;
  EXPECT_EQ(a.vcpu.cpu, b.vcpu.cpu);
  EXPECT_EQ(a.vcpu.clock, b.vcpu.clock) << "architectural clocks differ";
  EXPECT_EQ(a.state_hash(), b.state_hash());
  EXPECT_EQ(a.counters.machine.instructions_user, b.counters.machine.instructions_user);
  EXPECT_EQ(a.counters.machine.instructions_kernel, b.counters.machine.instructions_kernel);
}

}  // namespace trapeze::vmm::testing
