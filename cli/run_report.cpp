#include "run_report.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "files.h"
#include "vmm/counters_json.h"

namespace trapeze::cli {
namespace {

// ---- output -----------------------------------------------------------------------

vmm::GuestCounters total_counters(const vmm::Vmm& v) {
  vmm::GuestCounters t;
  for (size_t i = 0; i < v.guest_count(); ++i) {
    const vmm::GuestCounters& c = v.guest(i).counters;
    t.machine += c.machine;
    for (const vmm::VmmCounterInfo& k : vmm::kVmmCounterInfo) t.vmm.*k.field += c.vmm.*k.field;
    for (size_t n = 0; n < t.vmm.emulated_by_op.size(); ++n)
      t.vmm.emulated_by_op[n] += c.vmm.emulated_by_op[n];
    for (size_t n = 0; n < t.vmm.reflected_by_cause.size(); ++n)
      t.vmm.reflected_by_cause[n] += c.vmm.reflected_by_cause[n];
    for (size_t n = 0; n < t.vmm.bt_callouts_by_op.size(); ++n)
      t.vmm.bt_callouts_by_op[n] += c.vmm.bt_callouts_by_op[n];
  }
  return t;
}

}  // namespace

void print_run_json(const scenario::Scenario& s, const vmm::Vmm& v) {
  nlohmann::ordered_json j;
  j["scenario"] = {{"name", s.name}, {"description", s.description}};
  j["finished"] = v.finished();
  j["host"] = {{"cycles", v.host_cycles()},
               {"memory_bytes", v.host().memory_size()},
               {"quantum", v.config().quantum},
               {"tlb_entries", v.config().tlb.entries}};
  j["events"] = {{"total", v.events().total()}, {"dropped", v.events().dropped()}};
  j["guests"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < v.guest_count(); ++i) {
    const vmm::Guest& g = v.guest(i);
    nlohmann::ordered_json o;
    o["index"] = i;
    o["name"] = g.config.name;
    o["strategy"] = vmm::strategy_name(g.strategy_kind());
    o["state"] = vmm::guest_state_name(g.state);
    o["reason"] = g.reason;
    o["utilization"] = v.utilization(i);
    o["console"] = g.console();
    o["console_truncated"] = g.counters.machine.console_dropped != 0;
    o["pc"] = g.vcpu.cpu.pc;
    o["executed"] = g.executed;
    o["state_hash"] = hex64(g.state_hash());
    o["accounting"] = vmm::accounting_json(g.counters.accounting);
    o["counters"] = vmm::counters_json(g.counters);
    j["guests"].push_back(std::move(o));
  }
  j["totals"] = vmm::counters_json(total_counters(v));
  std::printf("%s\n",
              text::json_text(j, 2).c_str());
}

namespace {

// One row of the side-by-side table; rows that are zero for every guest are left out.
void row(const std::string& label, const std::vector<std::string>& cells, bool always = false) {
  if (!always &&
      std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c == "0"; }))
    return;
  std::printf("  %-24s", label.c_str());
  for (const std::string& c : cells) std::printf(" %18s", c.c_str());
  std::printf("\n");
}

template <typename F>
std::vector<std::string> cells(const vmm::Vmm& v, F value) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.guest_count(); ++i) out.push_back(value(v.guest(i), i));
  return out;
}

}  // namespace

