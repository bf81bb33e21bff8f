// Shadow page tables: the lecture's "VMM combines the guest page table with its own
// page table to create a host page table; the physical hardware uses the host page
// table".
//
//   guest table    guest-virtual -> guest-physical   (in guest memory, the guest's own)
//   physical map   guest-physical -> host-physical   (the VMM's, host.h)
//   shadow table   guest-virtual -> host-physical    (the composition; what the MMU walks)
//
// The guest's kernel and its user programs both run in real user mode, so one
// shadow cannot enforce the guest's U bit: each guest address space (page-table
// root) gets two shadows, a kernel view (every page the guest maps, U=1 in the
// shadow, the guest's W) and a user view (only the guest's U pages). The VMM
// switches between them when the guest's virtual mode changes; each has its own
// TLB tag, so switching flushes nothing.
//
// Hardware-assisted mode (use_single_view()): the guest's kernel runs in real
// kernel mode, so ONE view per address space can carry the guest's own U bits and
// the hardware enforces them in both of its modes; the kernel view is then the
// only one used (the same faithful table whatever the guest's mode).
//
// Filled lazily. A host page fault is either
//   hidden        the guest's table maps the page, the shadow has no (or only a
//                 read-only) entry yet: walk the guest table in software, setting its
//                 A bit (and D on a write) exactly as the bare-metal walker would,
//                 and fill the entry. A page whose D bit is clear is mapped read-only,
//                 so its first write faults and sets D then — the guest's A/D bits come
//                 out as on bare metal.
//   write-protect the page is one of the guest's own page tables (mapped read-only in
//                 every shadow): the caller emulates the store, then table_written()
//                 drops the shadow entries that depended on the word it changed.
//   a guest fault the guest's own table says not present / not permitted: reflected.
//
// Shadows are cached for up to kShadowSpaces roots per guest (least recently used
// evicted) in the guest's own pool of kShadowPoolPages pages; when the pool runs out
// all the guest's shadows are dropped and rebuilt on demand. Guest paging off: the
// hardware walks the physical map itself.
//
// Reverse maps (KVM's rmap and parent pointers, in spirit): shadow maintenance
// costs in proportion to the shadow entries it changes, never to the spaces times
// their slots.
//   derived_[guest frame]   the shadow L1 slots (space, slot) built from that
//                           guest L2 table: a store into it, or DMA over it,
//                           visits exactly those (exact, kept by fill and drop)
//   writers_[guest frame]   where shadow entries mapping that frame writable were
//                           written: revoking writes (the frame became a page table
//                           or holds translated code) visits those (a superset:
//                           each record is checked against the entry it points
//                           at, and pruned as the list grows)
//   pool_[pool page]        what each pool page is (an L2 table: whose, which slot)
//                           and how many present entries it holds, so a record
//                           names its TLB entry and dropping a slot counts nothing
// check() verifies all three against the tables themselves.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "machine/machine.h"
#include "vmm/event_log.h"
#include "vmm/host.h"
#include "vmm/vmm_counters.h"

namespace trapeze::vmm {

class ShadowPageTables {
 public:
  // Logs one of the shadow events (SHADOW_TABLE, SHADOW_RESET) with its a, b, c.
  using LogFn = std::function<void(EventKind, uint32_t a, uint32_t b, uint32_t c)>;

  ShadowPageTables(machine::Machine& host, const GuestPlacement& place, VmmCounters& counters,
                   LogFn log);

  // What the hardware walks: a table root (host-physical) and its TLB tag.
  struct Hardware {
    uint32_t root = 0;
    uint32_t tag = 0;
    bool operator==(const Hardware&) const = default;
  };
  // One view per address space, with the guest's own U bits (see above). Set once,
  // before the first select().
  void use_single_view() { single_view_ = true; }
  bool single_view() const { return single_view_; }
  // Selects the table for guest root `guest_root` (guest-physical, 0 = paging off)
  // in the guest's kernel or user mode, building a shadow if there is none.
  Hardware select(uint32_t guest_root, bool user);
  // The current selection (after handle_fault or table_written it may have been
  // rebuilt: the caller puts it back on the hardware).
  Hardware current() const;

  enum class Outcome : uint8_t { Filled, WriteProtected, GuestFault };
  struct FaultResult {
    Outcome outcome = Outcome::GuestFault;
    uint32_t fault = 0;       // GuestFault: isa::fault::PROTECTION or 0 (not present)
    uint32_t gpa = 0;         // WriteProtected: the guest-physical address written
    uint32_t host_frame = 0;  // Filled: the host frame now mapped
  };
  // A host page fault at `va` in the current selection.
  FaultResult handle_fault(uint32_t va, machine::Access access);
  // The guest's word at `gpa` (one of its page tables) has been changed: drops the
  // shadow entries built from it. Returns how many were dropped.
  uint32_t table_written(uint32_t gpa);
  // Device DMA overwrote guest page `gframe`: if it is a page table, drops all that
  // was built from it.
  void page_overwritten(uint32_t gframe);

