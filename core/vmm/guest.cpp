#include "vmm/guest.h"

#include <algorithm>
#include <cstdio>

#include "machine/machine.h"

namespace trapeze::vmm {

std::string_view guest_state_name(GuestState s) {
  switch (s) {
    case GuestState::Ready: return "ready";
    case GuestState::Halted: return "halted";
    case GuestState::Crashed: return "crashed";
    case GuestState::Stopped: return "stopped";
  }
  return "unknown";
}

Guest::Guest(int i, GuestSetup c)
    : index(i),
      config(std::move(c)),
      bus(config.disk_sectors, 64u << 10, config.block) {
  vcpu.cpu.pc = config.entry;
}

bool at_unusable_trap_vector(const machine::CpuState& s) {
  return s.pc == s.tvec && isa::Cause(s.cause() & 0xFF) == isa::Cause::PAGE_FAULT &&
         (s.cause() & isa::fault::EXEC) && s.badaddr() == s.tvec;
}

std::string triple_fault_reason(uint32_t tvec) {
  char why[120];
  std::snprintf(why, sizeof why,
                "triple fault: its trap vector 0x%08x is unusable (page fault fetching it)", tvec);
  return why;
}

uint64_t faults_until_next_completion(const machine::DeviceBus& devices, uint64_t clock,
                                      uint64_t left, uint32_t trap_entry_cycles) {
  const uint64_t due = devices.next_completion();
  if (due == machine::DeviceBus::kNever || trap_entry_cycles == 0) return 0;
  // The first fault after which the clock has reached it (at least one: the devices
  // are processed up to the clock before every fetch, so it is still ahead).
  const uint64_t faults =
      due <= clock ? 1 : (due - clock + trap_entry_cycles - 1) / trap_entry_cycles;
  return std::min(faults, left);
}

uint64_t Guest::state_hash() const {
  const uint8_t* bytes = memory.mem ? memory.mem->data() + memory.base : nullptr;
  return machine::state_hash(vcpu.cpu, std::span<const uint8_t>(bytes, bytes ? memory.size : 0));
}

}  // namespace trapeze::vmm
