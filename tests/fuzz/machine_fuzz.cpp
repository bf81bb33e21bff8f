// Fuzz target: the bare machine running an arbitrary memory image.
// Input: the first 4 bytes choose the configuration (TLB size, start mode), the
// rest is copied to physical address 0. Invariants: run() always returns within
// its instruction budget; the console stays within its bound; the same image
// run twice gives the same state hash and counters (determinism); running in
// slices gives the same result as one run.
#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "machine/machine.h"

using namespace trapeze::machine;

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

struct Outcome {
  uint64_t hash;
  Counters counters;
  bool halted;
};

Outcome run(const uint8_t* data, size_t size, uint64_t slice) {
  MachineConfig config;
  config.memory_bytes = 16 * 1024;
  config.tlb.entries = 1u + (size ? data[0] % 64 : 0);
  config.console_limit = 256;
  config.disk_sectors = 16;  // the default 1 MiB disk would dominate each run
  Machine m(config);
  const size_t n = size > 4 ? size - 4 : 0;
  std::vector<uint8_t> image(data + (size > 4 ? 4 : size), data + (size > 4 ? 4 : size) + n);
  if (image.size() > config.memory_bytes) image.resize(config.memory_bytes);
  m.poke(0, image);
  if (size > 1 && (data[1] & 1)) {
    CpuState s = m.state();
    s.psw |= trapeze::isa::psw::U;  // start in user mode
    m.set_state(s);
  }
  // A run() that stops for its budget has used exactly what it was given, so
  // slices that add up to kBudget cover the same instructions as one run.
  constexpr uint64_t kBudget = 5'000;
  for (uint64_t left = kBudget; left > 0;) {
    const uint64_t step = std::min(slice, left);
    const RunResult r = m.run(step);
    check(r.instructions <= step, "run() retired more than its budget");
    if (r.reason != StopReason::Budget) break;
    left -= step;
  }
  check(m.console().size() <= config.console_limit, "console grew beyond its bound");
  return {m.state_hash(), m.counters(), m.halted()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024 + 4) return 0;
  const Outcome a = run(data, size, 5'000);
  const Outcome b = run(data, size, 5'000);
  check(a.hash == b.hash && a.counters == b.counters, "two runs differ");
  const Outcome c = run(data, size, 997);  // sliced
  check(a.hash == c.hash && a.halted == c.halted && a.counters == c.counters,
        "a sliced run differs from one run");
  return 0;
}