void print_run_text(const scenario::Scenario& s, const vmm::Vmm& v) {
  std::printf("=== %s: %zu guest%s, quantum %" PRIu64 " cycles, TLB %u entries ===\n",
              s.name.empty() ? "scenario" : s.name.c_str(), v.guest_count(),
              v.guest_count() == 1 ? "" : "s", v.config().quantum, v.config().tlb.entries);
  for (size_t i = 0; i < v.guest_count(); ++i) {
    const vmm::Guest& g = v.guest(i);
    std::printf("--- guest %zu \"%s\" (%s): %s%s%s ---\n", i, g.config.name.c_str(),
                std::string(vmm::strategy_name(g.strategy_kind())).c_str(),
                std::string(vmm::guest_state_name(g.state)).c_str(), g.reason.empty() ? "" : ": ",
                g.reason.c_str());
    // Escaped: a guest's control bytes (ESC sequences) must not drive the terminal.
    const std::string console = text::escaped(g.console(), /*keep_newlines=*/true);
    std::fwrite(console.data(), 1, console.size(), stdout);
    if (!g.console().empty() && g.console().back() != '\n') std::printf("\n");
    if (g.counters.machine.console_dropped)
      std::printf("[console truncated: %" PRIu64 " bytes dropped]\n",
                  g.counters.machine.console_dropped);
  }

  std::printf("--- counters ---\n");
  row("", cells(v, [](const vmm::Guest& g, size_t) { return g.config.name; }), true);
  row("strategy",
      cells(v, [](const vmm::Guest& g,
                  size_t) { return std::string(vmm::strategy_name(g.strategy_kind())); }),
      true);
  row("state",
      cells(v, [](const vmm::Guest& g,
                  size_t) { return std::string(vmm::guest_state_name(g.state)); }),
      true);
  row("state_hash", cells(v, [](const vmm::Guest& g, size_t) { return hex64(g.state_hash()); }),
      true);
  row("host utilization",
      cells(v,
            [&](const vmm::Guest& g, size_t i) {
              if (!g.strategy->uses_host()) return std::string("own machine");
              char buf[32];
              std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v.utilization(i));
              return std::string(buf);
            }),
      true);
  // Where the cycles went: each account with its share of the guest's cycles.
  for (const vmm::CycleAccountInfo& k : vmm::kCycleAccountInfo)
    row("accounting." + std::string(k.name),
        cells(v,
              [&](const vmm::Guest& g, size_t) {
                const vmm::CycleAccounting& a = g.counters.accounting;
                char buf[48];
                std::snprintf(buf, sizeof buf, "%" PRIu64 " (%.1f%%)", a.*k.field,
                              a.total() ? 100.0 * double(a.*k.field) / double(a.total()) : 0.0);
                return std::string(buf);
              }),
        true);
  row("accounting.total",
      cells(v, [](const vmm::Guest& g,
                  size_t) { return std::to_string(g.counters.accounting.total()); }),
      true);
  for (const machine::CounterInfo& k : machine::kCounterInfo)
    row(k.name, cells(v, [&](const vmm::Guest& g, size_t) {
          return std::to_string(g.counters.machine.*k.field);
        }));
#define TRAPEZE_TRAP_ROW(NAME, code, text)                          \
  if (isa::Cause::NAME != isa::Cause::NONE)                         \
    row("traps." #NAME, cells(v, [&](const vmm::Guest& g, size_t) { \
          return std::to_string(g.counters.machine.traps[code]);    \
        }));
  TRAPEZE_CAUSES(TRAPEZE_TRAP_ROW)
#undef TRAPEZE_TRAP_ROW
  for (const vmm::VmmCounterInfo& k : vmm::kVmmCounterInfo)
    row(k.name, cells(v, [&](const vmm::Guest& g, size_t) {
          return std::to_string(g.counters.vmm.*k.field);
        }));
  for (const isa::InsnInfo& ins : isa::instructions())
    if (ins.privileged())
      row("emulated." + std::string(ins.mnemonic), cells(v, [&](const vmm::Guest& g, size_t) {
            return std::to_string(g.counters.vmm.emulated_by_op[ins.opcode]);
          }));
  for (const isa::InsnInfo& ins : isa::instructions())
    if (ins.privileged() || ins.sensitive() || ins.flags & isa::STORE)
      row("bt_callouts." + std::string(ins.mnemonic), cells(v, [&](const vmm::Guest& g, size_t) {
            return std::to_string(g.counters.vmm.bt_callouts_by_op[ins.opcode]);
          }));
#define TRAPEZE_REFLECT_ROW(NAME, code, text)                             \
  if (isa::Cause::NAME != isa::Cause::NONE)                               \
    row("reflected." #NAME, cells(v, [&](const vmm::Guest& g, size_t) {   \
          return std::to_string(g.counters.vmm.reflected_by_cause[code]); \
        }));
  TRAPEZE_CAUSES(TRAPEZE_REFLECT_ROW)
#undef TRAPEZE_REFLECT_ROW
  std::printf("--- host: %" PRIu64 " cycles, %u bytes of memory; %" PRIu64 " VMM events (%" PRIu64
              " dropped from the log) ---\n",
              v.host_cycles(), v.host().memory_size(), v.events().total(), v.events().dropped());
}

}  // namespace trapeze::cli
