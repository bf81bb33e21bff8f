// The VMM's caps (vmm.h validate(), host.h): each a clear error naming the field,
// never a crash or an allocation the host cannot afford.
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

VmmConfig with_guests(size_t n, StrategyKind s = StrategyKind::TRAP, uint32_t memory = 64u << 10) {
  VmmConfig c;
  for (size_t i = 0; i < n; ++i) {
    GuestConfig g;
    g.name = numbered("g", int(i));
    g.strategy = s;
    g.memory_bytes = memory;
    g.disk_sectors = 8;
    c.guests.push_back(g);
  }
  return c;
}

// validate() and create() agree, and create() builds nothing.
std::string error_of(const VmmConfig& c) {
  std::string error;
  EXPECT_FALSE(Vmm::create(c, &error));
  EXPECT_EQ(validate(c), error);
  return error;
}

TEST(VmmLimits, CountsAndHostSettings) {
  EXPECT_EQ(error_of(with_guests(0)), "guests: no guests (at least one is needed)");
  EXPECT_EQ(error_of(with_guests(kMaxGuests + 1)), "guests: 17 guests (at most 16)");
  VmmConfig c = with_guests(1);
  c.quantum = 0;
  EXPECT_EQ(error_of(c), "quantum: must be at least 1 cycle");
  c = with_guests(1);
  c.tlb = {2048, 0};
  EXPECT_EQ(error_of(c),
            "tlb: must have 1..1024 entries, and entries/ways must be a power of two");
  c = with_guests(1);
  c.event_capacity = (1u << 20) + 1;
  EXPECT_EQ(error_of(c), "event_capacity: must be 1..1048576");
  c.event_capacity = 0;
  EXPECT_EQ(error_of(c), "event_capacity: must be 1..1048576");
}

TEST(VmmLimits, EachGuest) {
  for (uint32_t bad : {0u, 3000u, (32u << 20) + 4096}) {
    VmmConfig c = with_guests(2);
    c.guests[1].memory_bytes = bad;
    EXPECT_EQ(error_of(c), "guests[1].memory: " + std::to_string(bad) +
                               " bytes (a multiple of 4096 from 4K to 32M)");
  }
  VmmConfig c = with_guests(1);
  c.guests[0].disk_sectors = machine::kMaxDiskSectors + 1;
  EXPECT_EQ(error_of(c), "guests[0].disk: 131073 sectors (1 to 131072)");
  c = with_guests(1);
  c.guests[0].image = {assembler::Segment{0xFFF0, std::vector<uint8_t>(32, 1)}};
  EXPECT_EQ(error_of(c),
            "guests[0]: the program's bytes at 0x0000fff0..0x00010010 do not fit in its 65536 "
            "bytes of memory");
}

TEST(VmmLimits, Totals) {
  // Host memory: every guest's home region, bare-metal ones included (a guest can be
  // switched between bare metal and a VMM while it runs).
  EXPECT_EQ(error_of(with_guests(5, StrategyKind::TRAP, 32u << 20)),
            "guests: 160M of guest memory in all (at most 128M, bare-metal guests included)");
  EXPECT_EQ(error_of(with_guests(5, StrategyKind::NATIVE, 32u << 20)),
            "guests: 160M of guest memory in all (at most 128M, bare-metal guests included)");
  // And their disks: 16 disks of 64 MiB would be a gigabyte.
  VmmConfig c = with_guests(3);
  for (GuestConfig& g : c.guests) g.disk_sectors = machine::kMaxDiskSectors;
  EXPECT_EQ(error_of(c), "guests: 192M of disk in all (at most 128M)");
  // At the caps exactly, it is valid (validated only: building it would allocate it all).
  c = with_guests(8, StrategyKind::NATIVE, 16u << 20);
  c.guests[0].disk_sectors = machine::kMaxDiskSectors;
  c.guests[1].disk_sectors = machine::kMaxDiskSectors - 6 * 8;  // the other six have 8 each
  EXPECT_EQ(validate(c), "");
  ++c.guests[1].disk_sectors;
  EXPECT_EQ(validate(c), "guests: 128M of disk in all (at most 128M)");
}

}  // namespace
}  // namespace trapeze::vmm::testing