  // Guest TLB operations: the shadows stay coherent by write protection, so only the
  // host's TLB entries go (tlbflush: all of this guest's tags; invlpg: one page in
  // the current address space, both views).
  void flush_tlb();
  void invalidate_page(uint32_t va);
  // Drops every shadow (logged with its reason).
  void reset(ShadowReset reason);
  bool empty() const;
  // Its invariants (shadow_check.cpp): "" or the first problem. Every pool page is
  // free or used exactly once; every present shadow entry maps into the guest's
  // region and agrees with what the guest's own table says now (so the TLB, filled
  // from the shadows, can never hold more than the guest granted); no page the guest
  // uses as a page table is writable; the reference counts of table pages add up.
  std::string check() const;

  // Binary translation: guest pages holding translated code are write-protected as
  // page tables are (read-only in every shadow, and in the physical map while the
  // guest's paging is off), so a write to one traps (handle_fault: WriteProtected)
  // and the VMM can drop the translations made from it.
  void protect_code(uint32_t gframe);
  void unprotect_code(uint32_t gframe);

  // ---- inspection ------------------------------------------------------------------
  bool is_table_page(uint32_t gframe) const { return gframe < refs_.size() && refs_[gframe] != 0; }
  bool is_code_page(uint32_t gframe) const { return gframe < code_.size() && code_[gframe]; }
  // A write to it must trap: a page table or translated code.
  bool is_protected(uint32_t gframe) const { return is_table_page(gframe) || is_code_page(gframe); }
  // The shadow roots (host-physical) of a cached address space: [kernel view, user view].
  std::optional<std::array<uint32_t, 2>> shadow_roots(uint32_t guest_root) const;
  std::optional<uint32_t> host_frame(uint32_t gframe) const;  // through the physical map

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  struct Space {
    bool used = false;
    uint32_t guest_root = 0;         // guest-physical, page-aligned
    std::array<uint32_t, 2> root{};  // host-physical shadow L1: kernel view, user view
    uint64_t last_use = 0;
    std::vector<uint32_t>
        l2_source;  // per L1 slot: guest frame + 1 of the guest L2 table filled from
  };
  uint32_t tag(int space, int view) const { return place_.tag_base + 1 + 2 * space + view; }
  // The view in use: the guest's mode, or always the one view.
  int view() const { return single_view_ ? 0 : int(cur_user_); }
  int find(uint32_t guest_root) const;
  int create(uint32_t guest_root);
  void evict(int space);
  uint32_t drop_slot(int space, uint32_t l1_index);  // returns entries dropped
  uint32_t alloc_page();
  void free_page(uint32_t hpa) {
    pool_[pool_index(hpa)] = PoolPage{};
    free_.push_back(hpa);
  }
  // What a pool page is used as (a root or free: space -1).
  struct PoolPage {
    int8_t space = -1;     // an L2 table of this space's shadow ...
    uint8_t view = 0;      // ... in this view ...
    uint16_t slot = 0;     // ... at this L1 slot
    uint16_t present = 0;  // its present entries
  };
  uint32_t pool_index(uint32_t hpa) const { return (hpa - place_.pool_base) >> isa::kPageShift; }
  // Reverse maps (see the top of this file).
  static uint16_t slot_code(int space, uint32_t slot) { return uint16_t(space * 1024 + slot); }
  void add_derived(uint32_t gframe, int space, uint32_t slot);
  void remove_derived(uint32_t gframe, int space, uint32_t slot);
  void add_writer(uint32_t gframe, uint32_t entry_hpa);
  // The record `entry_hpa` still names a present, writable entry mapping host frame
  // `hf`: its L2 page's owner, or nullptr.
  const PoolPage* live_writer(uint32_t entry_hpa, uint32_t hf) const;
  std::string check_reverse_maps() const;
  void track(uint32_t gframe);
  void untrack(uint32_t gframe);
  void revoke_writes(uint32_t gframe);
  // The physical map's entry for a guest page (host-physical address of the word).
  std::optional<uint32_t> physmap_entry(uint32_t gframe) const;
  // (Straight from host memory: shadow tables and the physical map are in the
  // VMM area, always inside it; the hot paths read many words.)
  uint32_t peek(uint32_t hpa) const { return machine::load_le32(host_.memory().data() + hpa); }
  void poke(uint32_t hpa, uint32_t v) { host_.poke32(hpa, v); }

  machine::Machine& host_;
  GuestPlacement place_;
  machine::MemoryRegion guest_;
  VmmCounters& counters_;
  LogFn log_;
  std::array<Space, kShadowSpaces> spaces_;
  std::vector<uint32_t> free_;  // free pool pages (host-physical)
  std::vector<uint16_t> refs_;  // per guest page: how many shadow structures use it as a table
  std::vector<uint8_t> code_;   // per guest page: 1 if it holds translated code (protect_code)
  std::vector<std::vector<uint16_t>> derived_;  // per guest page: slot_code()s built from it
  struct Writers {
    std::vector<uint32_t> at;  // host-physical addresses of shadow entries
    uint32_t prune_at = 16;    // size at which stale records are dropped
  };
  std::vector<Writers> writers_;  // per guest page: entries that mapped it writable
  std::array<PoolPage, kShadowPoolPages> pool_{};
  int cur_ = -1;                // current space (-1: paging off, the physical map)
  bool cur_user_ = false;         // the guest's mode (its permissions for handle_fault's walk)
  bool single_view_ = false;
  uint64_t use_clock_ = 0;
};

}  // namespace trapeze::vmm
