// The check engine on real runs: each kind passes and fails where the simulated
// machine says it should; the student's source replaces the starter; a source
// that does not assemble stops the step with its errors; predictions are judged
// against what was measured; results_to_json has the documented shape.
#include <gtest/gtest.h>

#include "bundle/bundled_files.h"
#include "lab/check.h"
#include "lab/lab.h"

namespace trapeze::lab {
namespace {

Lab parse_ok(const std::string& text) {
  const ParseResult r = parse(text, "labs/t.md", bundle::reader());
  for (const Diagnostic& d : r.errors) ADD_FAILURE() << d.format();
  if (!r.lab) throw std::runtime_error("lab does not parse");
  return *r.lab;
}

const CheckResult& by_id(const StepResult& r, const std::string& id) {
  for (const CheckResult& c : r.checks)
    if (c.id == id) return c;
  throw std::runtime_error("no check " + id);
}

// The U/K-bit problem: mode-check prints a wrong mode under trap-and-emulate.
constexpr const char* kUkLab = R"(---
title: UK
---
## S
```scenario
preset: uk-bit-problem
```
```check
id: pv-same
name: pv equals bare metal
kind: console-bare-metal
guest: para-virtual
```
```check
id: trap-same
name: trap equals bare metal
kind: console-bare-metal
guest: trap-and-emulate
```
```check
id: native-same
name: bare metal is its own reference
kind: console-bare-metal
guest: bare metal
```
```check
id: halts
name: halts
kind: halted
guest: para-virtual
```
```check
id: fewer
name: pv emulates fewer than trap
kind: counter
guest: para-virtual
counter: vmm.emulated
expect: < guest trap-and-emulate
```
```check
id: more
name: pv emulates more than trap
kind: counter
guest: para-virtual
counter: vmm.emulated
expect: > guest trap-and-emulate
```
```check
id: no-vmm
name: no VMM cycles on bare metal
kind: accounting
guest: bare metal
part: vmm
expect: == 0
```
```check
id: vmm
name: VMM cycles under trap
kind: accounting
guest: trap-and-emulate
part: vmm
expect: == 0
points: 5
```
```predict
id: exact
question: how many?
guest: bare metal
measure: vmm.emulated
```
```predict
id: which
question: which is slower?
options: bare metal | trap-and-emulate | para-virtual
measure: machine.cycles
pick: largest
```
)";

TEST(LabCheck, ConsoleCountersAccountingAndPredictions) {
  const Lab lab = parse_ok(kUkLab);
  const StepResult r = check_step(lab, 0, {}, {{"exact", " 0 "}, {"which", "para-virtual"}});
  ASSERT_EQ(r.error, "");
  EXPECT_TRUE(by_id(r, "pv-same").passed) << by_id(r, "pv-same").measured;
  const CheckResult& trap = by_id(r, "trap-same");
  EXPECT_FALSE(trap.passed);
  EXPECT_EQ(trap.measured.rfind("line ", 0), 0u) << trap.measured;  // where it departs
  EXPECT_NE(trap.measured, trap.expected);
  EXPECT_TRUE(by_id(r, "native-same").passed);
  EXPECT_TRUE(by_id(r, "halts").passed);
  // pv asks by hypercall and takes no timer interrupts in its critical section:
  // it emulates fewer instructions than trap-and-emulate (111 against 271).
  EXPECT_TRUE(by_id(r, "fewer").passed) << by_id(r, "fewer").measured;
  EXPECT_FALSE(by_id(r, "more").passed) << by_id(r, "more").measured;
  EXPECT_TRUE(by_id(r, "no-vmm").passed);
  EXPECT_FALSE(by_id(r, "vmm").passed);
  EXPECT_EQ(by_id(r, "vmm").points, 0);
  EXPECT_EQ(by_id(r, "vmm").max_points, 5);
  EXPECT_EQ(by_id(r, "halts").points, 1);
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.max_score(), 12);
  ASSERT_EQ(r.predictions.size(), 2u);
  EXPECT_TRUE(r.predictions[0].answered);
  EXPECT_TRUE(r.predictions[0].correct);  // bare metal emulates nothing
  EXPECT_EQ(r.predictions[0].measured, "0");
  EXPECT_TRUE(r.predictions[1].answered);
  // Bare metal pays a device's 3200 cycles for each console out, the VMM 720 for
  // emulating one: bare metal is the slowest of the three, so "para-virtual" is wrong.
  EXPECT_EQ(r.predictions[1].expected, "bare metal") << r.predictions[1].measured;
  EXPECT_FALSE(r.predictions[1].correct);
}

TEST(LabCheck, UnansweredPredictionsAreNotCorrect) {
  const Lab lab = parse_ok(kUkLab);
  const StepResult r = check_step(lab, 0, {}, {});
  ASSERT_EQ(r.predictions.size(), 2u);
  EXPECT_FALSE(r.predictions[0].answered);
  EXPECT_FALSE(r.predictions[0].correct);
  EXPECT_FALSE(r.predictions[1].correct);
}

constexpr const char* kKernelLab = R"(---
title: K
---
## S
```scenario
{"version": 1, "guests": [{"name": "k", "source": "_start: halt\n", "strategy": "trap", "memory": "16K"}]}
```
```starter k
_start:
    li r1, 7
    out PORT_CONSOLE, r1
    halt
```
```check
id: says
name: prints hello
kind: console-contains
text: hello
guest: k
```
```check
id: exact
name: prints exactly hello
kind: console-equals
text: "hello\n"
guest: k
```
```check
id: halts
name: halts
kind: halted
guest: k
```
```check
id: alive
name: does not crash
kind: not-crashed
guest: k
```
)";

constexpr const char* kHello = R"(_start:
    la r2, msg
