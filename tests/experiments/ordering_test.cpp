// The nanobenchmark table has the published shape (Adams & Agesen, ASPLOS 2006,
// Fig. 4 and section 6; Bhargava et al. 2008 for nested paging): orderings between
// strategies, not exact numbers; the test prints the pairs it checked.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "experiments/nano.h"
#include "experiments_test_util.h"

namespace trapeze::experiments {
namespace {

using vmm::StrategyKind;

enum class Relation { Less, Equal, AtMostTwice };

struct Ordering {
  const char* op;
  StrategyKind a;
  Relation rel;
  StrategyKind b;
  const char* why;
};

// clang-format off
constexpr Ordering kOrderings[] = {
  // hardware vs binary translation (Adams & Agesen)
  {"syscall",  StrategyKind::HW,        Relation::Less,  StrategyKind::BT,     "hardware assistance wins system calls (no exit)"},
  {"call-ret", StrategyKind::HW,        Relation::Equal, StrategyKind::NATIVE, "hardware costs nothing extra on call/return"},
  {"in",       StrategyKind::BT,        Relation::Less,  StrategyKind::HW,     "BT emulates the port in the VMM; hardware pays an exit"},
  {"ptemod",   StrategyKind::BT,        Relation::Less,  StrategyKind::HW,     "BT's shadow update beats an exit per page-table write"},
  {"pgfault",  StrategyKind::BT,        Relation::Less,  StrategyKind::HW,     "BT's hidden fault beats an exit plus the shadow fill"},
  {"call-ret", StrategyKind::NATIVE,    Relation::Less,  StrategyKind::BT,     "BT pays for indirect control flow (ret)"},
  {"divzero",  StrategyKind::HW,        Relation::Less,  StrategyKind::BT,     "hardware delivers guest exceptions near natively"},
  // nested paging (Bhargava et al.)
  {"ptemod",   StrategyKind::HW_NESTED, Relation::Less,  StrategyKind::HW,     "nested paging removes the page-table-write exits"},
  {"ptemod",   StrategyKind::HW_NESTED, Relation::AtMostTwice, StrategyKind::NATIVE, "under nested paging a PTE write is a plain store"},
  // what holds among native, trap-and-emulate and para-virtualization
  {"syscall",  StrategyKind::NATIVE,    Relation::Less,  StrategyKind::TRAP,   "a deprivileged kernel's syscall goes through the VMM"},
  {"in",       StrategyKind::TRAP,      Relation::Less,  StrategyKind::NATIVE, "an emulated port beats a slow real one"},
  {"cr8wr",    StrategyKind::NATIVE,    Relation::Less,  StrategyKind::TRAP,   "di/ei trap and are emulated"},
  {"cr8wr",    StrategyKind::PV,        Relation::Less,  StrategyKind::TRAP,   "a hypercall is cheaper than trap + decode + emulate"},
  {"call-ret", StrategyKind::TRAP,      Relation::Equal, StrategyKind::NATIVE, "unprivileged code runs directly"},
  {"call-ret", StrategyKind::PV,        Relation::Equal, StrategyKind::NATIVE, "unprivileged code runs directly"},
  {"pgfault",  StrategyKind::NATIVE,    Relation::Less,  StrategyKind::TRAP,   "a guest page fault is reflected by the VMM"},
  {"divzero",  StrategyKind::NATIVE,    Relation::Less,  StrategyKind::TRAP,   "a guest exception is reflected by the VMM"},
  {"ptemod",   StrategyKind::NATIVE,    Relation::Less,  StrategyKind::TRAP,   "shadow paging traps every page-table write"},
  {"ptemod",   StrategyKind::PV,        Relation::Less,  StrategyKind::TRAP,   "a hypercall update beats a write-protect trap"},
};
// clang-format on

size_t op_index(const char* name) {
  for (size_t i = 0; i < kNumNanoOps; ++i)
    if (kNanoOps[i].op == name) return i;
  ADD_FAILURE() << "no nanobenchmark " << name;
  return 0;
}

// One run of the whole table for every test of this file.
const NanoTable& nano_table() {
  static NanoTable* table = [] {
    auto* t = new NanoTable(experiments_test::repo_sources());
    t->run_to_end();
    return t;
  }();
  return *table;
}

const char* relation_text(Relation r) {
  switch (r) {
    case Relation::Less: return "<";
    case Relation::Equal: return "==";
    case Relation::AtMostTwice: return "<= 2 x";
  }
  return "?";
}

TEST(Ordering, NanobenchmarkTableHasThePublishedShape) {
  const NanoTable& table = nano_table();
  ASSERT_EQ(table.error(), "");
  ASSERT_EQ(table.table().rows.size(), kNumNanoOps);
  std::printf("%s", table.table().markdown().c_str());

  int checked = 0;
  for (const Ordering& o : kOrderings) {
    const char* an = vmm::strategy_name(o.a).data();
    const char* bn = vmm::strategy_name(o.b).data();
    const size_t op = op_index(o.op);
    const auto a = table.cycles(op, o.a);
    const auto b = table.cycles(op, o.b);
    // Every strategy must run every nanobenchmark correctly.
    ASSERT_TRUE(a && b) << o.op << ": " << an << " or " << bn << " has no number";
    switch (o.rel) {
      case Relation::Less: EXPECT_LT(*a, *b) << o.op << ": " << an << " < " << bn << " (" << o.why << ")"; break;
      case Relation::Equal: EXPECT_DOUBLE_EQ(*a, *b) << o.op << ": " << an << " == " << bn << " (" << o.why << ")"; break;
      case Relation::AtMostTwice: EXPECT_LE(*a, 2 * *b) << o.op << ": " << an << " <= 2 x " << bn << " (" << o.why << ")"; break;
    }
    std::printf("checked: %-8s %s %s %s: %.1f vs %.1f (%s)\n", o.op, an, relation_text(o.rel), bn, *a, *b, o.why);
    ++checked;
  }
  std::printf("%d orderings checked\n", checked);
  EXPECT_GT(checked, 0);
}

// Every strategy runs every nanobenchmark correctly (trap included: none of them
// depends on the sensitive-but-unprivileged instructions).
TEST(Ordering, EveryStrategyRunsEveryNanoCorrectly) {
  const NanoTable& table = nano_table();
  ASSERT_EQ(table.error(), "");
  for (size_t op = 0; op < kNumNanoOps; ++op)
    for (const vmm::StrategyInfo& s : vmm::kStrategies)
      EXPECT_TRUE(table.cycles(op, s.kind).has_value()) << kNanoOps[op].op << " under " << s.name;
}

}  // namespace
}  // namespace trapeze::experiments
