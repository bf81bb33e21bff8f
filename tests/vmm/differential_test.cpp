// Differential testing, deterministic: a fixed number of seeded random programs
// (tests/fuzz/diff_program.h, the generator diff_fuzz uses) on bare metal and under
// every other strategy end in the same guest-visible state, except
// where the documented trap-and-emulate exception applies. A divergence fails with
// a minimised reproducer that `trapeze run` accepts.
#include <cstdlib>
#include <random>

#include "fuzz/diff_program.h"
#include "sanitizer_subset.h"
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

std::vector<uint8_t> random_bytes(uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(200 + rng() % 1800);
  for (uint8_t& b : bytes) b = uint8_t(rng());
  return bytes;
}

// Under the sanitizers (`ctest --preset asan` sets TRAPEZE_SANITIZER_RUN) every
// fifth program, 50 of them: the sweep runs ~12x slower there and alone was most of
// CI's sanitizer stage. The release run compares all 250, the same seeds, and the
// fuzz run's diff_fuzz feeds random programs through the sanitizers as well.
TEST(Differential, RandomProgramsEndWhereBareMetalEnds) {
  constexpr uint32_t kSeeds = 250;
  const uint32_t stride = trapeze::sanitizer::active() ? 5 : 1;
  const uint32_t programs = kSeeds / stride;
  int compared = 0, skipped = 0, faults = 0, interrupts = 0, pte_writes = 0, emulated = 0;
  int triple_fault_endings = 0;
  for (uint32_t seed = stride; seed <= kSeeds; seed += stride) {
    SCOPED_TRACE(numbered("seed ", int(seed)));
    const difftest::Program p = difftest::generate(random_bytes(seed));
    triple_fault_endings += !p.ending.empty();
    std::string error;
    const auto results = difftest::compare(p, difftest::strategies_under_test(), &error);
    ASSERT_FALSE(results.empty()) << error << "\n" << difftest::source(p);
    for (const difftest::Comparison& r : results) {
      ++compared;
      skipped += r.verdict == difftest::Verdict::Skipped;
      ASSERT_NE(r.verdict, difftest::Verdict::Differs)
          << difftest::reproducer(difftest::minimise(p, r.strategy), r.strategy);
      faults += r.counters.vmm.reflected_faults > 0;
      interrupts += r.counters.vmm.virtual_interrupts > 0;
      pte_writes += r.counters.vmm.write_protect_traps > 0;
      emulated += r.counters.vmm.emulated > 10;
    }
  }
  std::printf("%d comparisons, %d skipped under the trap-and-emulate exception\n", compared,
              skipped);
  const int n = int(programs * difftest::strategies_under_test().size());
  EXPECT_EQ(compared, n);
  // The exception stays the exception, and the generator reaches what it claims to.
  EXPECT_LT(skipped, n / 4);
  EXPECT_GT(faults, n / 3);
  EXPECT_GT(interrupts, n / 3);
  EXPECT_GT(pte_writes, n / 5);
  EXPECT_GT(emulated, n / 3);
  EXPECT_GT(triple_fault_endings, int(programs) / 10) << "DMA in flight at a triple fault";
}

// The minimiser keeps what makes a run fail and drops the rest. Here "fails" is
// "the strategy counted a sensitive-but-unprivileged instruction": the body
// shrinks to the one rdpsw among sixty items, and the reproducer assembles.
TEST(Differential, TheMinimiserFindsTheOneInstructionThatMatters) {
  difftest::Program p;
  p.quantum = 5000;
  p.timer = 700;
  p.registers.assign(10, 7);
  for (int i = 0; i < 60; ++i)
    p.body.push_back(i == 41 ? "rdpsw r4" : numbered("addi r1, r1, ", i));
  const StrategyKind s = StrategyKind::TRAP;
  auto sensitive = [&](const difftest::Program& q) {
    const auto r = difftest::compare(q, {s});
    return !r.empty() && r[0].counters.vmm.sensitive_unprivileged > 0;
  };
  ASSERT_TRUE(sensitive(p));
  const difftest::Program m = difftest::minimise(p, sensitive);
  EXPECT_EQ(m.body, std::vector<std::string>{"rdpsw r4"});
  EXPECT_EQ(m.timer, 0u) << "the timer does not matter, so it goes";
  const std::string text = difftest::reproducer(m, s);
  EXPECT_NE(text.find("trapeze run repro.s --mem 64K"), std::string::npos);
  EXPECT_EQ(text.find("addi r1, r1"), std::string::npos);
  const assembler::Program back = assemble(text);  // the comment lines are assembly comments
  EXPECT_FALSE(back.segments.empty());
}

}  // namespace
}  // namespace trapeze::vmm::testing
