// `trapeze run`: the real binary on small programs (console, counters, JSON keys,
// limits, errors and exit codes).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/shell.h"

namespace {

using Output = ShellOutput;

Output trapeze(const std::string& args) {
  return run_shell(std::string(TRAPEZE_CLI_PATH) + " " + args + " 2>&1");
}

std::string write_source(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "trapeze_run_" + name;
  std::ofstream(path) << text;
  return path;
}

const char* kHello = R"(
_start: lui   r1, msg >> 16
        ori   r1, r1, msg & 0xffff
loop:   ldb   r2, 0(r1)
        beq   r2, r0, done
        out   PORT_CONSOLE, r2
        addi  r1, r1, 1
        jmp   loop
done:   halt
msg:    .asciz "hi\n"
)";

TEST(CliRun, PrintsConsoleAndCounters) {
  const Output o = trapeze("run " + write_source("hello.s", kHello));
  EXPECT_EQ(o.exit_code, 0) << o.out;
  EXPECT_EQ(o.out.substr(0, 3), "hi\n");
  EXPECT_NE(o.out.find("halted"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("instructions"), std::string::npos);
  EXPECT_NE(o.out.find("state hash"), std::string::npos);
}

TEST(CliRun, JsonHasTheStableKeys) {
  const Output o = trapeze("run --json " + write_source("hello.s", kHello));
  ASSERT_EQ(o.exit_code, 0) << o.out;
  const auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["console"], "hi\n");
  EXPECT_EQ(j["halted"], true);
  EXPECT_EQ(j["stop_reason"], "halted");
  const auto& m = j["counters"]["machine"];
  EXPECT_EQ(m["instructions_kernel"], 2 + 5 * 3 + 2 + 1);  // lui, ori, 3 chars x 5, last ldb+beq, halt
  EXPECT_EQ(m["instructions_user"], 0);
  EXPECT_GT(m["cycles"].get<uint64_t>(), 3u * 3200u);
  EXPECT_EQ(m["traps"]["SYSCALL"], 0);
  EXPECT_EQ(m["traps"].size(), 10u);
  EXPECT_TRUE(m.contains("dtlb_hits"));
  EXPECT_TRUE(m.contains("itlb_misses"));
  EXPECT_EQ(m["port_out"], 3);
  // No VMM on a bare machine: its half of the shape is all zero.
  EXPECT_EQ(j["counters"]["vmm"]["world_switches"], 0);
  EXPECT_EQ(j["state_hash"].get<std::string>().size(), 16u);
  // Deterministic: a second run prints exactly the same.
  EXPECT_EQ(trapeze("run --json " + write_source("hello.s", kHello)).out, o.out);
}

TEST(CliRun, InstructionLimitStopsAnInfiniteLoop) {
  const Output o = trapeze("run --json --max-instr 12345 " + write_source("spin.s", "spin: jmp spin\n"));
  ASSERT_EQ(o.exit_code, 0) << o.out;
  const auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["stop_reason"], "budget");
  EXPECT_EQ(j["halted"], false);
  EXPECT_EQ(j["counters"]["machine"]["instructions_kernel"], 12345);
}

TEST(CliRun, TrapsAreCountedByCause) {
  const char* src = R"(
_start: lui   r1, handler >> 16
        ori   r1, r1, handler & 0xffff
        ldtvec r1
        syscall
        syscall
        halt
handler: rti
)";
  const auto j = nlohmann::json::parse(trapeze("run --json " + write_source("sys.s", src)).out);
  EXPECT_EQ(j["counters"]["machine"]["traps"]["SYSCALL"], 2);
  EXPECT_EQ(j["halted"], true);
}

TEST(CliRun, DefinesSelectConditionalAssembly) {
  const char* src = R"(
_start:
.ifdef LOUD
        addi r1, r0, 'L'
.else
        addi r1, r0, 'q'
.endif
        out  PORT_CONSOLE, r1
        halt
)";
  const std::string path = write_source("cond.s", src);
  EXPECT_EQ(nlohmann::json::parse(trapeze("run --json " + path).out)["console"], "q");
  EXPECT_EQ(nlohmann::json::parse(trapeze("run --json -D LOUD " + path).out)["console"], "L");
}

TEST(CliRun, AssemblyErrorsExitOne) {
  const Output o = trapeze("run " + write_source("bad.s", "  addi r1, r0\n  frob r2\n"));
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.out.find("bad.s:1:"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("bad.s:2:"), std::string::npos) << o.out;
}

TEST(CliRun, BadOptionsExitOneWithAMessage) {
  const std::string path = write_source("hello.s", kHello);
  for (const std::string args : {"--max-instr abc", "--max-instr 0", "--max-instr", "--mem 1000",
                                 "--mem 1G", "--tlb 0", "--tlb 2000", "--frobnicate"}) {
    const Output o = trapeze("run " + path + " " + args);
    EXPECT_EQ(o.exit_code, 1) << args;
    EXPECT_NE(o.out.find("trapeze run: "), std::string::npos) << args << ": " << o.out;
  }
  EXPECT_EQ(trapeze("run").exit_code, 1);
  EXPECT_EQ(trapeze("run /nonexistent/x.s").exit_code, 1);
}

TEST(CliRun, MemoryAndTlbOptions) {
  const std::string far = write_source("far.s", ".org 0x20000\n_start: halt\n");
  EXPECT_EQ(trapeze("run " + far + " --mem 64K").exit_code, 1);
  EXPECT_EQ(trapeze("run " + far + " --mem 256K --tlb 8").exit_code, 0);
  EXPECT_EQ(trapeze("run " + far + " --mem 0x40000").exit_code, 0);
}

}  // namespace
