// trapeze run SCENARIO.json: load a scenario (core/scenario), run its guests under
// the VMM until every one has halted, crashed or reached a limit, and print each
// guest's console output, state and counters side by side (or --json). With
// --save-at, stop early and write a snapshot (core/session/snapshot_format.h) that
// `trapeze run FILE.snap` (cmd_run_snapshot.cpp) goes on from.
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
#include "run_report.h"
#include "cmd_run_snapshot.h"
#include "scenario/scenario.h"
#include "vmm/counters_json.h"
#include "vmm/vmm.h"

namespace trapeze::cli {
namespace {

constexpr const char* kUsage =
    "usage: trapeze run SCENARIO.json [--json] [--max-instr N] [--max-cycles N] [--strategy S]\n"
    "                                 [--save-at N | --save-at-cycles N] [--snapshot FILE]\n"
    "  runs the scenario's guests under the VMM until each halts, crashes or reaches a limit\n"
    "  --json          print the result as JSON (keys: docs/vmm.md, \"trapeze run\")\n"
    "  --max-instr N   per-guest instruction limit (overrides the scenario's)\n"
    "  --max-cycles N  per-guest cycle limit (overrides the scenario's)\n"
    "  --strategy S    run every guest with strategy S (native, trap, pv — which assembles with\n"
    "                  -D PV=1 —, bt, hw, hw-nested)\n"
    "  --save-at N     stop once the first guest has executed N instructions (the first\n"
    "                  instruction boundary at or past N) and write a snapshot to FILE\n"
    "  --save-at-cycles N  the same after N host cycles\n"
    "  --snapshot FILE where --save-at writes (default: the scenario's name with .snap)\n"
    "                  `trapeze run FILE` goes on from it exactly as this run would have\n"
    "exit 0: ran; 1: a bad scenario (every error on stderr) or option\n";

struct Options {
  std::string file;
  bool json = false;
  std::optional<uint64_t> max_instructions, max_cycles;
  std::optional<vmm::StrategyKind> strategy;
  std::optional<uint64_t> save_at, save_at_cycles;
  std::string snapshot;
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
    } else if (arg == "--save-at" || arg == "--save-at-cycles") {
      const auto v = value();
      const auto n = v ? parse_count(*v) : std::nullopt;
      if (!n) return "bad " + std::string(arg) + " (a count)";
      (arg == "--save-at" ? o.save_at : o.save_at_cycles) = *n;
    } else if (arg == "--snapshot") {
      const auto v = value();
      if (!v || v->empty()) return std::string("--snapshot needs a file name");
      o.snapshot = std::string(*v);
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
  if (o.save_at && o.save_at_cycles) return std::string("--save-at and --save-at-cycles together");
  if (!o.snapshot.empty() && !o.save_at && !o.save_at_cycles)
    return std::string("--snapshot needs --save-at N or --save-at-cycles N");
  return std::nullopt;
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
  if (const auto error = parse_args(argc, argv, o)) return run_usage_answer(*error, kUsage);
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
  if (o.save_at || o.save_at_cycles) {
    SaveAt at{o.save_at.value_or(0), o.save_at_cycles.value_or(0), bool(o.save_at_cycles)};
    std::string file = o.snapshot;
    if (file.empty()) {
      const size_t slash = o.file.find_last_of('/');
      file = o.file.substr(slash == std::string::npos ? 0 : slash + 1);
      if (file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0) file.resize(file.size() - 5);
      file += ".snap";
    }
    return run_and_save(*s, o.file, at, file, o.json);
  }
  auto v = vmm::Vmm::create(*config, &error);
  if (!v) {
    std::fprintf(stderr, "%s: %s\n", o.file.c_str(), error.c_str());
    return kExitInputError;
  }
  // Bounded calls, as the frontend makes them (the result does not depend on their size).
  while (!v->finished()) v->run(10'000'000);

  if (o.json)
    print_run_json(*s, *v);
  else
    print_run_text(*s, *v);
  return 0;
}

}  // namespace trapeze::cli
