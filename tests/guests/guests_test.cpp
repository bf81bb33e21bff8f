// The guest kernels of guests/: every variant assembles; on the bare machine each
// halts within its instruction budget and prints exactly its golden output
// (guests/<name>/<name>.expected), deterministically; each para-virtual build,
// run under the VMM's para-virtual strategy (`pv`), prints the same.
//
// Regenerating the golden files after an intended change of output:
//   TRAPEZE_UPDATE_GOLDEN=1 <build>/tests/guests_tests
// rewrites them from the bare-metal runs; review the diff (git diff guests/)
// before committing it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "guest_runner.h"

namespace trapeze::guests_test {
namespace {

struct GuestCase {
  std::string name;      // the test's name
  std::string source;    // relative to guests/
  std::string expected;  // the golden console output, relative to guests/
  uint64_t max_instructions;
  std::vector<Defines> more_variants = {};  // assembled too (besides default and PV)
  bool pv_console_by_hypercall = true;      // PV build prints only with HC_CONSOLE_WRITE
};

std::ostream& operator<<(std::ostream& os, const GuestCase& g) { return os << g.name; }

const std::vector<GuestCase>& guest_cases() {
  static const std::vector<GuestCase> cases = {
      {"mini_os",
       "mini-os/mini-os.s",
       "mini-os/mini-os.expected",
       60'000'000,
       {{{"TIMER_PERIOD", 2'000'000}}}},
      {"fork_like",
       "fork-like/fork-like.s",
       "fork-like/fork-like.expected",
       2'000'000,
       {{{"FORKS", 1}}}},
      {"pagetable_churn",
       "pagetable-churn/pagetable-churn.s",
       "pagetable-churn/pagetable-churn.expected",
       2'000'000,
       {{{"ROUNDS", 3}}}},
      {"io_driver",
       "io-driver/io-driver.s",
       "io-driver/io-driver.expected",
       2'000'000,
       {{{"RING", 1}}}},
      {"monolithic",
       "monolithic/monolithic.s",
       "monolithic/monolithic.expected",
       1'000'000,
       {{{"KV_OPS", 8}}}},
      {"microkernel",
       "microkernel/microkernel.s",
       "microkernel/microkernel.expected",
       1'000'000,
       {{{"KV_OPS", 8}}}},
      {"mode_check",
       "mode-check/mode-check.s",
       "mode-check/mode-check.expected",
       100'000,
       {},
       /*pv_console_by_hypercall=*/false},
      {"nano_syscall", "nano/syscall.s", "nano/syscall.expected", 100'000, {{{"N", 2000}}}},
      {"nano_in", "nano/in.s", "nano/in.expected", 100'000, {{{"N", 2000}}}},
      {"nano_cr8wr", "nano/cr8wr.s", "nano/cr8wr.expected", 100'000, {{{"N", 2000}}}},
      {"nano_callret", "nano/callret.s", "nano/callret.expected", 100'000, {{{"N", 2000}}}},
      {"nano_pgfault", "nano/pgfault.s", "nano/pgfault.expected", 100'000, {{{"N", 2000}}}},
      {"nano_divzero", "nano/divzero.s", "nano/divzero.expected", 100'000, {{{"N", 2000}}}},
      {"nano_ptemod", "nano/ptemod.s", "nano/ptemod.expected", 100'000, {{{"N", 2000}}}},
  };
  return cases;
}

const Defines kParaVirtual = {{"PV", 1}};

assembler::Program assemble_ok(const std::string& source, const Defines& defines = {}) {
  const assembler::Result r = assemble_guest(source, defines);
  EXPECT_TRUE(r.ok()) << source << ":\n" << format_errors(r);
  return r.program;
}

std::string golden(const GuestCase& g) {
  return read_text(source_dir() + "/guests/" + g.expected).value_or("<missing " + g.expected + ">");
}

bool updating_golden() {
  const char* v = std::getenv("TRAPEZE_UPDATE_GOLDEN");
  return v && *v && std::string(v) != "0";
}

class Guest : public ::testing::TestWithParam<GuestCase> {};

TEST_P(Guest, AssemblesInEveryVariant) {
  const GuestCase& g = GetParam();
  std::vector<Defines> variants = {{}, kParaVirtual};
  variants.insert(variants.end(), g.more_variants.begin(), g.more_variants.end());
  for (const Defines& d : variants) {
    const assembler::Result r = assemble_guest(g.source, d);
    std::string label;
    for (const auto& [k, v] : d) label += " -D " + k + "=" + std::to_string(v);
    EXPECT_TRUE(r.ok()) << g.source << label << ":\n" << format_errors(r);
  }
}

TEST_P(Guest, BareMetalPrintsTheGoldenOutput) {
  const GuestCase& g = GetParam();
  const RunOutcome o = run_bare(assemble_ok(g.source), g.max_instructions);
  ASSERT_TRUE(o.halted) << g.name << " did not halt within " << g.max_instructions
                        << " instructions; console so far:\n"
                        << o.console;
  if (updating_golden()) {
    std::ofstream(source_dir() + "/guests/" + g.expected, std::ios::binary) << o.console;
    GTEST_SKIP() << "rewrote guests/" << g.expected << " - review the diff";
  }
  EXPECT_EQ(o.console, golden(g));
}

TEST_P(Guest, BareMetalRunsAreIdentical) {
  const GuestCase& g = GetParam();
  const assembler::Program p = assemble_ok(g.source);
  const RunOutcome a = run_bare(p, g.max_instructions), b = run_bare(p, g.max_instructions);
  EXPECT_EQ(a.state_hash, b.state_hash);
  EXPECT_TRUE(a.counters == b.counters);
  EXPECT_EQ(a.console, b.console);
}

// The para-virtual build, under the real para-virtual strategy, prints what the
// bare-metal build prints.
TEST_P(Guest, ParaVirtualBuildUnderPvPrintsTheGoldenOutput) {
  const GuestCase& g = GetParam();
  const RunOutcome o = run_paravirt(assemble_ok(g.source, kParaVirtual), g.max_instructions);
  EXPECT_EQ(o.failure, "");
  ASSERT_TRUE(o.halted) << g.name << " (PV) did not halt; console so far:\n" << o.console;
  EXPECT_EQ(o.console, golden(g));
  EXPECT_EQ(o.vmm.reflected_by_cause[size_t(isa::Cause::ILLEGAL)], 0u);
  EXPECT_EQ(o.vmm.hc_unknown, 0u);
  EXPECT_EQ(o.vmm.hc_errors, 0u);
  EXPECT_EQ(o.vmm.sensitive_unprivileged, 0u);
  EXPECT_GT(o.hypercalls.size(), 0u);
  if (g.pv_console_by_hypercall) {
    EXPECT_GT(o.vmm.hc_console_write, 0u);
    EXPECT_LT(o.counters.port_out, o.counters.console_bytes)
        << "the PV build wrote its console output to the console port";
  }
}

// The ordinary build under binary translation ends exactly as on bare metal:
// the same console output (mode-check's included: its rdpsw and wrpsw are
// callouts) and the same final guest state.
TEST_P(Guest, UnderBinaryTranslationEndsAsOnBareMetal) {
  const GuestCase& g = GetParam();
  const assembler::Program p = assemble_ok(g.source);
  const RunOutcome bare = run_bare(p, g.max_instructions);
  const RunOutcome bt = run_virtualized(p, g.max_instructions, vmm::StrategyKind::BT);
  EXPECT_EQ(bt.failure, "");
  ASSERT_TRUE(bt.halted) << g.name << " (bt) did not halt; console so far:\n" << bt.console;
  EXPECT_EQ(bt.console, golden(g));
  EXPECT_EQ(bt.state_hash, bare.state_hash);
  EXPECT_EQ(bt.counters.instructions_kernel, bare.counters.instructions_kernel);
  EXPECT_EQ(bt.counters.instructions_user, bare.counters.instructions_user);
  EXPECT_GT(bt.vmm.bt_callouts, 0u);
  EXPECT_EQ(bt.vmm.emulated, 0u);
  EXPECT_EQ(bt.vmm.sensitive_unprivileged, 0u);
}

INSTANTIATE_TEST_SUITE_P(Guests, Guest, ::testing::ValuesIn(guest_cases()),
                         [](const ::testing::TestParamInfo<GuestCase>& test) {
                           return test.param.name;
                         });

// ---- what particular guests promise -------------------------------------------

RunOutcome run_guest(const std::string& source, const Defines& defines = {},
                     uint64_t max_instructions = 60'000'000) {
  return run_bare(assemble_ok(source, defines), max_instructions);
}

std::string lines_starting_with(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (text.compare(pos, prefix.size(), prefix) == 0) out += text.substr(pos, end - pos) + "\n";
    pos = end + 1;
  }
  return out;
}

TEST(MiniOs, PreemptsDemandPagesAndKillsTheRogue) {
  const RunOutcome o = run_guest("mini-os/mini-os.s");
  ASSERT_TRUE(o.halted);
  EXPECT_GE(o.counters.trap_count(isa::Cause::TIMER), 5u);       // preempted, many times
  EXPECT_EQ(o.counters.trap_count(isa::Cause::PAGE_FAULT), 7u);  // 6 zero pages + C's access
  EXPECT_GT(o.counters.instructions_user, o.counters.instructions_kernel);
  EXPECT_NE(o.console.find("[kernel] C killed: bad access to 0x00008000"), std::string::npos);
}

// The trace depends on coarse timing only: a much shorter or longer timer
// period prints the same (so the VMMs' architectural clocks will too).
TEST(MiniOs, OutputDoesNotDependOnTheTimerPeriod) {
  const std::string expected = golden(guest_cases()[0]);
  for (int64_t period : {2'000'000, 8'000'000}) {
    const RunOutcome o = run_guest("mini-os/mini-os.s", {{"TIMER_PERIOD", period}});
    ASSERT_TRUE(o.halted) << period;
    EXPECT_EQ(o.console, expected) << "TIMER_PERIOD=" << period;
  }
}

TEST(MonolithicVsMicrokernel, SameClientOutputMoreCrossings) {
  const RunOutcome mono = run_guest("monolithic/monolithic.s");
  const RunOutcome micro = run_guest("microkernel/microkernel.s");
  ASSERT_TRUE(mono.halted && micro.halted);
  const std::string client = lines_starting_with(mono.console, "client:");
  EXPECT_FALSE(client.empty());
  EXPECT_EQ(lines_starting_with(micro.console, "client:"), client);
  // The client's requests: 48 puts, 48 gets, a missing key, an overwrite and a get.
  const uint64_t requests = 2 * 48 + 3;
  // Each request: one more system call (the server's reply_recv) and an
  // address-space switch each way.
  EXPECT_GE(micro.counters.trap_count(isa::Cause::SYSCALL),
            mono.counters.trap_count(isa::Cause::SYSCALL) + requests);
  EXPECT_GE(micro.counters.tlb_flushes, 2 * requests);
  EXPECT_LT(mono.counters.tlb_flushes, 10u);
}

TEST(IoDriver, TheRingBatchesWhatThePortsDoOneByOne) {
  const RunOutcome ports = run_guest("io-driver/io-driver.s");
  const RunOutcome ring = run_guest("io-driver/io-driver.s", {{"RING", 1}});
  ASSERT_TRUE(ports.halted && ring.halted);
  EXPECT_EQ(ring.console, ports.console);
  EXPECT_EQ(ports.counters.blk_requests, 7u);
  EXPECT_EQ(ports.counters.trap_count(isa::Cause::DEVICE), 7u);
  EXPECT_EQ(ports.counters.port_in, 7u);
  EXPECT_EQ(ring.counters.ring_requests, 7u);
  EXPECT_EQ(ring.counters.ring_batches, 3u);
  EXPECT_EQ(ring.counters.trap_count(isa::Cause::DEVICE), 3u);
  EXPECT_EQ(ring.counters.port_in, 0u);
}

TEST(PagetableChurn, ParaVirtualBuildBatchesTheUpdates) {
  const RunOutcome o =
      run_paravirt(assemble_ok("pagetable-churn/pagetable-churn.s", kParaVirtual), 2'000'000);
  ASSERT_TRUE(o.halted) << o.failure;
  // 64 rounds x 12 PTE writes go out in one batch per commit: 2 per round, 1 at boot.
  EXPECT_EQ(o.hypercalls.at(isa::Hypercall::MMU_UPDATE), 2u * 64 + 1);
  EXPECT_EQ(o.hypercalls.at(isa::Hypercall::TLB_FLUSH), 2u * 64);
  // ... applied to the shadows without a single write-protect trap.
  EXPECT_EQ(o.vmm.write_protect_traps, 0u);
  EXPECT_EQ(o.vmm.hc_mmu_update, 2u * 64 + 1);
  EXPECT_GE(o.vmm.mmu_update_entries, 64u * 12);
}

// Each nanobenchmark's loop does its operation once per pass: N more passes
// give exactly N more of the counted event.
TEST(Nanobenchmarks, TheCountedEventScalesWithN) {
  struct Nano {
    const char* source;
    uint64_t (*events)(const machine::Counters&);
    uint64_t per_op;
  };
  const Nano nanos[] = {
      {"nano/syscall.s",
       [](const machine::Counters& c) { return c.trap_count(isa::Cause::SYSCALL); }, 1},
      {"nano/in.s", [](const machine::Counters& c) { return c.port_in; }, 1},
      {"nano/cr8wr.s", [](const machine::Counters& c) { return c.instructions(); },
       2},  // di/ei + half a loop
      {"nano/callret.s", [](const machine::Counters& c) { return c.instructions(); }, 4},
      {"nano/pgfault.s",
       [](const machine::Counters& c) { return c.trap_count(isa::Cause::PAGE_FAULT); }, 1},
      {"nano/divzero.s",
       [](const machine::Counters& c) { return c.trap_count(isa::Cause::DIVZERO); }, 1},
      {"nano/ptemod.s", [](const machine::Counters& c) { return c.tlb_invlpgs; }, 1},
  };
  for (const Nano& n : nanos) {
    const RunOutcome a = run_guest(n.source, {{"N", 1000}}, 100'000);
    const RunOutcome b = run_guest(n.source, {{"N", 2000}}, 100'000);
    ASSERT_TRUE(a.halted && b.halted) << n.source;
    EXPECT_EQ(n.events(b.counters) - n.events(a.counters), 1000 * n.per_op) << n.source;
    EXPECT_EQ(a.console, b.console) << n.source;
  }
}

}  // namespace
}  // namespace trapeze::guests_test
