// What the strategies that run a guest deprivileged on the host (trap, pv, bt)
// answer alike: the Strategy operations, each the DeprivilegedRun's they hold. A
// final class adds its kind and, through DeprivilegedRun::Hooks, what it does
// differently. Abstract (no kind): no strategy derives from another.
#pragma once

#include <cstdint>
#include <string>

#include "vmm/deprivileged_run.h"
#include "vmm/strategy.h"

namespace trapeze::vmm {

class DeprivilegedStrategy : public Strategy, protected DeprivilegedRun::Hooks {
 public:
  bool uses_host() const final { return true; }
  void load() final { run_.load(); }
  void save() final { run_.save(); }
  uint64_t run(uint64_t max_cycles) final { return run_.run(max_cycles); }
  const std::string& console() const final { return run_.engine().guest.bus.console(); }
  uint32_t hardware_table() const final { return run_.hardware_table(); }
  // Its shadows, its virtual CPU's defined bits, and, while it is on the host CPU,
  // that the host runs it in user mode on its table.
  std::string check() const final { return run_.check(); }

 protected:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  // `intercept_hypercalls`: HYPERCALL goes to Hooks::hypercall (para-virtual).
  DeprivilegedStrategy(Host& host, Guest& guest, const GuestPlacement& place,
                       bool intercept_hypercalls)
      : run_(host, guest, place, this, intercept_hypercalls) {}

  DeprivilegedRun run_;
};

}  // namespace trapeze::vmm
