// Where a guest's cycles went: ONE cycle accounting for every strategy.
//
// Every host cycle charged to a guest (Counters::cycles: its own machine's for a
// native guest, its share of the host for a virtualized one) lands in exactly one
// of three accounts, booked at the moment it is charged:
//
//   guest        its own instructions running directly: the instruction classes,
//                page walks and TLB refills, the traps its own kernel takes on its
//                own trap vector (natively, or delivered by the hardware in guest
//                mode), all at the machine's prices
//   transitions  crossing between the guest and the VMM on its behalf: trap
//                entries into the VMM, hypercall entries, VM exits and entries,
//                world switches into it
//   vmm          the VMM's work once there: emulation (and the return it includes),
//                reflection, hidden faults and shadow maintenance, binary
//                translation's lookups, translations and callouts, MMU-update
//                batches
//
// so guest + transitions + vmm = Counters::cycles, always (the consistency checker
// holds the VMM to it). Bare metal books everything under `guest`. The same cost
// events are booked the same way under every strategy: account_of() below is the
// one place that says which account a cost-model row belongs to when the VMM or
// the virtualization hardware charges it for a guest.
#pragma once

#include <cstdint>

#include "machine/cost_model.h"

namespace trapeze::vmm {

// clang-format off
#define TRAPEZE_CYCLE_ACCOUNTS(X) \
  X(guest,       "its own instructions running directly, page walks and TLB refills included") \
  X(transitions, "trap entries into the VMM and hypercall entries taken on its behalf, VM exits and entries, world switches into it") \
  X(vmm,         "the VMM's work for it: emulation, reflection, shadow maintenance, translation, hypercall handling")
// clang-format on

struct CycleAccounting {
#define TRAPEZE_CYCLE_ACCOUNT_FIELD(name, doc) uint64_t name = 0;
  TRAPEZE_CYCLE_ACCOUNTS(TRAPEZE_CYCLE_ACCOUNT_FIELD)
#undef TRAPEZE_CYCLE_ACCOUNT_FIELD
  // The host cycles the guest consumed (equal to its Counters::cycles).
  uint64_t total() const { return guest + transitions + vmm; }
  CycleAccounting& operator+=(const CycleAccounting& o) {
    guest += o.guest;
    transitions += o.transitions;
    vmm += o.vmm;
    return *this;
  }
  bool operator==(const CycleAccounting&) const = default;
};

struct CycleAccountInfo {
  const char* name;
  const char* doc;
  uint64_t CycleAccounting::*field;
};
inline constexpr CycleAccountInfo kCycleAccountInfo[] = {
#define TRAPEZE_CYCLE_ACCOUNT_INFO(name, doc) CycleAccountInfo{#name, doc, &CycleAccounting::name},
    TRAPEZE_CYCLE_ACCOUNTS(TRAPEZE_CYCLE_ACCOUNT_INFO)
#undef TRAPEZE_CYCLE_ACCOUNT_INFO
};

// The account a cost event is booked to when the VMM (or the hardware's VM exit
// and entry) charges it for a guest. Every row of the cost table is listed, with no
// default, so a new row does not compile (-Wswitch) until someone decides.
// TRAP_ENTRY here is the trap *into the VMM*; the machine's own delivery of a trap
// to the running code's trap vector stays with the instructions (guest).
constexpr uint64_t CycleAccounting::*account_of(machine::CostEvent e) {
  using machine::CostEvent;
  switch (e) {
    case CostEvent::INSN_ALU:
    case CostEvent::INSN_MUL:
    case CostEvent::INSN_DIV:
    case CostEvent::INSN_MEM:
    case CostEvent::INSN_BRANCH:
    case CostEvent::INSN_SYSTEM:
    case CostEvent::PORT_IO:
    case CostEvent::RTI:
    case CostEvent::TLB_FLUSH:
    case CostEvent::WALK_REF:
    case CostEvent::BLK_REQUEST:
    case CostEvent::BLK_SECTOR: return &CycleAccounting::guest;
    case CostEvent::TRAP_ENTRY:
    case CostEvent::VM_EXIT:
    case CostEvent::VM_ENTRY:
    case CostEvent::WORLD_SWITCH:
    case CostEvent::HYPERCALL: return &CycleAccounting::transitions;
    case CostEvent::VMM_EMULATE:
    case CostEvent::VMM_REFLECT:
    case CostEvent::HIDDEN_FAULT:
    case CostEvent::SHADOW_UPDATE:
    case CostEvent::MMU_UPDATE_ENTRY:
    case CostEvent::BT_TRANSLATE:
    case CostEvent::BT_LOOKUP:
    case CostEvent::BT_CALLOUT:
    case CostEvent::BT_INLINE: return &CycleAccounting::vmm;
  }
  return &CycleAccounting::vmm;
}

}  // namespace trapeze::vmm
