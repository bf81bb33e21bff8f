// Fuzz target: the scenario loader on arbitrary JSON (and non-JSON), then a
// few bounded slices of whatever it accepted.
// Invariants: a rejected scenario always comes with an error message naming
// what is wrong; an accepted one runs bounded slices without crashing, and the
// guests' utilizations stay a share of host time (between 0 and 1).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scenario/scenario.h"

namespace {
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  trapeze::scenario::LoadOptions options;
  // A tiny file world: some names resolve to a small guest, the rest do not.
  options.read_file = [](const std::string& path) -> std::optional<std::string> {
    if (path.size() % 3 == 0) return std::string("  li r1, 'x'\n  out PORT_CONSOLE, r1\n  halt\n");
    return std::nullopt;
  };
  std::string error;
  auto vmm = trapeze::scenario::load(text, options, &error);
  if (!vmm) {
    check(!error.empty(), "a rejected scenario without an error message");
    return 0;
  }
  for (int i = 0; i < 3 && !vmm->finished(); ++i) vmm->run(20'000);
  for (size_t g = 0; g < vmm->guest_count(); ++g) {
    const double u = vmm->utilization(g);
    check(u >= 0.0 && u <= 1.0 + 1e-9, "utilization outside [0, 1]");
  }
  return 0;
}
