#include "vmm/native.h"

#include "vmm/guest_engine.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace trapeze::vmm {

namespace {
machine::MachineConfig config_for(const GuestSetup& g, const machine::TlbConfig& tlb,
                                  const machine::CostModel& cost) {
  machine::MachineConfig c;
  c.memory_bytes = g.memory_bytes;
  c.disk_sectors = g.disk_sectors;
  c.block = g.block;
  c.tlb = tlb;
  c.cost = cost;
  return c;
}
}  // namespace

NativeStrategy::NativeStrategy(Guest& guest, const machine::TlbConfig& tlb,
                               const machine::CostModel& cost, EventLog& log)
    : guest_(guest), home_(guest.memory), machine_(config_for(guest.config, tlb, cost)), log_(log) {
  std::vector<uint8_t> bytes(home_.size);
  home_.read(0, bytes);
  machine_.poke(0, bytes);
  machine::Counters counters = guest_.counters.machine;
  counters.arch_cycles = guest_.vcpu.clock;
  machine_.restore_counters(counters);
  machine_.set_state(guest_.vcpu.cpu);
  machine_.set_devices(guest_.bus);  // after set_state: the timer keeps its deadline
  guest_.memory = machine_.region();
  refresh();
}

void NativeStrategy::detach() {
  refresh();
  std::vector<uint8_t> bytes(home_.size);
  machine_.peek(0, bytes);
  home_.write(0, bytes);
  guest_.bus = machine_.devices();
  guest_.memory = home_;
}

void NativeStrategy::refresh() {
  guest_.vcpu.cpu = machine_.state();
  guest_.vcpu.clock = machine_.counters().arch_cycles;
  // Alone on its own machine: every cycle since the last look is its own.
  guest_.counters.accounting.guest += machine_.counters().cycles - guest_.counters.machine.cycles;
  guest_.counters.machine = machine_.counters();
}

void NativeStrategy::log(EventKind kind, uint32_t a, isa::Cause cause) {
  Event e;
  e.host_cycle = machine_.counters().cycles;
  e.guest_cycle = machine_.counters().arch_cycles;
  e.guest = uint16_t(guest_.index);
  e.kind = kind;
  e.cause = cause;
  e.pc = machine_.state().pc;
  e.a = a;
  log_.push(e);
}

uint64_t NativeStrategy::run(uint64_t max_cycles) {
  const GuestSetup& cfg = guest_.config;
  const uint64_t start = machine_.counters().cycles;
  while (guest_.ready() && machine_.counters().cycles - start < max_cycles) {
    if (guest_.at_break()) break;  // Vmm::run's break: it yields, still ready
    if (guest_.executed >= cfg.max_instructions) {
      log(EventKind::LIMIT, payload(LimitReached::INSTRUCTIONS));
      guest_.state = GuestState::Stopped;
      guest_.reason = "instruction limit reached";
      break;
    }
    if (machine_.counters().cycles >= cfg.max_cycles) {
      log(EventKind::LIMIT, payload(LimitReached::CYCLES));
      guest_.state = GuestState::Stopped;
      guest_.reason = "cycle limit reached";
      break;
    }
    uint64_t cycles = max_cycles - (machine_.counters().cycles - start);
    if (cfg.max_cycles != kNoLimit)
      cycles = std::min(cycles, cfg.max_cycles - machine_.counters().cycles);
    uint64_t instructions = guest_.instructions_left();
    if (spin_) instructions = std::min(instructions, spin_);
    machine_.set_stop_at_fixed_point(spin_ == 0);
    const machine::RunResult r = machine_.run(instructions, cycles);
    guest_.executed += r.instructions + r.faulted;
    spin_ -= std::min(spin_, r.instructions + r.faulted);
    if (r.reason == machine::StopReason::Halted) {
      log(EventKind::HALT);
      guest_.state = GuestState::Halted;
      break;
    }
    if (r.reason != machine::StopReason::FixedPoint) continue;
    // A triple fault: the processor sits at its trap vector failing to fetch it.
    // With device work in flight it spins on (the machine takes the faults) until the
    // next completion; with none, nothing can change its state again: stopped there,
    // as the VMM stops a virtualized guest in the same state.
    const machine::CpuState& s = machine_.state();
    spin_ = spin_or_crash(guest_, machine_.devices(), machine_.counters().arch_cycles,
                          machine_.cost_model()[machine::CostEvent::TRAP_ENTRY], s.tvec, s.cause(),
                          0, [this](EventKind k, uint32_t a, uint32_t, isa::Cause c) { log(k, a, c); });
    if (!spin_) break;
  }
  refresh();
  return machine_.counters().cycles - start;
}

}  // namespace trapeze::vmm
