// The ISA table's VMM-policy columns (exit class, BT_INLINE, UIMM, cost class)
// are consistent with its classification flags: the strategies read these
// columns, so a row that sets them wrongly would be run wrongly by a VMM.
// (tests/vmm/table_policy_test.cpp runs every privileged or sensitive row under
// every strategy, pv included, against bare metal.)
#include <gtest/gtest.h>

#include "isa/isa.h"
#include "isa/vm_control_block.h"

namespace trapeze::isa {
namespace {

TEST(PolicyColumns, OnlyPrivilegedOrSensitiveRowsExitExceptHypercall) {
  for (const InsnInfo& i : instructions()) {
    SCOPED_TRACE(std::string(i.mnemonic));
    if (i.exit == ExitClass::NONE) continue;
    EXPECT_TRUE(i.privileged() || i.sensitive() || i.op == Op::HYPERCALL);
    EXPECT_NE(vmcb::exit_rule(i.exit).reason, vmcb::ExitReason::NONE);
  }
}

TEST(PolicyColumns, EveryControlSensitivePrivilegedRowExitsUnderSomeControl) {
  // A hardware-assisted VMM must be able to see every privileged instruction that
  // changes privileged state: one with no exit class would run unseen in guest mode
  // on state the VMM keeps itself.
  for (const InsnInfo& i : instructions()) {
    if (!(i.privileged() && (i.flags & SENS_CTRL))) continue;
    EXPECT_NE(i.exit, ExitClass::NONE) << i.mnemonic;
  }
}

TEST(PolicyColumns, InlineTranslationOnlyForPrivilegedOrSensitiveRowsThatDoNotBranch) {
  for (const InsnInfo& i : instructions()) {
    if (!i.bt_inline()) continue;
    EXPECT_TRUE(i.privileged() || i.sensitive()) << i.mnemonic;
    EXPECT_FALSE(i.flags & BRANCH) << i.mnemonic;
  }
}

TEST(PolicyColumns, UnsignedImmediatesOnlyOnFormatsWithAnImmediate) {
  for (const InsnInfo& i : instructions()) {
    if (!i.imm_unsigned()) continue;
    const bool has_imm16 = i.format == Format::RI || i.format == Format::RRI ||
                           i.format == Format::IMM || i.format == Format::PIN ||
                           i.format == Format::POUT;
    EXPECT_TRUE(has_imm16) << i.mnemonic;
    EXPECT_TRUE(imm_is_unsigned(i.op)) << i.mnemonic;
  }
  EXPECT_TRUE(imm_is_unsigned(Op::ORI));
  EXPECT_FALSE(imm_is_unsigned(Op::ADDI));
}

TEST(PolicyColumns, CostClassesFollowTheFlags) {
  for (const InsnInfo& i : instructions()) {
    SCOPED_TRACE(std::string(i.mnemonic));
    if (i.flags & (LOAD | STORE)) {
      EXPECT_EQ(i.cost, CostClass::MEM);
    }
    if (i.privileged() || i.sensitive() || (i.flags & TRAP)) {
      EXPECT_TRUE(i.cost == CostClass::SYSTEM || i.cost == CostClass::RTI ||
                  i.cost == CostClass::TLB_FLUSH || i.cost == CostClass::PORT_IO);
    }
  }
}

}  // namespace
}  // namespace trapeze::isa
