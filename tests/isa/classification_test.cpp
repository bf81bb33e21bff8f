// The class columns of the instruction table and the constants next to it are
// consistent: the Popek–Goldberg check and the VMM strategies depend on them.
#include <gtest/gtest.h>

#include <set>

#include "isa/isa.h"
#include "isa/ports.h"
#include "isa/vm_control_block.h"

namespace trapeze::isa {
namespace {

TEST(IsaClassification, PrivilegedInstructionsAreSensitive) {
  // A privileged instruction that touched no privileged state would trap for nothing.
  for (const InsnInfo& i : instructions())
    if (i.privileged()) {
      EXPECT_TRUE(i.sensitive()) << i.mnemonic;
    }
}

TEST(IsaClassification, TrappingInstructionsAreTrapOrPrivilegedButNotBoth) {
  for (const InsnInfo& i : instructions()) {
    EXPECT_FALSE(i.privileged() && (i.flags & TRAP)) << i.mnemonic;
    if (i.flags & TRAP) {
      EXPECT_TRUE(i.traps_in_user_mode()) << i.mnemonic;
    }
  }
  // The all-zero word always raises ILLEGAL, in any mode.
  EXPECT_TRUE(info(Op::ILLEGAL).traps_in_user_mode());
}

TEST(IsaClassification, EveryHoleIsSensitiveUnprivilegedAndDoesNotTrap) {
  int holes = 0;
  for (const InsnInfo& i : instructions()) {
    EXPECT_EQ(i.virtualization_hole(), i.sensitive() && !i.privileged() && !(i.flags & TRAP))
        << i.mnemonic;
    holes += i.virtualization_hole();
  }
  EXPECT_EQ(holes, 3);
}

TEST(IsaClassification, ControlTransfersEndBasicBlocks) {
  for (const InsnInfo& i : instructions()) {
    if (i.format == Format::BR || i.format == Format::J) {
      EXPECT_TRUE(i.flags & BRANCH) << i.mnemonic;
    }
    if (i.flags & (BRANCH | TRAP | PRIV)) {
      EXPECT_TRUE(i.ends_block()) << i.mnemonic;
    }
  }
  EXPECT_FALSE(info(Op::ADD).ends_block());
}

TEST(IsaClassification, MemoryFlagsMatchTheFormats) {
  for (const InsnInfo& i : instructions()) {
    if (i.format == Format::LOAD) {
      EXPECT_TRUE(i.flags & LOAD) << i.mnemonic;
    }
    if (i.format == Format::STORE) {
      EXPECT_TRUE(i.flags & STORE) << i.mnemonic;
    }
  }
  EXPECT_TRUE(info(Op::PUSH).flags & STORE);
  EXPECT_TRUE(info(Op::POP).flags & LOAD);
}

TEST(IsaConstants, PortsCausesAndControlRegistersAreDistinct) {
  std::set<uint16_t> ports;
  for (const PortInfo& p : kPorts) EXPECT_TRUE(ports.insert(p.number).second) << p.name;
  std::set<std::string_view> cause_names;
  for (int c = 0; c < 256; ++c) {
    const std::string_view name = cause_name(Cause(c));
    if (name != "UNKNOWN") {
      EXPECT_TRUE(cause_names.insert(name).second) << name;
    }
  }
  EXPECT_EQ(cause_names.size(), 11u);
  EXPECT_TRUE(is_interrupt(Cause::TIMER));
  EXPECT_FALSE(is_interrupt(Cause::PAGE_FAULT));
  for (int cr = 0; cr < kNumControlRegs; ++cr) EXPECT_EQ(parse_cr(cr_name(cr)), cr);
  EXPECT_FALSE(parse_cr("psw"));
}

TEST(IsaConstants, FaultDetailBitsLieAboveTheCauseCode) {
  for (uint32_t bit : {fault::WRITE, fault::EXEC, fault::PROTECTION, fault::USER})
    EXPECT_GE(bit, 0x100u);
  EXPECT_EQ(psw::PRIVILEGED_BITS & psw::FLAGS, 0u);
  EXPECT_EQ(psw::WRITABLE & psw::PRIVILEGED_BITS, psw::PRIVILEGED_BITS);
}

TEST(IsaConstants, ControlBlockFieldsFitAndAreAligned) {
  const uint32_t fields[] = {
      vmcb::EXIT_CONTROLS, vmcb::EXIT_REASON, vmcb::EXIT_QUAL, vmcb::FLAGS,      vmcb::NESTED_ROOT,
      vmcb::GUEST_PC,      vmcb::GUEST_PSW,   vmcb::GUEST_PTR, vmcb::GUEST_TVEC, vmcb::GUEST_TIMER,
      vmcb::EXIT_INSN,     vmcb::EXIT_INFO,   vmcb::EXIT_ADDR, vmcb::EVENT_INJECT, vmcb::EVENT_BADADDR,
      vmcb::ASID};
  for (uint32_t f : fields) {
    EXPECT_EQ(f % 4, 0u);
    EXPECT_LT(f, vmcb::SIZE);
  }
  EXPECT_EQ(vmcb::GUEST_CR + 4 * kNumControlRegs, vmcb::GUEST_TIMER);
  EXPECT_EQ(vmcb::GUEST_REGS + 4 * kNumRegs, vmcb::EXIT_INSN);
  EXPECT_LT(uint32_t(vmcb::ExitReason::DEVICE), uint32_t(vmcb::kNumExitReasons));
  // An injected event's CAUSE value (cause | detail bits) never reaches the valid bit.
  EXPECT_GT(vmcb::EVENT_VALID, fault::USER | 0xFFu);
}

TEST(IsaConstants, PagingSplitsAnAddressIntoTwoTenBitIndexesAndAnOffset) {
  EXPECT_EQ(kPageSize, 1u << kPageShift);
  EXPECT_EQ(l1_index(0xFFC00000u), 0x3FFu);
  EXPECT_EQ(l2_index(0x003FF000u), 0x3FFu);
  EXPECT_EQ(l1_index(0x00400000u), 1u);
  EXPECT_EQ(l2_index(0x00001000u), 1u);
  EXPECT_EQ(pte::FRAME & (pte::P | pte::W | pte::U | pte::A | pte::D), 0u);
}

}  // namespace
}  // namespace trapeze::isa
