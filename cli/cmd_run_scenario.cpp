// trapeze run SCENARIO.json: load a scenario (core/scenario), run its guests under
// the VMM until every one has halted, crashed or reached a limit, and print each
// guest's console output, state and counters side by side (or --json).
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "files.h"
#include "scenario/scenario.h"
#include "vmm/counters_json.h"
#include "vmm/vmm.h"

namespace trapeze::cli {
namespace {

constexpr const char* kUsage =
    "usage: trapeze run SCENARIO.json [--json] [--max-instr N] [--max-cycles N] [--strategy S]\n"
    "  runs the scenario's guests under the VMM until each halts, crashes or reaches a limit\n"
    "  --json          print the result as JSON (keys: docs/vmm.md, \"trapeze run\")\n"
    "  --max-instr N   per-guest instruction limit (overrides the scenario's)\n"
    "  --max-cycles N  per-guest cycle limit (overrides the scenario's)\n"
    "  --strategy S    run every guest with strategy S (native, trap, pv — which assembles with\n"
    "                  -D PV=1 —, bt, hw, hw-nested)\n"
    "exit 0: ran; 1: a bad scenario (every error on stderr) or option\n";

std::optional<uint64_t> parse_count(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

struct Options {
  std::string file;
  bool json = false;
  std::optional<uint64_t> max_instructions, max_cycles;
  std::optional<vmm::StrategyKind> strategy;
};

std::optional<std::string> parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string_view(argv[++i]);
    };
    if (arg == "--json") {
      o.json = true;
    } else if (arg == "--max-instr" || arg == "--max-cycles") {
      const auto v = value();
      const auto n = v ? parse_count(*v) : std::nullopt;
      if (!n || *n == 0) return "bad " + std::string(arg) + " (a positive integer)";
      (arg == "--max-instr" ? o.max_instructions : o.max_cycles) = *n;
    } else if (arg == "--strategy") {
      const auto v = value();
      if (!v) return std::string("--strategy needs a name (") + vmm::strategy_names() + ")";
      const auto k = vmm::parse_strategy(*v);
      if (!k)
        return "unknown strategy '" + std::string(*v) + "' (expected " + vmm::strategy_names() +
               ")";
      o.strategy = *k;
    } else if (arg == "-h" || arg == "--help") {
      return std::string("help");
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "' for a scenario";
    } else if (o.file.empty()) {
      o.file = std::string(arg);
    } else {
      return "more than one scenario given";
    }
  }
  if (o.file.empty()) return std::string("no scenario given");
  return std::nullopt;
}

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

void print_json(const scenario::Scenario& s, const vmm::Vmm& v) {
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

void print_text(const scenario::Scenario& s, const vmm::Vmm& v) {
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

}  // namespace

bool is_scenario_file(const std::string& path) {
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) return true;
  // Unreadable: not a scenario, and `trapeze run` says why it cannot read it.
  const text::FileText text = text::read_input_file(path);
  if (!text) return false;
  const size_t first = text->find_first_not_of(" \t\r\n");
  return first != std::string::npos && (*text)[first] == '{';
}

int cmd_run_scenario(int argc, char** argv) {
  Options o;
  if (const auto error = parse_args(argc, argv, o)) {
    if (*error == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "trapeze run: %s\n%s", text::escaped(*error).c_str(), kUsage);
    return kExitInputError;
  }
  const text::FileText text = text::read_input_file(o.file);
  if (!text) {
    std::fprintf(stderr, "trapeze run: cannot read '%s': %s\n", text::escaped(o.file).c_str(),
                 text.error().c_str());
    return kExitInputError;
  }
  std::string error;
  auto s = scenario::parse(*text, &error);
  if (!s) {
    std::fprintf(stderr, "%s: %s\n", o.file.c_str(), error.c_str());
    return kExitInputError;
  }
  if (o.max_instructions) s->max_instructions = *o.max_instructions;
  if (o.max_cycles) s->max_cycles = *o.max_cycles;
  if (o.strategy)
    for (scenario::GuestSpec& g : s->guests) g.strategy = *o.strategy;

  scenario::LoadOptions load;
  load.path = o.file;
  load.read_file = [](const std::string& path) { return text::read_input_file(path); };
  const auto config = scenario::build(*s, load, &error);
  if (!config) {
    // Assembler errors carry their own FILE:LINE:COL; field errors get the scenario's name.
    std::istringstream lines(error);
    std::set<std::string> broken;  // the guests with assembler errors
    for (std::string line; std::getline(lines, line);) {
      const bool assembler = line.rfind("guest \"", 0) == 0;
      if (assembler) broken.insert(line.substr(0, line.find("\": ") + 1));
      std::fprintf(stderr, "%s%s\n", assembler ? "" : (o.file + ": ").c_str(), line.c_str());
    }
    // The scenario is valid (the frontend loads it, errors and all); a run needs
    // every guest, so none is run rather than a misleading part.
    if (!broken.empty())
      std::fprintf(stderr, "%s: not run: %zu of %zu guests do%s not assemble (errors above)\n",
                   o.file.c_str(), broken.size(), s->guests.size(), broken.size() == 1 ? "es" : "");
    return kExitInputError;
  }
  auto v = vmm::Vmm::create(*config, &error);
  if (!v) {
    std::fprintf(stderr, "%s: %s\n", o.file.c_str(), error.c_str());
    return kExitInputError;
  }
  // Bounded calls, as the frontend makes them (the result does not depend on their size).
  while (!v->finished()) v->run(10'000'000);

  if (o.json)
    print_json(*s, *v);
  else
    print_text(*s, *v);
  return 0;
}

}  // namespace trapeze::cli
