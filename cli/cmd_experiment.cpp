// trapeze experiment NAME [--json|--csv|--markdown]: run one experiment of
// experiments/experiment.h to the end and print its table.
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "experiment_sources.h"
#include "experiments/experiment.h"
#include "text/escape.h"

namespace trapeze::cli {

int cmd_experiment(int argc, char** argv) {
  std::string name, format = "text";
  experiments::Sources sources = bundled_sources();
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--json" || arg == "--csv" || arg == "--markdown") {
      format = std::string(arg.substr(2));
    } else if (arg == "--guests" && i + 1 < argc) {
      sources = directory_sources(argv[++i]);
    } else if (!arg.empty() && arg[0] != '-' && name.empty()) {
      name = arg;
    } else {
      std::fprintf(stderr, "trapeze experiment: unknown argument '%s'\n", text::escaped(argv[i]).c_str());
      return kExitUsage;
    }
  }
  if (name.empty()) {
    for (const experiments::ExperimentInfo& e : experiments::experiment_list())
      std::printf("%-14.*s %.*s\n", int(e.name.size()), e.name.data(), int(e.summary.size()),
                  e.summary.data());
    return 0;
  }
  auto e = experiments::make_experiment(name, sources);
  if (!e) {
    std::fprintf(stderr, "trapeze experiment: unknown experiment '%s' (try 'trapeze experiment')\n",
                 text::escaped(name).c_str());
    return kExitUsage;
  }
  const auto start = std::chrono::steady_clock::now();
  e->run_to_end();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!e->error().empty()) {
    std::fprintf(stderr, "trapeze experiment %s: %s\n", name.c_str(), e->error().c_str());
    return kExitInputError;
  }
  const experiments::Table& t = e->table();
  if (format == "json") {
    const nlohmann::ordered_json j = experiments::result_json(*e);
    std::printf("%s\n", text::json_text(j, 2).c_str());
  } else if (format == "csv") {
    std::printf("%s", t.csv().c_str());
  } else {
    std::printf("%s", t.markdown().c_str());
    if (format == "text") {
      for (const std::string& n : e->notes()) std::printf("  %s\n", n.c_str());
      std::printf("wall time: %.2f s\n", seconds);
    }
  }
  return 0;
}

}  // namespace trapeze::cli