loop:
    ldb r1, 0(r2)
    beqz r1, done
    out PORT_CONSOLE, r1
    addi r2, r2, 1
    b loop
done:
    halt
msg: .asciz "hello\n"
)";

TEST(LabCheck, TheSubmissionReplacesTheStarter) {
  const Lab lab = parse_ok(kKernelLab);
  const StepResult starter = check_step(lab, 0, {}, {});
  ASSERT_EQ(starter.error, "");
  EXPECT_FALSE(by_id(starter, "says").passed);
  EXPECT_FALSE(by_id(starter, "exact").passed);
  EXPECT_TRUE(by_id(starter, "halts").passed);

  const StepResult mine = check_step(lab, 0, {{"k", kHello}}, {});
  ASSERT_EQ(mine.error, "");
  EXPECT_TRUE(mine.passed());
  EXPECT_EQ(mine.score(), 4);
}

TEST(LabCheck, ACrashIsACrash) {
  const Lab lab = parse_ok(kKernelLab);
  // A load from beyond the guest's 16K of memory, its trap vector out there too:
  // the fault cannot be delivered (a triple fault).
  const StepResult r =
      check_step(lab, 0, {{"k", "_start:\n    li r2, 0x7FFFF000\n    ldtvec r2\n    ldw r1, 0(r2)\n    halt\n"}}, {});
  ASSERT_EQ(r.error, "");
  EXPECT_FALSE(by_id(r, "halts").passed);
  EXPECT_FALSE(by_id(r, "alive").passed) << by_id(r, "alive").measured;
  EXPECT_EQ(by_id(r, "alive").measured.rfind("crashed", 0), 0u) << by_id(r, "alive").measured;
}

TEST(LabCheck, ASubmissionThatDoesNotAssembleStopsTheStepWithItsErrors) {
  const Lab lab = parse_ok(kKernelLab);
  const StepResult r = check_step(lab, 0, {{"k", "_start:\n    bogus r1\n"}}, {});
  EXPECT_NE(r.error.find("does not assemble"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find(":2:"), std::string::npos) << r.error;  // its line
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.score(), 0);
  ASSERT_EQ(r.checks.size(), 4u);
  for (const CheckResult& c : r.checks) EXPECT_FALSE(c.passed);
}

TEST(LabCheck, ExperimentRowsAgainstNumbersAndColumns) {
  const Lab lab = parse_ok(R"(---
title: E
---
## S
```scenario
preset: uk-bit-problem
```
```check
id: big
name: a big TLB rarely misses
kind: experiment
experiment: tlb
row: tlb_entries=256
column: tlb_misses
expect: < 100
```
```check
id: small
name: a small TLB rarely misses
kind: experiment
experiment: tlb
row: tlb_entries=4
column: tlb_misses
expect: < 100
```
```check
id: walks
name: each miss walks
kind: experiment
experiment: tlb
row: tlb_entries=4
column: walk_refs
expect: > column tlb_misses
```
```check
id: none
name: no such row
kind: experiment
experiment: tlb
row: tlb_entries=5
column: cycles
expect: > 0
```
)");
  const StepResult r = check_step(lab, 0, {}, {});
  ASSERT_EQ(r.error, "");
  EXPECT_TRUE(by_id(r, "big").passed) << by_id(r, "big").measured;
  EXPECT_FALSE(by_id(r, "small").passed) << by_id(r, "small").measured;
  EXPECT_TRUE(by_id(r, "walks").passed) << by_id(r, "walks").measured;
  EXPECT_FALSE(by_id(r, "none").passed);
  EXPECT_EQ(by_id(r, "none").measured, "no row tlb_entries=5");
}

TEST(LabCheck, ResultsJsonHasTheDocumentedShape) {
  const Lab lab = parse_ok(kKernelLab);
  const nlohmann::ordered_json j = results_to_json(lab, {check_step(lab, 0, {{"k", kHello}}, {})});
  EXPECT_EQ(j["lab"], "t");
  EXPECT_EQ(j["title"], "K");
  EXPECT_EQ(j["passed"], true);
  EXPECT_EQ(j["score"], 4);
  EXPECT_EQ(j["max_score"], 4);
  ASSERT_EQ(j["steps"].size(), 1u);
  const auto& s = j["steps"][0];
  EXPECT_EQ(s["step"], 1);
  EXPECT_EQ(s["title"], "S");
  EXPECT_EQ(s["error"], "");
  const auto& c = s["checks"][0];
  for (const char* key : {"id", "name", "kind", "guest", "task", "passed", "measured", "expected", "points", "max_points"})
    EXPECT_TRUE(c.contains(key)) << key;
  EXPECT_EQ(c["kind"], "console-contains");
  EXPECT_EQ(c["guest"], "k");
  EXPECT_TRUE(s["predictions"].is_array());
}

// Sliced checking (the browser's frame loop) gives what one call gives.
TEST(LabCheck, SlicedCheckingGivesTheSameResult) {
  const Lab lab = parse_ok(kUkLab);
  const Answers answers = {{"exact", "0"}, {"which", "trap-and-emulate"}};
  const nlohmann::ordered_json whole = results_to_json(lab, {check_step(lab, 0, {}, answers)});
  StepChecker sliced(lab, 0, {}, answers);
  int calls = 1;
  while (!sliced.advance(20'000)) ++calls;
  EXPECT_GT(calls, 3);  // it did come back between slices
  EXPECT_TRUE(sliced.done());
  EXPECT_EQ(results_to_json(lab, {sliced.result()}), whole);
}

TEST(LabCheck, AStepThatDoesNotExist) {
  const Lab lab = parse_ok(kKernelLab);
  EXPECT_NE(check_step(lab, 7, {}, {}).error, "");
}

}  // namespace
}  // namespace trapeze::lab
