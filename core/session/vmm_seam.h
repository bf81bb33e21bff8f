// What the Session asks of the Vmm beyond run() and inspection: switch a guest's
// strategy live, re-image one guest, run only some guests, step one. Each is a
// template over the Vmm type so that it uses the Vmm's own function when the Vmm
// has it (detected at compile time) and otherwise says it cannot, or falls back to
// what the Vmm's public API allows. The fallbacks are marked; they go when the Vmm
// grows the real thing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vmm/vmm.h"

namespace trapeze::session::seam {

// Vmm::set_strategy(guest, kind, error): switch at the next safe point.
template <class V>
bool set_strategy(V& vmm, size_t guest, vmm::StrategyKind kind, std::string* error) {
  if constexpr (requires { vmm.set_strategy(guest, kind, error); }) {
    return vmm.set_strategy(guest, kind, error);
  } else {
    if (error) *error = "this VMM cannot switch a running guest's strategy";
    return false;
  }
}

// Vmm::reload_guest(guest, config, error): new image, same memory size.
template <class V>
bool reload_guest(V& vmm, size_t guest, const vmm::GuestConfig& config, std::string* error) {
  if constexpr (requires { vmm.reload_guest(guest, config, error); }) {
    return vmm.reload_guest(guest, config, error);
  } else {
    if (error) *error = "this VMM cannot reload one guest";
    return false;
  }
}

// Runs `budget` host cycles of the guests whose `runnable` flag is set; the
// others keep their state untouched. Returns the host cycles used.
//
// Fallback until the Vmm can pause a guest itself: the guests left out are parked
// as Stopped for the duration of the call (the scheduler skips them, as it skips
// halted ones) and put back to Ready afterwards. They are not running while parked,
// so nothing else can change their state meanwhile.
template <class V>
uint64_t run_some(V& vmm, const std::vector<bool>& runnable, uint64_t budget) {
  std::vector<size_t> parked;
  for (size_t i = 0; i < vmm.guest_count(); ++i) {
    auto& g = const_cast<vmm::Guest&>(vmm.guest(i));
    if ((i >= runnable.size() || !runnable[i]) && g.state == vmm::GuestState::Ready) {
      g.state = vmm::GuestState::Stopped;
      parked.push_back(i);
    }
  }
  const uint64_t used = vmm.run(budget);
  for (size_t i : parked) const_cast<vmm::Guest&>(vmm.guest(i)).state = vmm::GuestState::Ready;
  return used;
}

// Executes one instruction of `guest` (one retired or faulted instruction, with
// whatever the VMM does about it). Returns false if the guest cannot run.
template <class V>
bool step(V& vmm, size_t guest) {
  if constexpr (requires { vmm.step(guest); }) {
    return vmm.step(guest);
  } else {
    if (guest >= vmm.guest_count() || !vmm.guest(guest).ready()) return false;
    std::vector<bool> only(vmm.guest_count(), false);
    only[guest] = true;
    const uint64_t before = vmm.guest(guest).executed;
    // A cycle at a time: the first call may be spent on the world switch into it.
    for (int tries = 0; tries < 8 && vmm.guest(guest).executed == before; ++tries) {
      if (!vmm.guest(guest).ready()) break;
      run_some(vmm, only, 1);
    }
    return vmm.guest(guest).executed != before;
  }
}

}  // namespace trapeze::session::seam
