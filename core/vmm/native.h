// Bare metal: the guest alone on its own machine::Machine, no VMM — the reference
// every strategy must agree with. It sits in the VMM's guest list only so that the
// frontend and the CLI can show it side by side with virtualized guests; it uses
// none of the host's time.
#pragma once

#include <memory>
#include <string>

#include "machine/machine.h"
#include "vmm/event_log.h"
#include "vmm/guest.h"
#include "vmm/strategy.h"

namespace trapeze::vmm {

class NativeStrategy final : public Strategy {
 public:
  // Builds the guest's machine (its memory size and disk, the VMM's TLB and costs)
  // and moves the guest onto it as it is now: its guest-physical memory (from
  // guest.memory, its home in host memory), its virtual CPU, devices and clocks — a
  // new guest's are its image and power-on state. `log` receives its
  // halt/crash/limit events.
  NativeStrategy(Guest& guest, const machine::TlbConfig& tlb, const machine::CostModel& cost,
                 EventLog& log);

  StrategyKind kind() const override { return StrategyKind::NATIVE; }
  bool uses_host() const override { return false; }
  void load() override {}
  void save() override {}
  // Moves the guest back to its home in host memory (memory and devices), for the
  // strategy that replaces this one.
  void detach() override;
  // Runs its own machine for up to `max_cycles` of its own cycles.
  uint64_t run(uint64_t max_cycles) override;
  const std::string& console() const override { return machine_.console(); }
  const machine::Machine* own_machine() const override { return &machine_; }

  const machine::Machine& machine() const { return machine_; }

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  void refresh();  // the guest's views (vcpu, counters) from the machine
  void log(EventKind kind, uint32_t a = 0, isa::Cause cause = isa::Cause::NONE);

  Guest& guest_;
  machine::MemoryRegion home_;  // the guest's memory in the host, while it runs here
  machine::Machine machine_;
  EventLog& log_;
  // Faults its processor is still to take at an unusable trap vector, spinning there
  // as bare metal does, before its next device completion (faults_until_next_
  // completion): kept across run() calls, so how a run is sliced changes nothing.
  uint64_t spin_ = 0;
};

}  // namespace trapeze::vmm
