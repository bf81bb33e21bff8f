// Isolation: no instruction sequence in one guest reaches another guest's memory
// or the VMM's. A scanner reads every page it can form — every physical address
// with paging off, every frame number through its own page table with paging on —
// while secrets sit in the guests placed below and above it and in the VMM area.
#include <algorithm>

#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

constexpr uint32_t kSecretGuestBelow = 0x5EC2E7A1;
constexpr uint32_t kSecretGuestAbove = 0x5EC2E7B2;
constexpr uint32_t kSecretVmm = 0x5EC2E7C3;
constexpr uint32_t kOwnMarker = 0x5E0E0E0E;

assembler::Program victim(uint32_t secret) {
  char text[256];
  std::snprintf(text, sizeof text,
                "        halt\n        .org 0x800\n        .word 0x%08x, 0x%08x\n", secret, secret);
  return assemble(text);
}

bool contains_word(std::span<const uint8_t> bytes, uint32_t w) {
  for (size_t i = 0; i + 4 <= bytes.size(); ++i)
    if (machine::load_le32(bytes.data() + i) == w) return true;
  return false;
}

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

TEST(Isolation, AScannerFindsOnlyItsOwnMemory) {
  const assembler::Program scanner = assemble_file("tests/vmm/guests/scanner.s");
  auto vmm =
      make_vmm({guest_config(victim(kSecretGuestBelow), StrategyKind::TRAP, 64u << 10, "below"),
                guest_config(scanner, StrategyKind::TRAP, 64u << 10, "scanner"),
                guest_config(victim(kSecretGuestAbove), StrategyKind::TRAP, 64u << 10, "above"),
                guest_config(scanner, StrategyKind::NATIVE, 64u << 10, "scanner-native")});
  ASSERT_TRUE(vmm);
  // Plant a secret in the VMM area: its own page, and every reserved control-block page.
  auto& host = const_cast<machine::Machine&>(vmm->host());  // a test may poke the host
  host.poke32(0x40, kSecretVmm);
  for (size_t i = 0; i < 3; ++i) host.poke32(vmm->placement(i)->control_block + 8, kSecretVmm);
  ASSERT_TRUE(run_to_end(*vmm, 50'000'000, 100));

  const Guest& g = vmm->guest(1);
  ASSERT_EQ(g.state, GuestState::Halted) << g.reason;
  // The probe worked: it found its own marker, once with paging off, once with paging on.
  EXPECT_EQ(g.console(), hex(kOwnMarker) + "\n" + hex(kOwnMarker) + "\n");
  std::vector<uint8_t> mem(g.memory.size);
  ASSERT_TRUE(vmm->read_guest_physical(1, 0, mem));
  const uint32_t count = machine::load_le32(mem.data() + 0x1004);
  ASSERT_EQ(count, 2u);
  for (uint32_t i = 0; i < count; ++i)
    EXPECT_EQ(~machine::load_le32(mem.data() + 0x1008 + 4 * i), kOwnMarker);
  // And nothing of anyone else's anywhere it could keep it.
  for (uint32_t secret : {kSecretGuestBelow, kSecretGuestAbove, kSecretVmm}) {
    EXPECT_FALSE(contains_word(mem, secret)) << hex(secret);
    EXPECT_FALSE(contains_word(mem, ~secret)) << hex(secret);
    EXPECT_EQ(std::count(std::begin(g.vcpu.cpu.r), std::end(g.vcpu.cpu.r), secret), 0);
    EXPECT_EQ(g.console().find(hex(secret)), std::string::npos);
  }
  // The faults it took were its own, reflected like on a bare machine of its size:
  // the same console and final state as the scanner on bare metal.
  expect_same_guest_state(vmm->guest(3), g);
  EXPECT_GT(g.counters.vmm.reflected_faults, 4000u);
  // The victims are untouched.
  for (size_t i : {0u, 2u}) {
    EXPECT_EQ(vmm->guest(i).state, GuestState::Halted);
    uint32_t w = 0;
    ASSERT_TRUE(vmm->read_guest_physical(i, 0x800, {reinterpret_cast<uint8_t*>(&w), 4}));
    EXPECT_EQ(w, i == 0 ? kSecretGuestBelow : kSecretGuestAbove);
  }
}

// Inspection agrees: nothing the VMM built for a guest maps outside its region.
TEST(Isolation, PhysicalMapsAndShadowsMapOnlyTheGuestsOwnRegion) {
  const assembler::Program k = assemble_file("tests/vmm/guests/kernel.s");
  auto vmm = make_vmm({guest_config(k, StrategyKind::TRAP, 256u << 10, "a"),
                       guest_config(k, StrategyKind::TRAP, 128u << 10, "b")});
  ASSERT_TRUE(vmm && run_to_end(*vmm));
  const machine::Machine& host = vmm->host();
  for (size_t i = 0; i < 2; ++i) {
    const GuestPlacement& p = *vmm->placement(i);
    std::vector<uint32_t> roots = {p.physmap_base};
    for (uint32_t pg = 0; pg < kShadowPoolPages; ++pg)
      roots.push_back(p.pool_base + pg * isa::kPageSize);
    // Every present leaf entry in the physical map and in any pool page that is an
    // L2 table points into the guest's region. (Pool pages are L1 or L2 tables; an
    // L1 entry points into the pool, an L2 entry into the region.)
    for (uint32_t table : roots) {
      for (uint32_t e = 0; e < 1024; ++e) {
        const uint32_t entry = *host.peek32(table + 4 * e);
        if (!(entry & isa::pte::P)) continue;
        const uint32_t frame = entry & isa::pte::FRAME;
        const bool in_region = frame >= p.region_base && frame < p.region_base + p.region_size;
        const bool in_own_tables =
            (frame >= p.physmap_base && frame < p.physmap_base + p.physmap_pages * 4096) ||
            (frame >= p.pool_base && frame < p.pool_base + kShadowPoolPages * 4096);
        EXPECT_TRUE(in_region || in_own_tables)
            << std::hex << "guest " << i << " table " << table << " entry " << e << " -> " << frame;
      }
    }
  }
}

}  // namespace
}  // namespace trapeze::vmm::testing
