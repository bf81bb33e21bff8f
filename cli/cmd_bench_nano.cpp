// trapeze bench nano: the nanobenchmark table (experiments/nano.h) in simulated
// cycles per operation, every strategy of the strategy table.
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "commands.h"
#include "experiment_sources.h"
#include "experiments/nano.h"
#include "text/escape.h"

namespace trapeze::cli {

int cmd_bench_nano(int argc, char** argv) {
  std::string format = "text";
  experiments::Sources sources = bundled_sources();
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "nano") continue;
    if (arg == "--json" || arg == "--csv" || arg == "--markdown") {
      format = std::string(arg.substr(2));
    } else if (arg == "--guests" && i + 1 < argc) {
      sources = directory_sources(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "trapeze bench nano: unknown argument '%s'\n"
                   "usage: trapeze bench nano [--json|--csv|--markdown] [--guests DIR]\n",
                   text::escaped(argv[i]).c_str());
      return kExitUsage;
    }
  }
  const auto start = std::chrono::steady_clock::now();
  experiments::NanoTable table(sources);
  table.run_to_end();
  if (!table.error().empty()) {
    std::fprintf(stderr, "trapeze bench nano: %s\n", table.error().c_str());
    return kExitInputError;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (format == "json") {
    std::printf("%s\n", text::json_text(table.json(), 2).c_str());
  } else if (format == "csv") {
    std::printf("%s", table.table().csv().c_str());
  } else {
    std::printf("%s", table.table().markdown().c_str());
    if (format == "text") {
      std::printf("\nsimulated cycles per operation, (cycles(N=%lld) - cycles(N=%lld)) / %lld; %.2f s\n",
                  (long long)experiments::NanoTable::kN2, (long long)experiments::NanoTable::kN1,
                  (long long)(experiments::NanoTable::kN2 - experiments::NanoTable::kN1), seconds);
      for (const std::string& n : table.notes()) std::printf("  %s\n", n.c_str());
    }
  }
  return 0;
}

}  // namespace trapeze::cli
