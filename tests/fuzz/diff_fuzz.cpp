// Fuzz target: differential testing of the strategies (diff_program.h). The input
// bytes choose a random guest program; it runs on bare metal and under every other
// strategy, and each must end in bare metal's guest-visible state,
// except where the documented trap-and-emulate exception applies (counted, and
// printed when the run ends). A divergence prints a minimised reproducer, then aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "console_output.h"
#include "diff_program.h"

using namespace trapeze;

namespace {

struct Tally {
  uint64_t programs = 0, compared = 0, skipped = 0;
  ~Tally() {
    std::fprintf(stderr,
                 "diff_fuzz: %llu programs, %llu comparisons, %llu skipped (a sensitive "
                 "instruction the strategy cannot see)\n",
                 (unsigned long long)programs, (unsigned long long)compared,
                 (unsigned long long)skipped);
  }
} tally;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const difftest::Program p = difftest::generate({data, size});
  std::string error;
  const std::vector<difftest::Comparison> results =
      difftest::compare(p, difftest::strategies_under_test(), &error);
  if (results.empty()) {
    std::fprintf(stderr, "the generated program does not run: %s\n%s", error.c_str(),
                 difftest::source(p).c_str());
    std::abort();
  }
  ++tally.programs;
  for (const std::string& console : difftest::last_consoles()) fuzz::check_console_output(console);
  for (const difftest::Comparison& r : results) {
    ++tally.compared;
    if (r.verdict == difftest::Verdict::Skipped) ++tally.skipped;
    if (r.verdict != difftest::Verdict::Differs) continue;
    std::fprintf(stderr, "%s\n",
                 difftest::reproducer(difftest::minimise(p, r.strategy), r.strategy).c_str());
    std::abort();
  }
  return 0;
}
