// Co-simulation over every guest kernel in guests/: each runs under
// trap-and-emulate to the same console output, the same final guest state and the
// same retired-instruction counts as on bare metal — except mode-check, whose
// divergence is the documented failure of trap-and-emulate (sensitive_test.cpp).
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

TEST(GuestsCosimulation, EveryGuestMatchesBareMetalUnderTrapAndEmulate) {
  const std::vector<std::string> sources = guest_sources();
  ASSERT_FALSE(sources.empty());
  for (const std::string& path : sources) {
    SCOPED_TRACE(path);
    const assembler::Program p = assemble_file(path);
    if (::testing::Test::HasFailure()) return;
    GuestConfig native_config = guest_config(p, StrategyKind::NATIVE, 1u << 20);
    GuestConfig trap_config = guest_config(p, StrategyKind::TRAP, 1u << 20);
    // A bound, as the CLI's default: a guest that never halts fails, but quickly.
    native_config.max_instructions = trap_config.max_instructions = 100'000'000;
    auto vmm = make_vmm({native_config, trap_config});
    ASSERT_TRUE(vmm);
    ASSERT_TRUE(run_to_end(*vmm, 50'000'000, 100));
    const Guest& native = vmm->guest(0);
    const Guest& trap = vmm->guest(1);
    EXPECT_EQ(native.state, GuestState::Halted) << native.reason;
    if (path.find("mode-check") != std::string::npos) {
      EXPECT_NE(native.console(), trap.console()) << "the sensitive instructions went unnoticed";
      continue;
    }
    expect_same_guest_state(native, trap);
    EXPECT_GT(trap.counters.vmm.emulated, 0u);
  }
}

// Binary translation has no divergence to document: the guest kernel's rdpsw,
// wrpsw and sptr are callouts, so mode-check matches bare metal too.
TEST(GuestsCosimulation, EveryGuestMatchesBareMetalUnderBinaryTranslation) {
  const std::vector<std::string> sources = guest_sources();
  ASSERT_FALSE(sources.empty());
  for (const std::string& path : sources) {
    SCOPED_TRACE(path);
    const assembler::Program p = assemble_file(path);
    if (::testing::Test::HasFailure()) return;
    GuestConfig native_config = guest_config(p, StrategyKind::NATIVE, 1u << 20);
    GuestConfig bt_config = guest_config(p, StrategyKind::BT, 1u << 20);
    native_config.max_instructions = bt_config.max_instructions = 100'000'000;
    auto vmm = make_vmm({native_config, bt_config});
    ASSERT_TRUE(vmm);
    ASSERT_TRUE(run_to_end(*vmm, 50'000'000, 100));
    const Guest& native = vmm->guest(0);
    const Guest& bt = vmm->guest(1);
    EXPECT_EQ(native.state, GuestState::Halted) << native.reason;
    expect_same_guest_state(native, bt);
    const VmmCounters& c = bt.counters.vmm;
    EXPECT_GT(c.bt_blocks_translated, 0u);
    EXPECT_GT(c.bt_callouts, 0u);
    EXPECT_EQ(c.emulated, 0u) << "a privileged guest-kernel instruction trapped";
    EXPECT_EQ(c.sensitive_unprivileged, 0u) << "a hole ran untranslated in the guest kernel";
  }
}

}  // namespace
}  // namespace trapeze::vmm::testing
