// The virtual machine monitor: several isolated guests on one host machine.
//
//   auto vmm = Vmm::create(config, &error);   // guests, quantum, TLB, costs
//   while (!vmm->finished()) vmm->run(1'000'000);   // bounded work per call (a frame)
//   vmm->guest(0).console(); vmm->guest(0).counters; vmm->guest(0).state_hash();
//
// Scheduling: round-robin over the ready virtualized guests with a quantum of host
// cycles; switching the CPU from one guest to another is a world switch (save the
// outgoing guest's registers, load the incoming one's, its page-table root and TLB
// tag), charged WORLD_SWITCH. Halted, crashed and stopped guests are skipped. A
// native guest runs on its own machine, `budget` of its own cycles per run() call,
// alongside.
//
// Every host cycle is charged to the guest it was spent for (its own instructions,
// the VMM's work for it, the world switch into it), so the guests' utilizations —
// their shares of host time — sum to 1.
//
// The inspection functions are read-only and side-effect free (no counters move),
// for the frontend: see inspect.h for the three-table walk.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "machine/machine.h"
#include "vmm/event_log.h"
#include "vmm/guest.h"
#include "vmm/host.h"
#include "vmm/strategy.h"

namespace trapeze::vmm {

// The host's settings: everything of a VmmConfig but its guests (which a running
// Vmm keeps as Guests, each with its live strategy).
struct VmmSettings {
  uint64_t quantum = 50'000;  // host cycles per turn
  machine::TlbConfig tlb;     // the host's TLB (and each native guest's)
  machine::CostModel cost;    // the host's cost model (and each native guest's)
  size_t event_capacity = EventLog::kDefaultCapacity;
  bool operator==(const VmmSettings&) const = default;
};

struct VmmConfig : VmmSettings {
  std::vector<GuestConfig> guests;
  bool operator==(const VmmConfig&) const = default;
};

// A problem with one guest's configuration on its own: the field it is in
// ("memory"; "" for the guest as a whole) and what is wrong with it.
struct GuestProblem {
  std::string field;
  std::string message;
};
std::optional<GuestProblem> validate_guest(const GuestConfig& guest);

// Empty if usable, else the first problem ("guests[2].memory: ...").
std::string validate(const VmmConfig& config);

class Vmm {
 public:
  // nullptr (and *error set) if the configuration is not usable.
  static std::unique_ptr<Vmm> create(const VmmConfig& config, std::string* error);
  Vmm(const Vmm&) = delete;
  Vmm& operator=(const Vmm&) = delete;

  // Runs bounded work: the virtualized guests share `budget` host cycles (the last
  // turn may overshoot by one instruction or one VMM action), and each native guest
  // runs `budget` cycles of its own. Returns the host cycles used. Never blocks: a
  // guest in an infinite loop or faulting on every instruction only uses its quantum.
  uint64_t run(uint64_t budget);
  // The same, but returning as soon as guest `i` has executed `executed` instructions
  // in all (a break, not a limit: it stays ready, and the next run() goes on from
  // there). Every other guest, and the host, is then exactly as it was at that
  // moment of the plain run(budget) (at once if it is already there). Exact to the
  // instruction, but for a triple fault's spin, whose faults are added at once.
  uint64_t run(uint64_t budget, size_t i, uint64_t executed);
  // Every guest halted, crashed or stopped.
  bool finished() const;

  // A paused guest keeps its state and is skipped by run() (the others run on);
  // finished() still counts it as unfinished.
  void set_paused(size_t i, bool paused);
  // Runs guest i alone for one instruction (retired or faulted, with whatever the
  // VMM does about it); the others do not run. False if it cannot run.
  bool step(size_t i);

  // ---- changing a guest while the others run ------------------------------------------
  // Between run() calls every guest's state is complete in its Guest (run() saves
  // the one on the CPU before returning): that is the safe point where these act.
  //
  // Switches guest i to another strategy: the old one hands the guest over
  // (detach()), the host TLB entries it built go, and the new one takes the guest
  // as it is — registers, virtual PSW and control registers, memory, devices,
  // clocks and counters carry over; shadow tables, translations and nested tables
  // are rebuilt lazily by the new strategy. Logged (STRATEGY_SWITCH). False with
  // *error if i or the strategy is not usable.
  bool set_strategy(size_t i, StrategyKind kind, std::string* error);
  // Restarts guest i from a new image (re-assembled source): memory cleared and
  // reloaded, power-on CPU and devices, counters from zero, under config.strategy.
  // The other guests keep running untouched. Its memory size must stay the same
  // (its place in host memory is fixed). Logged (GUEST_RELOAD).
  bool reload_guest(size_t i, const GuestConfig& config, std::string* error);

  // ---- inspection (read-only) -------------------------------------------------------
  const VmmSettings& config() const { return config_; }
  size_t guest_count() const { return guests_.size(); }
  const Guest& guest(size_t i) const { return *guests_[i]; }
  // Its share of host time so far (0 for a native guest, which has its own machine).
  double utilization(size_t i) const;
  uint64_t host_cycles() const { return host_.time(); }
  const machine::Machine& host() const { return host_.machine; }
  const EventLog& events() const { return host_.log; }
  // Where a virtualized guest sits in host memory (nullptr for a native guest, which
  // runs on its own machine; its home region waits for a switch to a virtualized one).
  const GuestPlacement* placement(size_t i) const;
  // Guest-physical memory of guest i; false if out of its range.
  bool read_guest_physical(size_t i, uint32_t gpa, std::span<uint8_t> out) const;
  // The guest on the host CPU (-1: none yet).
  int current() const { return current_; }

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  // `placed`: the virtualized guests' places, in order (place_guests()).
  Vmm(const VmmConfig& config, uint32_t host_memory, const std::vector<GuestPlacement>& placed);
  // Builds guest i from `config` in its home region (cleared, image loaded).
  void install_guest(size_t i, const GuestConfig& config);
  void flush_guest_tlb(size_t i);
  // The configuration the guests have now: each one's setup, under its live strategy.
  VmmConfig current_config() const;
  bool runnable(size_t i) const;  // ready, not paused, and not excluded by step()
  void log_change(size_t i, EventKind kind, uint32_t a, uint32_t b);
  void world_switch(int to);
  int next_ready(int after) const;

  VmmSettings config_;
  Host host_;
  std::vector<GuestPlacement> placements_;  // per guest (unused for native)
  std::vector<std::unique_ptr<Guest>> guests_;
  int current_ = -1;        // the guest whose state is on the host CPU
  int turn_ = -1;           // the guest whose quantum is running
  uint64_t turn_used_ = 0;  // host cycles of that quantum used so far
  int only_ = -1;           // step(): the one guest allowed to run
};

}  // namespace trapeze::vmm
