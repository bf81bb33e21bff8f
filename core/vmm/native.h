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
  // and loads its image. `log` receives its halt/crash/limit events.
  NativeStrategy(Guest& guest, const machine::TlbConfig& tlb, const machine::CostModel& cost,
                 EventLog& log);

  StrategyKind kind() const override { return StrategyKind::NATIVE; }
  bool uses_host() const override { return false; }
  void load() override {}
  void save() override {}
  // Runs its own machine for up to `max_cycles` of its own cycles.
  uint64_t run(uint64_t max_cycles) override;
  const std::string& console() const override { return machine_.console(); }

  const machine::Machine& machine() const { return machine_; }

 private:
  void refresh();  // the guest's views (vcpu, counters) from the machine
  void log(EventKind kind, uint32_t a = 0, isa::Cause cause = isa::Cause::NONE);

  Guest& guest_;
  machine::Machine machine_;
  EventLog& log_;
};

}  // namespace trapeze::vmm
