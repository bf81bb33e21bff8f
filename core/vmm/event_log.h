// The VMM's event log: a bounded ring of what the VMM did, for the frontend's
// timeline and for tests. Events are plain data (no text); describe() renders one
// as a one-line explanation.
//
// Every trap that reaches the VMM gives exactly one event, whose kind is what the
// VMM made of it (emulate, reflect, hidden_fault, write_protect); `cause` keeps the
// hardware cause that brought it in. Other kinds record the VMM's own actions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "isa/isa.h"

namespace trapeze::vmm {

// kind, name, what the data fields hold
// clang-format off
#define TRAPEZE_VMM_EVENTS(X) \
  X(EMULATE,                "emulate",                "word: the privileged instruction; a: the value it read or wrote") \
  X(REFLECT,                "reflect",                "cause: what the guest receives; a: its CAUSE register; b: BADADDR") \
  X(HIDDEN_FAULT,           "hidden_fault",           "a: virtual address; b: fault detail bits (isa::fault); c: host-physical frame now mapped") \
  X(WRITE_PROTECT,          "write_protect",          "word: the store; a: virtual address; b: guest-physical address; c: shadow entries dropped") \
  X(SHADOW_TABLE,           "shadow_table",           "a: the guest page-table root (guest-physical); b, c: its shadow roots (host-physical), kernel and user view") \
  X(SHADOW_RESET,           "shadow_reset",           "a: why (ShadowReset)") \
  X(WORLD_SWITCH,           "world_switch",           "a: the guest switched out (kNoGuest if none)") \
  X(VIRTUAL_INTERRUPT,      "virtual_interrupt",      "cause: TIMER or DEVICE; a: the guest's trap vector") \
  X(SENSITIVE_UNPRIVILEGED, "sensitive_unprivileged", "word: the instruction; a: the value it read or tried to write; b: the virtual PSW") \
  X(VM_EXIT,                "vm_exit",                "hardware-assisted: word: the exiting instruction (0: none); a: the exit reason (isa::vmcb::ExitReason); b: its qualification; c: what the VMM did (ExitAction)") \
  X(HYPERCALL,              "hypercall",              "word: the instruction; a: its number; b: r1 before (first argument); c: r1 after (the result)") \
  X(TRANSLATE,              "translate",              "binary translation: a: the block's guest-physical address; b: its instructions; c: 1 if it ends in a callout") \
  X(INVALIDATE,             "invalidate",             "binary translation: a: the guest-physical page written; b: blocks dropped; c: why (Invalidation)") \
  X(CALLOUT,                "callout",                "binary translation: word: the privileged or sensitive instruction; a: the value it read or wrote; b: how it was translated (CalloutEntry)") \
  X(HALT,                   "halt",                   "") \
  X(CRASH,                  "crash",                  "cause: the trap that could not be delivered (NONE: see the guest's reason)") \
  X(SPIN,                   "spin",                   "a triple fault with device work in flight: a: the faults at its unusable trap vector bare metal takes before its next device completion (added at once)") \
  X(LIMIT,                  "limit",                  "a: which limit (LimitReached)") \
  X(STRATEGY_SWITCH,        "strategy_switch",        "a: the strategy before; b: the strategy after (StrategyKind)") \
  X(GUEST_RELOAD,           "guest_reload",           "a: its strategy (StrategyKind)")
// clang-format on

enum class EventKind : uint8_t {
#define TRAPEZE_EVENT_ENUM(NAME, name, data) NAME,
  TRAPEZE_VMM_EVENTS(TRAPEZE_EVENT_ENUM)
#undef TRAPEZE_EVENT_ENUM
};
std::string_view event_kind_name(EventKind k);  // "hidden_fault"

inline constexpr uint16_t kNoGuest = 0xFFFF;

// What the hardware-assisted VMM did with a VM exit (Event::c of a VM_EXIT event).
// clang-format off
#define TRAPEZE_EXIT_ACTIONS(X) \
  X(EMULATED,       "the VMM emulated it on the virtual CPU and devices, and re-entered past it") \
  X(INJECTED,       "it belongs to the guest: injected into its trap vector on the next entry") \
  X(SHADOW_FILLED,  "a hidden fault: the guest's table maps the page, the shadow did not yet; entry filled, guest not involved") \
  X(STORE_EMULATED, "a write to the guest's own page table: the VMM did the store and dropped the shadow entries built from it") \
  X(INTERRUPT,      "the guest's virtual interrupt is due: injected on the next entry (or when the guest enables interrupts)") \
  X(WINDOW,         "the guest enabled interrupts: its pending virtual interrupt is injected now") \
  X(RESYNC,         "device DMA changed guest memory: the VMM brought its tables up to date") \
  X(SWITCH,         "the VMM took the CPU back for another guest (world switch)") \
  X(HALTED,         "the guest halted")
// clang-format on
enum class ExitAction : uint8_t {
#define TRAPEZE_EXIT_ACTION_ENUM(NAME, text) NAME,
  TRAPEZE_EXIT_ACTIONS(TRAPEZE_EXIT_ACTION_ENUM)
#undef TRAPEZE_EXIT_ACTION_ENUM
};

// The typed payloads: events whose data field holds a code name its values here
// (the table above says which field); emitters write payload(Value), describe()
// and tests read the field back as the enum. The numbers are the log's format.
enum class ShadowReset : uint32_t {  // SHADOW_RESET a
  POOL_FULL = 1,                     // the shadow pool is full: every table dropped
  PAGING_OFF = 2,                    // the guest turned paging off
};
enum class Invalidation : uint32_t {  // INVALIDATE c: what made the blocks stale
  STORE = 1,                          // the guest wrote to its own translated code
  DMA = 2,                            // a DMA transfer overwrote the page
  ADAPTIVE = 3,                       // re-translation: a page-table store becomes a callout
};
enum class CalloutEntry : uint32_t {  // CALLOUT b
  CALL = 0,                           // translated into a call into the VMM
  INLINE = 1,                         // translated inline
};
enum class LimitReached : uint32_t {  // LIMIT a
  INSTRUCTIONS = 1,
  CYCLES = 2,
};
// The word an event stores for a typed value (ExitAction, StrategyKind... too).
template <typename E>
constexpr uint32_t payload(E value) {
  static_assert(std::is_enum_v<E>);
  return uint32_t(value);
}

struct Event {
  uint64_t host_cycle = 0;    // host time (native guests: their own machine's cycles)
  uint64_t guest_cycle = 0;   // the guest's architectural clock (virtual clock under the VMM)
  uint16_t guest = kNoGuest;  // guest index
  EventKind kind = EventKind::EMULATE;
  isa::Cause cause = isa::Cause::NONE;
  uint32_t pc = 0;               // the guest pc it concerns (guest-virtual)
  uint32_t word = 0;             // an instruction word, if any
  uint32_t a = 0, b = 0, c = 0;  // kind-specific, see the table
  bool operator==(const Event&) const = default;
};

// One line, e.g. "emulated `ldptr r3` (privileged, trapped from the deprivileged
// guest kernel): virtual PTR = 0x00005000".
std::string describe(const Event& e);

class EventLog {
 public:
  static constexpr size_t kDefaultCapacity = 4096;
  explicit EventLog(size_t capacity = kDefaultCapacity) : capacity_(capacity ? capacity : 1) {}

  void push(const Event& e);
  size_t capacity() const { return capacity_; }
  size_t size() const { return ring_.size(); }
  // Oldest first: at(0) is the oldest event kept.
  const Event& at(size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
  uint64_t total() const { return total_; }                   // events ever pushed
  uint64_t dropped() const { return total_ - ring_.size(); }  // overwritten (oldest first)
  std::vector<Event> events() const;                          // a copy, oldest first
  void clear();

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  size_t capacity_;
  std::vector<Event> ring_;
  size_t head_ = 0;  // index of the oldest once full
  uint64_t total_ = 0;
};

}  // namespace trapeze::vmm
