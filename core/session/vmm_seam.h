// What the Session asks of the Vmm that the Vmm does not offer yet: run only some
// guests (pause the others), and step one guest by one instruction. Each is a
// template over the Vmm type so that it uses the Vmm's own function when the Vmm
// has it (detected at compile time) and otherwise falls back to what the Vmm's
// public API allows. The fallbacks are marked; they go when the Vmm grows the real
// thing (Vmm::set_paused, Vmm::step).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vmm/vmm.h"

namespace trapeze::session::seam {

// Runs `budget` host cycles of the guests whose `runnable` flag is set; the
// others keep their state untouched. Returns the host cycles used.
//
// Fallback until the Vmm can pause a guest itself: the guests left out are parked
// as Stopped for the duration of the call (the scheduler skips them, as it skips
// halted ones) and put back to Ready afterwards. They are not running while parked,
// so nothing else can change their state meanwhile.
template <class V>
uint64_t run_some(V& vmm, const std::vector<bool>& runnable, uint64_t budget) {
  if constexpr (requires { vmm.set_paused(size_t{}, true); }) {
    for (size_t i = 0; i < vmm.guest_count(); ++i) vmm.set_paused(i, i >= runnable.size() || !runnable[i]);
    return vmm.run(budget);
  }
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
