// The physical host the VMM runs on, and where everything sits in its memory.
//
// ONE machine::Machine. Host-physical memory:
//
//   0                 the VMM's own page (never mapped into any guest)
//   per virtualized guest, in the VMM area:
//     its physical map   a real two-level page table, guest-physical -> host-physical
//     its shadow pool    pages for its shadow page tables
//     its control block  one page: its VMCB under the hardware-assisted mode
//   then each virtualized guest's guest-physical memory, one contiguous region each
//
// No table the VMM builds maps anything outside a guest's own region, and nothing
// maps the VMM area into a guest: that is the isolation argument (docs/vmm.md).
#pragma once

#include <cstdint>
#include <vector>

#include "machine/machine.h"
#include "vmm/event_log.h"

namespace trapeze::vmm {

inline constexpr int kMaxGuests = 16;
inline constexpr uint32_t kMaxGuestMemory = 32u << 20;        // per guest
// Every guest together, bare-metal ones included (each has a home region in host
// memory to be switched into; a bare-metal one also its own machine), and all their
// disks: what one scenario may make the host (a browser tab) allocate.
inline constexpr uint32_t kMaxTotalGuestMemory = 128u << 20;
inline constexpr uint32_t kMaxTotalDiskBytes = 128u << 20;
inline constexpr uint32_t kShadowPoolPages = 64;              // per guest: 256 KiB of shadow tables
// TLB tags: each virtualized guest owns kTagsPerGuest consecutive tags: one for the
// physical map (its paging off), two per cached shadow address space.
inline constexpr uint32_t kShadowSpaces = 7;
inline constexpr uint32_t kTagsPerGuest = 1 + 2 * kShadowSpaces;

// The root window: while a guest runs deprivileged (trap, pv, bt), the host's
// page-table register holds kRootWindow + the offset of its current table in its
// own VMM area (physical map, then shadow pool), and the MMU walks the real table
// (Machine::set_root_window). So `sptr`, which reveals the register, shows that the
// table is the VMM's but nothing of where the guest or its neighbours sit. Above
// all host memory: never mistaken for a real table address.
inline constexpr uint32_t kRootWindow = 0xFFC00000;

struct GuestPlacement {
  uint32_t region_base = 0;  // host-physical start of its guest-physical memory
  uint32_t region_size = 0;
  uint32_t physmap_base = 0;  // host-physical: L1 table, then the L2 tables
  uint32_t physmap_pages = 0;
  uint32_t pool_base = 0;      // host-physical: kShadowPoolPages pages
  uint32_t control_block = 0;  // host-physical: its VMCB (hardware-assisted mode)
  uint16_t tag_base = 0;       // first TLB tag
};

// Pages a physical map for `memory_bytes` of guest memory needs (one L1, and one L2
// per 4 MiB).
uint32_t physical_map_pages(uint32_t memory_bytes);

// Places the virtualized guests (memory sizes in `sizes`) and returns the host
// memory size needed, or 0 if it would exceed the machine's maximum.
uint32_t place_guests(const std::vector<uint32_t>& sizes, std::vector<GuestPlacement>* out);

// Writes the physical map of `p` into host memory: guest-physical page n ->
// host-physical region_base + n * 4 KiB, present, writable, user (the guest runs
// in user mode), A and D preset. Pages past the guest's memory are not present.
void build_physical_map(machine::Machine& host, const GuestPlacement& p);

// The host machine and the VMM's bookkeeping that every strategy shares.
struct Host {
  explicit Host(const machine::MachineConfig& config, size_t event_capacity)
      : machine(config), log(event_capacity) {}
  machine::Machine machine;
  EventLog log;
  uint64_t overhead = 0;    // cycles the VMM charged for its own work (not in machine.counters())
  uint64_t holes_seen = 0;  // machine.counters().holes_in_user already logged
  // Host time: the machine's cycles plus the VMM's. Every cycle of it is charged
  // to some guest, so the guests' utilizations sum to 1.
  uint64_t time() const { return machine.counters().cycles + overhead; }
};

}  // namespace trapeze::vmm
