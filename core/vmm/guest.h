// A guest: one virtual machine the VMM runs — its configuration, its run state,
// and everything it can see (its virtual CPU, its guest-physical memory, its
// virtual devices), kept here rather than in the strategy that runs it, so that the
// strategy can be replaced under a running guest (strategy.h).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "isa/segment.h"
#include "machine/cpu_state.h"
#include "machine/device_bus.h"
#include "machine/physical_memory.h"
#include "vmm/strategy.h"
#include "vmm/translation_cache.h"
#include "vmm/vmm_counters.h"

namespace trapeze::vmm {

inline constexpr uint64_t kNoLimit = ~uint64_t(0);

// ready: runnable; halted: it ran `halt` in its kernel mode; crashed: the VMM
// stopped it (a triple fault: its trap vector is unusable), see Guest::reason;
// stopped: it reached its instruction or cycle limit.
enum class GuestState : uint8_t { Ready, Halted, Crashed, Stopped };
std::string_view guest_state_name(GuestState s);  // "ready", "halted", "crashed", "stopped"

// Everything a guest is built from but its strategy: what stays fixed while it
// runs (until it is reloaded). The strategy can change under a running guest, so
// a Guest keeps only this; its strategy is Guest::strategy, nowhere else.
struct GuestSetup {
  std::string name;
  uint32_t memory_bytes = 256u << 10;     // guest-physical memory, a multiple of 4 KiB
  uint32_t disk_sectors = 2048;           // its disk (512-byte sectors)
  machine::BlockDeviceConfig block;       // its block device's queue and service times
  std::vector<isa::Segment> image;        // loaded at guest-physical addresses
  uint32_t entry = 0;                     // the first pc (kernel mode, paging off)
  // Limits: the guest stops ("stopped") when it has executed this many instructions
  // (retired or faulted, as Machine::run counts them) or used this many cycles.
  uint64_t max_instructions = kNoLimit;
  uint64_t max_cycles = kNoLimit;
  // Binary translation: translated instructions its translation cache holds
  // (translation_cache.h: kMinTcCapacity .. kMaxTcCapacity).
  uint32_t tc_capacity = kDefaultTcCapacity;
  // Every field compared (a new field is too): builders are checked to agree.
  bool operator==(const GuestSetup&) const = default;
};

// A guest to build: its setup and the strategy it starts under (Vmm::create,
// Vmm::reload_guest). Once built, the strategy it runs under is the live one
// (Guest::strategy_kind()).
struct GuestConfig : GuestSetup {
  StrategyKind strategy = StrategyKind::TRAP;
  bool operator==(const GuestConfig&) const = default;
};

// The guest's processor as the guest sees it. `cpu.psw` holds its own U/K and IE
// bits (and the FLAGS byte), `cpu.ptr` its own page-table root (guest-physical),
// `cpu.tvec`, `cpu.cr` and `cpu.timer_period` its own control registers. While the
// guest is on the host CPU its registers and pc live in the host; Strategy::save()
// brings them back.
struct VirtualCpu {
  machine::CpuState cpu;
  uint64_t clock =
      0;  // its architectural clock (Counters::arch_cycles): what its timer and devices see
};

// A triple fault's fixed point: the processor is at its trap vector, and the last
// trap delivered was a page fault fetching it (every delivery faults again and
// changes nothing to the processor).
bool at_unusable_trap_vector(const machine::CpuState& s);
// "triple fault: its trap vector 0x... is unusable (page fault fetching it)"
std::string triple_fault_reason(uint32_t tvec);

// What bare metal does at that fixed point, which every strategy reproduces
// (docs/vmm.md, "Triple fault"): it spins, each fault TRAP_ENTRY on its clock, and
// its devices keep running, so a block request or ring batch in flight completes
// and its DMA lands (which may even make the vector fetchable). Returns how many
// more faults it takes until its next device completion is processed on its clock
// (at most `left`, the instructions it may still execute); 0 if no device work is
// in flight (or a fault costs no time): then nothing can ever change its state
// again, and the guest is stopped (crashed) there. The VMM's strategies add these
// faults to its clock and executed count at once rather than running them.
uint64_t faults_until_next_completion(const machine::DeviceBus& devices, uint64_t clock,
                                      uint64_t left, uint32_t trap_entry_cycles);

class Guest {
 public:
  Guest(int index, GuestSetup config);
  Guest(const Guest&) = delete;
  Guest& operator=(const Guest&) = delete;

  const int index;
  const GuestSetup config;  // its strategy is `strategy`, the live one
  GuestState state = GuestState::Ready;
  bool paused = false;  // Vmm::set_paused: ready, but not run
  std::string reason;  // why it crashed or stopped

  VirtualCpu vcpu;
  machine::DeviceBus bus;        // its virtual devices (a native guest's machine has its own)
  machine::MemoryRegion memory;  // its guest-physical memory (in host memory, or its own machine's)
  GuestCounters counters;
  uint64_t executed = 0;  // instructions executed (retired + faulted), for max_instructions
  // Vmm::run's break (kNoLimit: none): at this executed count it yields, not stopped.
  uint64_t break_at = kNoLimit;
  std::unique_ptr<Strategy> strategy;

  bool ready() const { return state == GuestState::Ready; }
  // Instructions it may still execute before its limit or its break.
  uint64_t instructions_left() const {
    const uint64_t to_limit = config.max_instructions == kNoLimit ? kNoLimit
                              : executed >= config.max_instructions
                                  ? 0
                                  : config.max_instructions - executed;
    if (break_at == kNoLimit) return to_limit;
    return std::min(to_limit, executed >= break_at ? 0 : break_at - executed);
  }
  bool at_break() const { return executed >= break_at; }
  StrategyKind strategy_kind() const { return strategy->kind(); }
  const std::string& console() const { return strategy->console(); }
  // Guest-visible state: registers, pc, the PSW as the guest sees it (virtual),
  // PTR, TVEC, control registers, timer period, then every byte of its
  // guest-physical memory — machine::state_hash(), the same function for a
  // bare-metal guest and a virtualized one.
  uint64_t state_hash() const;
};

}  // namespace trapeze::vmm
